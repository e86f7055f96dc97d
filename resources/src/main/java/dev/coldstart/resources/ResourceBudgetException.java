package dev.coldstart.resources;

import dev.coldstart.core.NonRetryableException;

/**
 * A preflight found that what the service plans to use does not fit what the process may use: a
 * file-descriptor budget above the open-files limit, a warm-up larger than the heap. Permanent (the
 * orchestrator does not retry it): the operator must raise the limit or lower the budget.
 *
 * <p>The numbers are exposed as getters so that tests and tooling need not parse the message.
 */
public class ResourceBudgetException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    /** What ran short. */
    private final String resource;
    /** What the budget needs, in the resource's unit. */
    private final long required;
    /** What the process may use, in the resource's unit. */
    private final long limit;

    /**
     * Creates the exception.
     *
     * @param resource what ran short, for example {@code "file descriptors"}
     * @param required what the budget needs, in the resource's unit
     * @param limit what the process may use, in the same unit
     * @param message what happened, the numbers, and what to do
     */
    public ResourceBudgetException(String resource, long required, long limit, String message) {
        super(message);
        this.resource = resource;
        this.required = required;
        this.limit = limit;
    }

    /**
     * What ran short.
     *
     * @return for example {@code "file descriptors"} or {@code "heap bytes"}
     */
    public String resource() {
        return resource;
    }

    /**
     * What the budget needs.
     *
     * @return in the resource's unit
     */
    public long required() {
        return required;
    }

    /**
     * What the process may use.
     *
     * @return in the resource's unit
     */
    public long limit() {
        return limit;
    }
}
