package dev.coldstart.testkit.internal.scenario;

import dev.coldstart.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts, every 10 ms on a connection of its own, the physical connections in
 * {@code pg_stat_activity} whose {@code application_name} matches a LIKE pattern, and keeps the
 * maximum. Runs until closed.
 */
final class ConnectionSampler implements AutoCloseable {
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final AtomicInteger max = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicReference<SQLException> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ConnectionSampler(TestDatabase db, String applicationNamePattern) throws SQLException {
        Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE ? AND pid <> pg_backend_pid()");
        ps.setString(1, applicationNamePattern);
        this.thread = new Thread(() -> {
            try (c; ps) {
                while (running) {
                    long next = System.nanoTime() + INTERVAL_NANOS;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        max.accumulateAndGet(rs.getInt(1), Math::max);
                        samples.incrementAndGet();
                    }
                    LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                }
            } catch (SQLException e) {
                failure.set(e);
            }
        }, "coldstart-connection-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    static ConnectionSampler start(TestDatabase db, String applicationNamePattern) throws SQLException {
        return new ConnectionSampler(db, applicationNamePattern);
    }

    /** The largest count seen so far. */
    int max() {
        return max.get();
    }

    /** How many samples were taken. */
    int samples() {
        return samples.get();
    }

    @Override
    public void close() throws SQLException {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SQLException e = failure.get();
        if (e != null) {
            throw e;
        }
    }
}
