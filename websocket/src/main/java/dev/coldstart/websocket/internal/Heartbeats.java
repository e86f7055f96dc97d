package dev.coldstart.websocket.internal;

import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.websocket.HeartbeatConfig;
import dev.coldstart.websocket.PingSchedule;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's heartbeat as a {@link Component}: one scheduler thread that pings every connection
 * at its phase of the {@link PingSchedule} and closes those that missed K pongs in a row; it also
 * runs the server's other timers (hello deadlines, the session sweep, retries). Its probe checks that
 * the scheduler runs a task within a second. Thread-safe.
 */
public final class Heartbeats implements Component {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(1);

    private final String name;
    private final HeartbeatConfig config;
    private final Counters counters;
    private final PingSchedule schedule;
    private final long intervalNanos;
    private volatile ScheduledThreadPoolExecutor executor;
    private volatile long timelineStart;

    Heartbeats(String name, HeartbeatConfig config, Counters counters) {
        this.name = name;
        this.config = config;
        this.counters = counters;
        this.schedule = new PingSchedule(config.interval());
        this.intervalNanos = config.interval().toNanos();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, new NamedThreads(name));
        e.setRemoveOnCancelPolicy(true);
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timelineStart = System.nanoTime();
        executor = e;
        log.info("{} - started: ping every {} ms at spread phases, close after {} missed pongs", name,
                config.interval().toMillis(), config.missedPongsBeforeClose());
    }

    @Override
    public Health probe() throws Exception {
        ScheduledThreadPoolExecutor e = executor;
        if (e == null || e.isShutdown()) {
            return Health.down("scheduler not running");
        }
        try {
            e.submit(() -> { }).get(PROBE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up();
        } catch (TimeoutException ex) {
            return Health.down("scheduler did not run a task within " + PROBE_DEADLINE.toMillis()
                    + " ms; pings are late (queued tasks: " + e.getQueue().size() + ")");
        }
    }

    @Override
    public synchronized void stop(Duration drainTimeout) {
        ScheduledThreadPoolExecutor e = executor;
        executor = null;
        if (e != null) {
            e.shutdownNow();
        }
    }

    /**
     * The phase distribution of the connections now registered.
     *
     * @return the live schedule
     */
    PingSchedule schedule() {
        return schedule;
    }

    /**
     * Starts pinging a connection at its phase.
     *
     * @param ep the connection, just opened
     */
    void register(ServerEndpoint ep) {
        ScheduledThreadPoolExecutor e = executor;
        if (e == null) {
            return;
        }
        int phase = schedule.assign();
        long delay = schedule.nanosUntilNextPing(phase, System.nanoTime() - timelineStart);
        if (!ep.heartbeatRegistered(phase)) {
            schedule.release(phase);
            return;
        }
        try {
            ep.pingTask(e.scheduleAtFixedRate(() -> tick(ep), delay, intervalNanos, TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // A connection opened while the server stops: it is about to be closed, nothing to ping.
            unregister(ep);
        }
    }

    /**
     * Stops pinging a connection and frees its phase; idempotent.
     *
     * @param ep the connection
     */
    void unregister(ServerEndpoint ep) {
        int phase = ep.heartbeatUnregistered();
        if (phase >= 0) {
            schedule.release(phase);
        }
    }

    /**
     * Runs a task later on the scheduler thread; dropped if the scheduler is stopped.
     *
     * @param task the task; must be short
     * @param delay the delay
     * @return the future, or null when stopped
     */
    ScheduledFuture<?> later(Runnable task, Duration delay) {
        ScheduledThreadPoolExecutor e = executor;
        if (e == null || e.isShutdown()) {
            return null;
        }
        try {
            return e.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            return null;
        }
    }

    /**
     * Runs a task periodically on the scheduler thread until the scheduler stops; an exception is
     * logged and does not cancel it.
     *
     * @param task the task; must be short
     * @param period the period
     */
    void every(Runnable task, Duration period) {
        ScheduledThreadPoolExecutor e = executor;
        if (e == null || e.isShutdown()) {
            return;
        }
        try {
            e.scheduleWithFixedDelay(() -> {
                try {
                    task.run();
                } catch (RuntimeException ex) {
                    log.warn("{} - periodic task failed: {}", name, ex.toString());
                }
            }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // Stopped between the check and the call: a stopped scheduler runs nothing, as documented.
            log.debug("{} - not scheduling a periodic task: the scheduler has stopped", name);
        }
    }

    private void tick(ServerEndpoint ep) {
        try {
            int missed = ep.outstandingPings();
            if (missed >= config.missedPongsBeforeClose()) {
                counters.heartbeatCloses.increment();
                unregister(ep);
                ep.closeForMissedPongs(missed);
                return;
            }
            ep.ping();
            counters.pingsSent.increment();
        } catch (RuntimeException ex) {
            // A failing connection must not cancel the periodic task silently or stop other pings.
            log.warn("{} - ping to {} failed: {}", name, ep, ex.toString());
        }
    }
}
