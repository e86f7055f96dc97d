package dev.coldstart.core;

import java.util.List;

/**
 * The component graph given to {@link StartupOrchestrator.Builder#build()} cannot be started: it has
 * a cycle, a dependency on a name no component has, a duplicate name, or a required component that
 * depends on an optional one. Thrown before anything starts.
 */
public final class GraphValidationException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    /** One line per problem, as the message lists them. */
    private final List<String> problems;

    /**
     * Creates the exception from the list of problems found.
     *
     * @param problems one line per problem, for example {@code "cycle: a -> b -> c -> a"}; not empty
     */
    public GraphValidationException(List<String> problems) {
        super("the component graph cannot be started, fix these before anything can start: "
                + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * The problems found, one per entry, in a stable order.
     *
     * @return an immutable, non-empty list
     */
    public List<String> problems() {
        return problems;
    }
}
