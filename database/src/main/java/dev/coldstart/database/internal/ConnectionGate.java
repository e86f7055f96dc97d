package dev.coldstart.database.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Sits between HikariCP and the driver until the database has been reached once, so that a pool
 * whose database is down does not multiply connection attempts (CS-05).
 *
 * <p>Before the first successful connection at most one physical attempt is in flight, shared by
 * HikariCP's connection creator and {@link #firstContact(Duration)} (the probe); HikariCP's own
 * attempts after a failure are refused without network traffic until a backoff window passes
 * (exponential, 100 ms doubling to 5 s, full jitter). The probe's attempt ignores the window: its
 * timing is the orchestrator's retry policy. A connection opened by the probe is closed before the
 * gate opens, so the pool never holds more than its maximum. Once open, the gate only counts attempts.
 * Thread-safe.
 */
public final class ConnectionGate implements DataSource {
    static final long INITIAL_WINDOW_MILLIS = 100;
    static final long MAX_WINDOW_MILLIS = 5_000;

    private final String name;
    private final DataSource target;
    private final Runnable onOpen;
    private final Semaphore single = new Semaphore(1);
    private final AtomicLong attempts = new AtomicLong();
    private volatile boolean open;
    /** Guarded by {@link #single}. */
    private long nextAllowedNanos = System.nanoTime();
    /** Guarded by {@link #single}. */
    private long windowCeilingMillis = INITIAL_WINDOW_MILLIS;

    /**
     * Creates a closed gate.
     *
     * @param name the component's name, for messages
     * @param target the driver data source
     * @param onOpen run once, by the thread that opened the gate, right after it opened
     */
    public ConnectionGate(String name, DataSource target, Runnable onOpen) {
        this.name = name;
        this.target = target;
        this.onOpen = onOpen;
    }

    /**
     * Whether the database has been reached at least once.
     *
     * @return true once a physical connection succeeded
     */
    public boolean isOpen() {
        return open;
    }

    /**
     * Physical connection attempts made through this gate, successful or not.
     *
     * @return zero or more
     */
    public long attempts() {
        return attempts.get();
    }

    /**
     * Makes one physical connection attempt unless the gate is already open, ignoring the backoff
     * window; on success the connection is closed and the gate opens.
     *
     * @param wait how long to wait for an attempt already in flight
     * @throws SQLException the driver's failure, or a transient one if another attempt is still in
     *     flight after {@code wait}
     * @throws InterruptedException if interrupted while waiting
     */
    public void firstContact(Duration wait) throws SQLException, InterruptedException {
        if (open) {
            return;
        }
        if (!single.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new SQLTransientConnectionException(name + " - a first connection attempt is still in flight after "
                    + wait.toMillis() + " ms", "08001");
        }
        try {
            if (!open) {
                attempt(false);
            }
        } finally {
            single.release();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (open) {
            attempts.incrementAndGet();
            return target.getConnection();
        }
        if (!single.tryAcquire()) {
            throw new SQLTransientConnectionException(name + " - database not reached yet; another first "
                    + "connection attempt is in flight", "08001");
        }
        try {
            if (open) {
                attempts.incrementAndGet();
                return target.getConnection();
            }
            long waitNanos = nextAllowedNanos - System.nanoTime();
            if (waitNanos > 0) {
                throw new SQLTransientConnectionException(name + " - database not reached yet; next connection "
                        + "attempt allowed in " + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms", "08001");
            }
            return attempt(true);
        } finally {
            single.release();
        }
    }

    /**
     * Caller holds {@link #single} and has seen the gate closed. A connection that is not kept is
     * closed before the gate opens, so it never coexists with the pool's connections.
     */
    private Connection attempt(boolean keep) throws SQLException {
        attempts.incrementAndGet();
        Connection c;
        try {
            c = target.getConnection();
        } catch (SQLException | RuntimeException e) {
            long window = ThreadLocalRandom.current().nextLong(windowCeilingMillis + 1);
            nextAllowedNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(window);
            windowCeilingMillis = Math.min(MAX_WINDOW_MILLIS, windowCeilingMillis * 2);
            throw e;
        }
        if (!keep) {
            c.close();
            c = null;
        }
        windowCeilingMillis = INITIAL_WINDOW_MILLIS;
        open = true;
        onOpen.run();
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException(name + " - credentials are configured on the pool, not per call");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }
}
