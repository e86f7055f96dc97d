package dev.coldstart.auth;

import dev.coldstart.core.ColdstartException;
import java.time.Duration;

/**
 * A session lock was still held by another owner when the wait ended. The holder's lease ends at
 * most one lease time-to-live after it was taken or last renewed, so a crashed holder cannot cause
 * this for longer than that. Immutable.
 */
public class LockTimeoutException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /** The session concerned. */
    private final String sessionId;
    /** How long the caller waited. */
    private final Duration waited;

    /**
     * Creates the exception.
     *
     * @param storeName the store's name
     * @param sessionId the session's id
     * @param waited how long the caller waited
     */
    public LockTimeoutException(String storeName, String sessionId, Duration waited) {
        super(storeName + " - the lock on session " + sessionId + " was still held by another owner after waiting "
                + waited + "; its lease ends by itself at most one lease TTL after it was taken or renewed. Wait "
                + "longer than the lease TTL, or find the holder that keeps renewing it");
        this.sessionId = sessionId;
        this.waited = waited;
    }

    /**
     * The session's id.
     *
     * @return the id
     */
    public String sessionId() {
        return sessionId;
    }

    /**
     * How long the caller waited.
     *
     * @return the wait
     */
    public Duration waited() {
        return waited;
    }
}
