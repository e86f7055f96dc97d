package dev.coldstart.core;

/**
 * Root of every exception coldstart throws. Unchecked, as in Resilience4j and Failsafe: a failed
 * start is not something a caller can usefully recover from at each call site.
 *
 * <p>Subtypes expose structured state (component, state, attempts, elapsed time) through getters
 * so operators and tests need not parse messages. Instances are immutable and thread-safe.
 */
public class ColdstartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what happened, what was expected and what to do; never null
     */
    public ColdstartException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the cause it wraps.
     *
     * @param message what happened, what was expected and what to do; never null
     * @param cause the underlying failure; may be null
     */
    public ColdstartException(String message, Throwable cause) {
        super(message, cause);
    }
}
