package dev.coldstart.coordination;

import dev.coldstart.core.ColdstartException;
import java.time.Duration;
import java.time.Instant;

/**
 * No live instance of a service appeared in the registry before the caller's deadline
 * ({@link ServiceRegistry#awaitInstance(String, Duration)}). Exposes the service, the timeout, the
 * deadline and the number of lookups. Immutable and thread-safe.
 */
public class ServiceNotFoundException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /** The service looked up. */
    private final String service;
    /** How long the lookup waited. */
    private final Duration timeout;
    /** When the wait ended. */
    private final Instant deadline;
    /** Lookups made. */
    private final int lookups;

    /**
     * Creates the exception.
     *
     * @param message what happened, what was expected and what to do
     * @param service the service looked up
     * @param timeout how long the caller waited
     * @param deadline the instant the wait ended
     * @param lookups how many lookups were made
     * @param cause the last lookup's failure, or null if lookups worked but found nothing
     */
    public ServiceNotFoundException(String message, String service, Duration timeout, Instant deadline, int lookups,
            Throwable cause) {
        super(message, cause);
        this.service = service;
        this.timeout = timeout;
        this.deadline = deadline;
        this.lookups = lookups;
    }

    /**
     * The service that was looked up.
     *
     * @return the service's name
     */
    public String service() {
        return service;
    }

    /**
     * How long the caller was willing to wait.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * When the wait ended.
     *
     * @return the deadline, by the system clock
     */
    public Instant deadline() {
        return deadline;
    }

    /**
     * How many lookups were made before giving up.
     *
     * @return at least 1
     */
    public int lookups() {
        return lookups;
    }
}
