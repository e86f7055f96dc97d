package dev.coldstart.core;

/**
 * A start failure that retrying cannot cure: a schema newer than the service supports, a checksum
 * drift, a wrong issuer. The {@link StartupOrchestrator} never retries a component whose start or
 * probe throws this type (or a subtype); it fails the component at once.
 *
 * <p>Throw it from {@link Component#start()} or {@link Component#probe()} when the cause is
 * permanent; throw anything else for transient failures (connection refused, timeouts).
 */
public class NonRetryableException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, what was expected and what to do
     */
    public NonRetryableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, what was expected and what to do
     * @param cause the underlying failure; may be null
     */
    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
