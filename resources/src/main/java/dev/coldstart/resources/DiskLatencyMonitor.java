package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.resources.internal.Daemons;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the write+fsync latency of the data directory at startup and every
 * {@link DiskLatencyConfig#interval()} (CS-29); when a measurement passes
 * {@link DiskLatencyConfig#threshold()}, or is still running after it, the disk is under pressure:
 * the monitor says so (WARN with the figures, {@link #underPressure()}) and holds back the
 * non-critical writes handed to {@link #submitNonCritical(String, Runnable)} (cache persistence,
 * snapshots) until {@link DiskLatencyConfig#clearAfterSamples()} measurements in a row are below the
 * threshold again, then runs them in order.
 *
 * <p>{@link #start()} never waits longer than the threshold for the first measurement: a disk so slow
 * that fsync hangs is reported as pressure and startup goes on. Measurements run on an owned daemon
 * thread, writes on another; both stop with the component, which drops the writes still deferred
 * (with a WARN naming how many).
 *
 * <p>As a {@link Component} it is optional and up while the probe works (pressure is not a failure).
 * Thread-safe; {@link #underPressure()} is a volatile read.
 */
public final class DiskLatencyMonitor implements Component {
    /** Default component name: {@code "disk-monitor"}. */
    public static final String DEFAULT_NAME = "disk-monitor";

    private static final Logger log = LoggerFactory.getLogger(DiskLatencyMonitor.class);

    private final String name;
    private final DiskLatencyConfig config;
    private final DiskProbe probe;
    private final String target;
    private final Deque<Runnable> deferred = new ArrayDeque<>();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong deferredTotal = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Object stateLock = new Object();
    private volatile boolean pressure;
    private volatile Duration lastLatency;
    private volatile Duration maxLatency = Duration.ZERO;
    private volatile long inFlightSince;
    private volatile String probeError;
    private int belowInARow;
    private ScheduledExecutorService scheduler;
    private ExecutorService prober;
    private ExecutorService writer;

    private DiskLatencyMonitor(String name, DiskLatencyConfig config, DiskProbe probe, String target) {
        this.name = Checks.notBlank(name, "name");
        this.config = Checks.notNull(config, "config");
        this.probe = Checks.notNull(probe, "probe");
        this.target = Checks.notBlank(target, "target");
    }

    /**
     * Creates a monitor named {@value #DEFAULT_NAME} with the real probe: 4 KiB write+fsync in the
     * directory.
     *
     * @param dataDirectory the data directory; must exist and be writable
     * @param config the settings; not null
     * @return a new monitor
     */
    public static DiskLatencyMonitor of(Path dataDirectory, DiskLatencyConfig config) {
        return of(DEFAULT_NAME, config, DiskProbe.fsync(dataDirectory, 4096), dataDirectory.toString());
    }

    /**
     * Creates a monitor with its own probe (deterministic tests, another storage).
     *
     * @param name the component name; not blank
     * @param config the settings; not null
     * @param probe the measurement; not null
     * @param target what is measured, for logs, for example the directory; not blank
     * @return a new monitor
     */
    public static DiskLatencyMonitor of(String name, DiskLatencyConfig config, DiskProbe probe, String target) {
        return new DiskLatencyMonitor(name, config, probe, target);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean required() {
        return false;
    }

    /**
     * Runs the first measurement, waiting for it at most the threshold, and starts the periodic ones.
     *
     * @throws InterruptedException if interrupted while waiting for the first measurement
     */
    @Override
    public synchronized void start() throws InterruptedException {
        if (scheduler != null) {
            return;
        }
        scheduler = Daemons.scheduler(name);
        prober = Executors.newSingleThreadExecutor(Daemons.factory(name + "-probe"));
        synchronized (deferred) {
            writer = Executors.newSingleThreadExecutor(Daemons.factory(name + "-writes"));
        }
        Future<?> first = prober.submit(this::measureOnce);
        try {
            first.get(config.threshold().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            onSlow(Duration.ofNanos(System.nanoTime() - inFlightSince), true);
        } catch (ExecutionException e) {
            log.warn("{} - first measurement failed: {}", name, e.getCause().toString());
        }
        long every = config.interval().toNanos();
        scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.NANOSECONDS);
        log.info("{} - write+fsync of {} took {}; measuring every {} ms, threshold {} ms{}", name, target,
                lastLatency == null ? "longer than the threshold (still running)" : ms(lastLatency) + " ms",
                config.interval().toMillis(), config.threshold().toMillis(), pressure ? ": DISK PRESSURE" : "");
    }

    @Override
    public Health probe() {
        String err = probeError;
        return err == null ? Health.up() : Health.down("cannot measure disk latency on " + target + ": " + err);
    }

    /**
     * Stops measuring and writing; writes still deferred are dropped and counted.
     *
     * @param drainTimeout how long a running write may take to finish
     * @throws InterruptedException if interrupted while waiting for it
     */
    @Override
    public synchronized void stop(Duration drainTimeout) throws InterruptedException {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        prober.shutdownNow();
        int left;
        ExecutorService w;
        synchronized (deferred) {
            left = deferred.size();
            deferred.clear();
            w = writer;
            writer = null;
        }
        if (left > 0) {
            dropped.addAndGet(left);
            log.warn("{} - stopping with {} deferred non-critical write(s) not done", name, left);
        }
        w.shutdown();
        w.awaitTermination(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
        w.shutdownNow();
        scheduler = null;
    }

    /**
     * Runs a non-critical write on the monitor's writer thread now, or defers it while the disk is
     * under pressure. Never blocks the caller.
     *
     * @param what a short description for logs, for example {@code "cache snapshot"}; not blank
     * @param write the write; its failure is logged
     * @return true if submitted to run now, false if deferred
     * @throws IllegalStateException if the monitor is not running
     */
    public boolean submitNonCritical(String what, Runnable write) {
        Checks.notBlank(what, "what");
        Checks.requireArgument(write, "write");
        Runnable task = () -> {
            try {
                write.run();
                written.incrementAndGet();
            } catch (RuntimeException e) {
                log.warn("{} - non-critical write '{}' failed: {}", name, what, e.toString());
            }
        };
        synchronized (deferred) {
            if (writer == null) {
                throw new IllegalStateException(name + " - not running: start it before submitting writes");
            }
            if (pressure || !deferred.isEmpty()) {
                if (deferred.size() >= config.maxDeferredWrites()) {
                    deferred.pollFirst();
                    dropped.incrementAndGet();
                    log.warn("{} - deferred-write queue full ({}): dropped the oldest", name, config.maxDeferredWrites());
                }
                deferred.addLast(task);
                deferredTotal.incrementAndGet();
                log.debug("{} - deferred '{}' under disk pressure", name, what);
                return false;
            }
            writer.execute(task);
            return true;
        }
    }

    private void tick() {
        long since = inFlightSince;
        if (since != 0) {
            Duration running = Duration.ofNanos(System.nanoTime() - since);
            if (running.compareTo(config.threshold()) > 0) {
                onSlow(running, true);
            }
            return;
        }
        prober.execute(this::measureOnce);
    }

    private void measureOnce() {
        inFlightSince = System.nanoTime();
        try {
            Duration d = probe.measure();
            probeError = null;
            samples.incrementAndGet();
            lastLatency = d;
            if (d.compareTo(maxLatency) > 0) {
                maxLatency = d;
            }
            if (d.compareTo(config.threshold()) > 0) {
                onSlow(d, false);
            } else {
                onFast(d);
            }
        } catch (Exception e) {
            if (probeError == null) {
                log.warn("{} - cannot measure write+fsync on {}: {}", name, target, e.toString());
            }
            probeError = e.toString();
        } finally {
            inFlightSince = 0;
        }
    }

    private void onSlow(Duration d, boolean stillRunning) {
        synchronized (stateLock) {
            belowInARow = 0;
            if (pressure) {
                return;
            }
            pressure = true;
        }
        log.warn("{} - DISK PRESSURE: write+fsync of {} {} {} ms, above the threshold of {} ms; deferring non-critical writes",
                name, target, stillRunning ? "still running after" : "took", ms(d), config.threshold().toMillis());
    }

    private void onFast(Duration d) {
        int n;
        int inARow;
        synchronized (stateLock) {
            if (!pressure) {
                return;
            }
            inARow = ++belowInARow;
            if (inARow < config.clearAfterSamples()) {
                return;
            }
            belowInARow = 0;
            synchronized (deferred) {
                pressure = false;
                n = deferred.size();
                while (writer != null && !deferred.isEmpty()) {
                    writer.execute(deferred.pollFirst());
                }
            }
        }
        log.info("{} - disk pressure over: write+fsync of {} took {} ms, {} measurement(s) in a row below {} ms; "
                + "running {} deferred write(s)", name, target, ms(d), inARow, config.threshold().toMillis(), n);
    }

    /**
     * Whether the disk is under pressure: one volatile read.
     *
     * @return true from a slow measurement until enough fast ones in a row
     */
    public boolean underPressure() {
        return pressure;
    }

    /**
     * The last finished measurement.
     *
     * @return the latency, or null before the first one finished
     */
    public Duration lastLatency() {
        return lastLatency;
    }

    /**
     * The slowest finished measurement since start.
     *
     * @return the latency; zero before the first
     */
    public Duration maxLatency() {
        return maxLatency;
    }

    /**
     * Finished measurements since start.
     *
     * @return zero or more
     */
    public long samples() {
        return samples.get();
    }

    /**
     * Writes deferred since start (including those run later).
     *
     * @return zero or more
     */
    public long deferredWrites() {
        return deferredTotal.get();
    }

    /**
     * Writes waiting now.
     *
     * @return zero or more
     */
    public int pendingWrites() {
        synchronized (deferred) {
            return deferred.size();
        }
    }

    /**
     * Writes that ran to completion.
     *
     * @return zero or more
     */
    public long completedWrites() {
        return written.get();
    }

    /**
     * Writes dropped because the queue was full or the monitor stopped.
     *
     * @return zero or more
     */
    public long droppedWrites() {
        return dropped.get();
    }

    private static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e6);
    }

    @Override
    public String toString() {
        return "DiskLatencyMonitor[" + name + ", " + target + (pressure ? ", under pressure" : "") + "]";
    }
}
