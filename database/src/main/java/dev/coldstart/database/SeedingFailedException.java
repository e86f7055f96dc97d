package dev.coldstart.database;

import dev.coldstart.core.ColdstartException;

/**
 * {@link InitOnce} used up its attempts while every attempt ended in a retryable conflict. Retryable
 * by the orchestrator: the contention that caused it is transient. The last failure is the cause.
 * Immutable and thread-safe.
 */
public class SeedingFailedException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /** The attempts made. */
    private final int attempts;
    /** The last failure's SQLState. */
    private final String lastSqlState;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     * @param attempts the attempts made
     * @param lastSqlState the SQLState of the last failure
     * @param cause the last failure
     */
    public SeedingFailedException(String message, int attempts, String lastSqlState, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
        this.lastSqlState = lastSqlState;
    }

    /**
     * The attempts made.
     *
     * @return at least 1
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The SQLState of the last failure, such as {@code 40001}.
     *
     * @return the state
     */
    public String lastSqlState() {
        return lastSqlState;
    }
}
