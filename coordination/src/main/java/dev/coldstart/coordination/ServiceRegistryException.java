package dev.coldstart.coordination;

import dev.coldstart.core.ColdstartException;

/**
 * The registry's store failed an operation: Redis unreachable, a command timed out. Transient by
 * nature; callers may retry. Immutable and thread-safe.
 */
public class ServiceRegistryException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the operation, the store (never its credentials) and what to check
     * @param cause the store's failure
     */
    public ServiceRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
