package dev.coldstart.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * A lock on one session, held as a lease: it ends by itself after its time-to-live unless renewed,
 * so a holder that crashed (or paused past its lease) cannot block the session forever. Only the
 * owner, identified by a random token, can renew or release it. After expiry another owner may
 * take the lock: check {@link #renew(Duration)}'s answer before writing under a lease that may have
 * ended. Thread-safe.
 */
public interface SessionLease extends AutoCloseable {

    /**
     * The locked session's id.
     *
     * @return the id
     */
    String sessionId();

    /**
     * The owner token of this lease.
     *
     * @return a random token
     */
    String ownerToken();

    /**
     * When the lease ends unless renewed, as this process estimates it (the store's clock rules).
     *
     * @return the estimated end
     */
    Instant expiresAt();

    /**
     * Extends the lease, if this owner still holds it.
     *
     * @param leaseTtl the new time-to-live from now; positive
     * @return true if renewed; false if the lease had ended (someone else may hold the lock)
     */
    boolean renew(Duration leaseTtl);

    /**
     * Releases the lock, if this owner still holds it; never releases another owner's lock.
     *
     * @return true if released; false if the lease had already ended
     */
    boolean release();

    /** Same as {@link #release()}. */
    @Override
    default void close() {
        release();
    }
}
