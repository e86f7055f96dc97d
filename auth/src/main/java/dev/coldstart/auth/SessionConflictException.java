package dev.coldstart.auth;

import dev.coldstart.core.ColdstartException;

/**
 * {@link SessionStore#update} lost the compare-and-set race more often than its attempt limit
 * allows: the session is written by many at once. Retry later, or serialise writers with
 * {@link SessionStore#lock}. Immutable.
 */
public class SessionConflictException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /** The session concerned. */
    private final String sessionId;
    /** How many compare-and-set attempts were made. */
    private final int attempts;

    /**
     * Creates the exception.
     *
     * @param storeName the store's name
     * @param sessionId the session's id
     * @param attempts the attempts made
     */
    public SessionConflictException(String storeName, String sessionId, int attempts) {
        super(storeName + " - session " + sessionId + " changed under each of " + attempts + " update attempts; "
                + "expected at least one to win its compare-and-set. Too many concurrent writers: retry later, raise "
                + "maxUpdateAttempts, or serialise writers with a session lock");
        this.sessionId = sessionId;
        this.attempts = attempts;
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
     * The attempts made.
     *
     * @return the count
     */
    public int attempts() {
        return attempts;
    }
}
