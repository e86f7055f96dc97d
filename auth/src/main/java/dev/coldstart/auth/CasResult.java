package dev.coldstart.auth;

/**
 * The outcome of {@link SessionStore#compareAndSet}. Immutable.
 *
 * @param outcome what happened
 * @param session the session as written; null unless {@link Outcome#UPDATED}
 */
public record CasResult(Outcome outcome, Session session) {

    /** What a compare-and-set did. */
    public enum Outcome {
        /** The expected version matched; the session was written with the next version. */
        UPDATED,
        /** Someone wrote the session since the expected version was read; nothing was written. */
        CONFLICT,
        /** The session does not exist, expired, or was invalidated; nothing was written (a write never revives it). */
        NOT_FOUND
    }

    /**
     * Whether the write happened.
     *
     * @return true when {@link Outcome#UPDATED}
     */
    public boolean updated() {
        return outcome == Outcome.UPDATED;
    }
}
