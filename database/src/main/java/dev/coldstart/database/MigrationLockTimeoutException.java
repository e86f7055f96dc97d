package dev.coldstart.database;

import dev.coldstart.core.NonRetryableException;
import java.time.Duration;

/**
 * The migration lock was not acquired within {@link MigrationConfig#lockTimeout()}. The message and
 * the getters name the lock, its key and the session holding it (pid and application name, from
 * {@code pg_locks} joined with {@code pg_stat_activity}), so an operator can find the holder and end
 * it with {@code SELECT pg_terminate_backend(pid)} if it is stuck.
 *
 * <p>Not retried by the orchestrator: the lock timeout is the wait the service declared acceptable,
 * and waiting again would exceed it. Immutable and thread-safe.
 */
public class MigrationLockTimeoutException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    /** The lock's configured name. */
    private final String lockName;
    /** The advisory lock key. */
    private final long lockKey;
    /** The holder's backend pid, or null. */
    private final Integer holderPid;
    /** The holder's application name, or null. */
    private final String holderApplicationName;
    /** How long the caller waited. */
    private final Duration waited;

    /**
     * Creates the exception.
     *
     * @param lockName the lock's configured name
     * @param lockKey the advisory lock key derived from it
     * @param holderPid the backend pid of the holding session; null if it could not be found
     * @param holderApplicationName the holder's {@code application_name}; null if not found
     * @param waited how long the caller waited
     * @param message what happened, what was expected and what to do
     */
    public MigrationLockTimeoutException(String lockName, long lockKey, Integer holderPid, String holderApplicationName,
            Duration waited, String message) {
        super(message);
        this.lockName = lockName;
        this.lockKey = lockKey;
        this.holderPid = holderPid;
        this.holderApplicationName = holderApplicationName;
        this.waited = waited;
    }

    /**
     * The lock's configured name.
     *
     * @return the name
     */
    public String lockName() {
        return lockName;
    }

    /**
     * The {@code bigint} advisory lock key.
     *
     * @return the key
     */
    public long lockKey() {
        return lockKey;
    }

    /**
     * The backend pid of the session that held the lock when the wait ended.
     *
     * @return the pid, or null if the holder could not be identified (it released the lock meanwhile)
     */
    public Integer holderPid() {
        return holderPid;
    }

    /**
     * The {@code application_name} of the holding session.
     *
     * @return the name (empty if the holder set none), or null if the holder could not be identified
     */
    public String holderApplicationName() {
        return holderApplicationName;
    }

    /**
     * How long the caller waited before giving up.
     *
     * @return the wait
     */
    public Duration waited() {
        return waited;
    }
}
