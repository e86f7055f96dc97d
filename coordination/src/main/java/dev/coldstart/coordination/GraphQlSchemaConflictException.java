package dev.coldstart.coordination;

import dev.coldstart.core.NonRetryableException;
import java.util.List;

/**
 * Two downstream GraphQL services define the same type differently (another kind, other fields,
 * arguments, enum values or union members), so their schemas cannot be merged into one. A deploy
 * mistake that retrying cannot cure: the merge fails at once and the service does not become READY.
 * Immutable.
 */
public class GraphQlSchemaConflictException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    /** The conflicting type, or root field as {@code Query.field}. */
    private final String typeName;
    /** The service that defined the type first. */
    private final String firstService;
    /** The service whose definition differs. */
    private final String secondService;
    /** What differs, one sentence each; an immutable list. */
    private final List<String> differences;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     * @param typeName the type, such as {@code Product}, or a root field such as {@code Query.product}
     * @param firstService the service that defined it first
     * @param secondService the service whose definition differs
     * @param differences what differs, one sentence each
     */
    public GraphQlSchemaConflictException(String message, String typeName, String firstService, String secondService,
            List<String> differences) {
        super(message);
        this.typeName = typeName;
        this.firstService = firstService;
        this.secondService = secondService;
        this.differences = List.copyOf(differences);
    }

    /**
     * The conflicting type, or root field as {@code Query.field}.
     *
     * @return the name
     */
    public String typeName() {
        return typeName;
    }

    /**
     * The service that defined the type first, in the order services were configured.
     *
     * @return the service's name
     */
    public String firstService() {
        return firstService;
    }

    /**
     * The service whose definition differs.
     *
     * @return the service's name
     */
    public String secondService() {
        return secondService;
    }

    /**
     * What differs, one sentence each, such as {@code 'price: Float' only in 'catalog'}.
     *
     * @return an immutable list
     */
    public List<String> differences() {
        return differences;
    }
}
