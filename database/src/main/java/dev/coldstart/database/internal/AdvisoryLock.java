package dev.coldstart.database.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session-level advisory lock held on a dedicated connection, acquired by polling
 * {@code pg_try_advisory_lock} so the wait is bounded.
 *
 * <p>Polling rather than blocking in {@code pg_advisory_lock} matters beyond the deadline: a session
 * blocked in a lock wait sits inside a statement (a transaction), and a migration running
 * {@code CREATE INDEX CONCURRENTLY} waits for every such transaction to end, a deadlock with the
 * waiter (flyway/flyway#1654). Each poll is a short auto-commit statement, so it never blocks such a
 * migration. Not thread-safe: one owner thread.
 */
public final class AdvisoryLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdvisoryLock.class);

    private static final String HOLDER_SQL = "SELECT a.pid, a.application_name FROM pg_locks l"
            + " JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND l.classid::bigint = ? AND l.objid::bigint = ? ORDER BY a.backend_start LIMIT 1";

    private final String owner;
    private final Connection connection;
    private final long key;
    private final Duration waited;
    private final Holder waitedFor;

    private AdvisoryLock(String owner, Connection connection, long key, Duration waited, Holder waitedFor) {
        this.owner = owner;
        this.connection = connection;
        this.key = key;
        this.waited = waited;
        this.waitedFor = waitedFor;
    }

    /**
     * The lock key for a name: the first 8 bytes of SHA-256 of {@code "coldstart.migration:" + name},
     * big-endian. Stable across releases and JVMs; distinct from Flyway's own lock keys, so the two
     * locks never wait on each other.
     *
     * @param name the lock's name
     * @return the {@code bigint} key
     */
    public static long keyFor(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("coldstart.migration:" + name).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (d[i] & 0xFF);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** What a lock wait ran into. */
    public static final class TimedOut extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Holder holder;
        private final Duration waited;

        TimedOut(Holder holder, Duration waited) {
            super("lock wait timed out", null, false, false);
            this.holder = holder;
            this.waited = waited;
        }

        /**
         * The session holding the lock when the wait ended.
         *
         * @return the holder, or null if it released the lock meanwhile
         */
        public Holder holder() {
            return holder;
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

    /**
     * The session holding a lock.
     *
     * @param pid its backend pid
     * @param applicationName its {@code application_name}, possibly empty
     */
    public record Holder(int pid, String applicationName) {
        @Override
        public String toString() {
            return "pid " + pid + " (application_name '" + applicationName + "')";
        }
    }

    /**
     * Polls for the lock on {@code connection} until acquired or the timeout passes. On success the
     * lock owns the connection; on failure the connection is closed.
     *
     * @param owner the component's name, for log lines
     * @param connection a dedicated connection in auto-commit mode
     * @param lockName the lock's name, for log lines
     * @param key the lock key
     * @param timeout the longest wait
     * @param pollInitial the first interval between polls
     * @param pollMax the cap on the interval
     * @return the held lock
     * @throws TimedOut if the timeout passed; it names the holder
     * @throws SQLException if the session fails
     * @throws InterruptedException if interrupted while waiting
     */
    public static AdvisoryLock acquire(String owner, Connection connection, String lockName, long key, Duration timeout,
            Duration pollInitial, Duration pollMax) throws TimedOut, SQLException, InterruptedException {
        boolean ok = false;
        try {
            long t0 = System.nanoTime();
            long deadline = t0 + timeout.toNanos();
            long ceiling = pollInitial.toNanos();
            Holder first = null;
            boolean waitedAtAll = false;
            while (!tryLock(connection, key)) {
                long now = System.nanoTime();
                if (!waitedAtAll) {
                    waitedAtAll = true;
                    first = holder(connection, key);
                    log.info("{} - migration lock '{}' (key {}) is held by {}; waiting up to {}", owner, lockName, key,
                            first == null ? "a session that just released it" : first, Sql.seconds(timeout));
                }
                if (now - deadline >= 0) {
                    throw new TimedOut(holder(connection, key), Duration.ofNanos(now - t0));
                }
                // Half fixed, half random: instances that queued together spread out, none spins.
                long sleep = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
                TimeUnit.NANOSECONDS.sleep(Math.min(sleep, deadline - now));
                ceiling = Math.min(pollMax.toNanos(), ceiling * 2);
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - t0);
            if (waitedAtAll) {
                log.info("{} - waited {} for migration lock '{}' (key {}), held by {}; acquired it", owner,
                        Sql.seconds(waited), lockName, key, first == null ? "an unknown session" : first);
            } else {
                log.info("{} - acquired migration lock '{}' (key {}) without waiting", owner, lockName, key);
            }
            ok = true;
            return new AdvisoryLock(owner, connection, key, waitedAtAll ? waited : Duration.ZERO, first);
        } finally {
            if (!ok) {
                Sql.closeQuietly(connection);
            }
        }
    }

    private static boolean tryLock(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Finds the session holding the lock, from {@code pg_locks} joined with {@code pg_stat_activity}.
     *
     * @param c any connection to the same database
     * @param key the lock key
     * @return the holder, or null if nobody holds it
     * @throws SQLException if the query fails
     */
    public static Holder holder(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HOLDER_SQL)) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFF_FFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String app = rs.getString(2);
                return new Holder(rs.getInt(1), app == null ? "" : app);
            }
        }
    }

    /**
     * How long the acquisition waited.
     *
     * @return zero if the lock was free at once
     */
    public Duration waited() {
        return waited;
    }

    /**
     * The session that held the lock when the wait began.
     *
     * @return the holder, or null if there was no wait or it could not be identified
     */
    public Holder waitedFor() {
        return waitedFor;
    }

    /**
     * Whether this session still exists and holds the lock; false after {@code pg_terminate_backend}.
     *
     * @return true if still held
     */
    public boolean isHeld() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM pg_locks WHERE"
                + " locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND objsubid = 1"
                + " AND classid::bigint = ? AND objid::bigint = ?")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFF_FFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** Releases the lock and closes the dedicated connection; a dead session has released it already. */
    @Override
    public void close() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && !rs.getBoolean(1)) {
                    log.warn("{} - migration lock (key {}) was no longer held at release; its session was reset",
                            owner, key);
                }
            }
        } catch (SQLException e) {
            log.warn("{} - could not release migration lock (key {}) explicitly, closing its session releases it: {}",
                    owner, key, e.getMessage());
        } finally {
            Sql.closeQuietly(connection);
        }
    }
}
