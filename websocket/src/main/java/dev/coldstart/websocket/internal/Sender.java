package dev.coldstart.websocket.internal;

import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that deliver to sessions, as a {@link Component}: each session's sender runs here
 * when it has something to send, reads its log and hands frames to Jetty asynchronously; hellos are
 * handled here too, so that log lookups never block Jetty's threads. At most one task per session
 * and one per connection waiting for its welcome are queued, so the queue is bounded by the
 * connections. Its probe checks that a task runs within a second. Thread-safe.
 */
public final class Sender implements Component {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(1);

    private final String name;
    private final int threads;
    private volatile ThreadPoolExecutor executor;

    Sender(String name, int threads) {
        this.name = name;
        this.threads = threads;
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
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new NamedThreads(name));
        log.info("{} - started with {} thread(s)", name, threads);
    }

    @Override
    public Health probe() throws Exception {
        ThreadPoolExecutor e = executor;
        if (e == null || e.isShutdown()) {
            return Health.down("sender threads not running");
        }
        try {
            e.submit(() -> { }).get(PROBE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up();
        } catch (TimeoutException ex) {
            return Health.down("no sender thread free within " + PROBE_DEADLINE.toMillis() + " ms (queued: "
                    + e.getQueue().size() + ")");
        }
    }

    @Override
    public synchronized void stop(Duration drainTimeout) throws InterruptedException {
        ThreadPoolExecutor e = executor;
        executor = null;
        if (e != null) {
            e.shutdown();
            if (!e.awaitTermination(Math.max(1, drainTimeout.toMillis()), TimeUnit.MILLISECONDS)) {
                e.shutdownNow();
            }
        }
    }

    /**
     * Runs a task on a sender thread.
     *
     * @param task the task
     * @return false when the sender is stopped and the task was dropped
     */
    boolean execute(Runnable task) {
        ThreadPoolExecutor e = executor;
        if (e == null) {
            return false;
        }
        try {
            e.execute(task);
            return true;
        } catch (RejectedExecutionException ex) {
            return false;
        }
    }
}
