package dev.coldstart.coordination.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of the request gate, shared by the Jetty handler and the servlet filter: a bounded
 * FIFO queue of waiting requests, each with a deadline, released in arrival order once the
 * readiness supplier says ready.
 *
 * <p>The open path ({@link #isOpen()}) reads the readiness supplier and one counter: no lock, no
 * allocation. The counter ({@code pending}) counts requests queued or released but not yet handed
 * to the application, so a request that arrives while earlier ones are being released queues
 * behind them instead of overtaking them. Everything else (queueing, expiry, release) takes one
 * lock for a few list operations; deadlines and releases run on one owned daemon thread, which
 * never runs application code: waiters hand the request to their container's own threads.
 * Thread-safe.
 */
public final class GateQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GateQueue.class);

    /** Why a request was not let through. */
    public enum Rejection {
        /** The queue held its maximum. */
        QUEUE_FULL("queue_full"),
        /** The request waited its whole deadline. */
        DEADLINE("deadline"),
        /** The service failed to start, is stopping or stopped, or the gate was closed. */
        STOPPED("stopped");

        private final String code;

        Rejection(String code) {
            this.code = code;
        }

        /**
         * The short code used in the 503 body.
         *
         * @return for example {@code queue_full}
         */
        public String code() {
            return code;
        }
    }

    /** What {@link #offer(Waiter)} decided. */
    public enum Admission {
        /** Ready and nothing queued: the caller passes the request on at once. */
        PASS,
        /** Queued: the waiter will be released or rejected exactly once. */
        QUEUED,
        /** Refused at once: the queue is full. */
        FULL,
        /** Refused at once: the service will not become ready (failed, stopping, closed). */
        STOPPED
    }

    /**
     * A waiting request. Exactly one of {@link #release(Ticket)} and {@link #reject(Rejection)} is
     * called, once, unless the ticket was {@link GateQueue#cancel(Ticket) cancelled}. Both are called
     * on the gate's thread and must not block or run application code there.
     */
    public interface Waiter {
        /**
         * Lets the request through. The waiter must call {@link Ticket#admitted()} once the request
         * has been handed to the application (or failed doing so), or the gate stays closed.
         *
         * @param ticket the request's ticket
         */
        void release(Ticket ticket);

        /**
         * Refuses the request; the waiter answers 503 with {@code Retry-After}.
         *
         * @param why the reason
         */
        void reject(Rejection why);
    }

    /** One queued request. */
    public final class Ticket {
        private final Waiter waiter;
        private final long enqueuedNanos;
        private final AtomicBoolean settled = new AtomicBoolean();
        private final AtomicBoolean admitted = new AtomicBoolean();
        private ScheduledFuture<?> expiry;

        private Ticket(Waiter waiter, long enqueuedNanos) {
            this.waiter = waiter;
            this.enqueuedNanos = enqueuedNanos;
        }

        /**
         * Says that the released request has been handed to the application; the next request may
         * now pass without queueing. Idempotent.
         */
        public void admitted() {
            if (admitted.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
        }

        /**
         * How long the request waited in the queue, up to now.
         *
         * @return nanoseconds
         */
        public long waitedNanos() {
            return System.nanoTime() - enqueuedNanos;
        }
    }

    private final String name;
    private final BooleanSupplier readiness;
    private final int maxQueued;
    private final long maxWaitNanos;
    private final long pollIntervalNanos;
    private final String retryAfterSeconds;
    private final ScheduledThreadPoolExecutor timer;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile String stoppedReason;
    // Set the first time readiness is seen: the gate holds requests only until the first READY.
    private volatile boolean opened;
    private ScheduledFuture<?> poller;
    private long firstQueuedNanos;

    private final AtomicLong queuedTotal = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong rejectedFull = new AtomicLong();
    private final AtomicLong rejectedDeadline = new AtomicLong();
    private final AtomicLong rejectedStopped = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicInteger highWater = new AtomicInteger();
    private final AtomicLong longestWaitNanos = new AtomicLong();
    // Counts since the last summary line, so each wait for READY is logged once.
    private long episodeReleased;
    private long episodeRejected;

    /**
     * Creates the engine and its timer thread {@code coldstart-<name>-timer}.
     *
     * @param name for logs and the thread name
     * @param readiness read on every request; must be fast and thread-safe
     * @param maxQueued the queue's capacity, positive
     * @param maxWait each request's deadline, positive
     * @param retryAfter the {@code Retry-After} sent with every 503, rounded up to whole seconds, at least 1
     * @param pollInterval how often readiness is read while requests wait, positive
     */
    public GateQueue(String name, BooleanSupplier readiness, int maxQueued, Duration maxWait, Duration retryAfter,
            Duration pollInterval) {
        this.name = name;
        this.readiness = readiness;
        this.maxQueued = maxQueued;
        this.maxWaitNanos = maxWait.toNanos();
        this.pollIntervalNanos = pollInterval.toNanos();
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        this.retryAfterSeconds = Long.toString(seconds);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "coldstart-" + name + "-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Whether a request may pass at once: ready, nothing waiting or being released, not stopped.
     * No lock, no allocation.
     *
     * @return true to pass the request on
     */
    public boolean isOpen() {
        return pending.get() == 0 && stoppedReason == null && ready();
    }

    /**
     * Whether the service has been ready once: from then on nothing is held (only queued requests
     * still being released are waited for).
     *
     * @return true after the first READY
     */
    public boolean hasOpened() {
        return opened;
    }

    private boolean ready() {
        if (opened) {
            return true;
        }
        if (readiness.getAsBoolean()) {
            opened = true;
            return true;
        }
        return false;
    }

    /**
     * Queues a request unless it may pass or must be refused at once.
     *
     * @param waiter the request's waiter
     * @return the decision; for {@link Admission#QUEUED} the waiter hears the outcome later
     */
    public Admission offer(Waiter waiter) {
        return offerTicket(waiter).admission;
    }

    /**
     * Same as {@link #offer(Waiter)}, returning the ticket of a queued request so that it can be
     * {@link #cancel(Ticket) cancelled}.
     *
     * @param waiter the request's waiter
     * @return the decision and, when queued, the ticket
     */
    public Offer offerTicket(Waiter waiter) {
        Ticket ticket;
        boolean ready;
        lock.lock();
        try {
            if (stoppedReason != null) {
                rejectedStopped.incrementAndGet();
                return new Offer(Admission.STOPPED, null);
            }
            ready = ready();
            if (ready && pending.get() == 0) {
                return new Offer(Admission.PASS, null);
            }
            if (queue.size() >= maxQueued) {
                rejectedFull.incrementAndGet();
                episodeRejected++;
                log.debug("{} - refused a request: {} already waiting for READY", name, queue.size());
                return new Offer(Admission.FULL, null);
            }
            long now = System.nanoTime();
            ticket = new Ticket(waiter, now);
            if (queue.isEmpty() && pending.get() == 0) {
                firstQueuedNanos = now;
                if (!ready) {
                    log.info("{} - the service is not READY: holding requests (at most {}, each for at most {} ms)",
                            name, maxQueued, TimeUnit.NANOSECONDS.toMillis(maxWaitNanos));
                }
            }
            queue.addLast(ticket);
            pending.incrementAndGet();
            queuedTotal.incrementAndGet();
            highWater.accumulateAndGet(queue.size(), Math::max);
            ticket.expiry = timer.schedule(() -> expire(ticket), maxWaitNanos, TimeUnit.NANOSECONDS);
            if (poller == null) {
                poller = timer.scheduleWithFixedDelay(this::poll, pollIntervalNanos, pollIntervalNanos,
                        TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
        if (ready) {
            // Ready, but earlier requests are still being released: this one follows them.
            scheduleDrain();
        }
        return new Offer(Admission.QUEUED, ticket);
    }

    /**
     * Removes a queued request whose client went away; its waiter hears nothing. Does nothing if it
     * was already released or rejected.
     *
     * @param ticket the ticket
     * @return true if it was removed by this call
     */
    public boolean cancel(Ticket ticket) {
        if (ticket == null || !ticket.settled.compareAndSet(false, true)) {
            return false;
        }
        lock.lock();
        try {
            queue.remove(ticket);
        } finally {
            lock.unlock();
        }
        if (ticket.expiry != null) {
            ticket.expiry.cancel(false);
        }
        ticket.admitted();
        cancelled.incrementAndGet();
        return true;
    }

    /**
     * Asks for the queue to be released now if the service is ready; returns at once. Called when
     * the readiness source reports a change; the periodic poll covers sources that report nothing.
     */
    public void signal() {
        if (!queueIsEmpty() && ready()) {
            scheduleDrain();
        }
    }

    /**
     * Refuses every waiting request and every later one with 503: the service will not become
     * ready (it failed, or is stopping).
     *
     * @param reason for the log
     */
    public void stop(String reason) {
        List<Ticket> refused;
        lock.lock();
        try {
            if (stoppedReason != null) {
                return;
            }
            stoppedReason = reason;
            refused = new ArrayList<>(queue);
            queue.clear();
            stopPoller();
        } finally {
            lock.unlock();
        }
        int n = 0;
        for (Ticket t : refused) {
            if (settle(t)) {
                rejectedStopped.incrementAndGet();
                n++;
                t.admitted();
                rejectSafely(t, Rejection.STOPPED);
            }
        }
        log.info("{} - {}: {} waiting request(s) and every later one get 503", name, reason, n);
    }

    /**
     * Same as {@link #stop(String)}, unless the service has been ready once: a service that stops
     * after READY drains, and requests that arrive meanwhile are its to serve or refuse.
     *
     * @param reason for the log
     */
    public void stopUnlessOpened(String reason) {
        if (!opened) {
            stop(reason);
        }
    }

    /**
     * Whether {@link #stop(String)} was called.
     *
     * @return true once stopped
     */
    public boolean isStopped() {
        return stoppedReason != null;
    }

    /**
     * Requests waiting now.
     *
     * @return the queue's length
     */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The counters, for statistics.
     *
     * @return queued total, released, refused full, refused at the deadline, refused stopped,
     *     cancelled, high-water mark, longest wait in nanoseconds, waiting now
     */
    public long[] counters() {
        return new long[] {queuedTotal.get(), released.get(), rejectedFull.get(), rejectedDeadline.get(),
            rejectedStopped.get(), cancelled.get(), highWater.get(), longestWaitNanos.get(), queued()};
    }

    /**
     * The {@code Retry-After} value sent with every 503.
     *
     * @return whole seconds, at least 1
     */
    public String retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * The JSON body of a 503.
     *
     * @param why the reason
     * @return UTF-8 bytes
     */
    public byte[] body(Rejection why) {
        String message = switch (why) {
            case QUEUE_FULL -> "the service is starting and " + maxQueued + " requests already wait for it";
            case DEADLINE -> "the service did not become ready within "
                    + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms";
            case STOPPED -> "the service is not available (" + (stoppedReason == null ? "stopping" : stoppedReason) + ")";
        };
        return ("{\"error\":\"service unavailable\",\"reason\":\"" + why.code() + "\",\"message\":\"" + message
                + "; retry after " + retryAfterSeconds + " s\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Stops the timer thread and refuses waiting requests. */
    @Override
    public void close() {
        stop("the request gate was closed");
        timer.shutdownNow();
    }

    private boolean queueIsEmpty() {
        lock.lock();
        try {
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                timer.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drainScheduled.set(false);
            }
        }
    }

    private void poll() {
        lock.lock();
        try {
            if (queue.isEmpty()) {
                stopPoller();
                return;
            }
        } finally {
            lock.unlock();
        }
        if (ready()) {
            drain();
        }
    }

    /** Runs on the timer thread only, so releases happen one after the other in queue order. */
    private void drain() {
        drainScheduled.set(false);
        int n = 0;
        while (ready() && stoppedReason == null) {
            Ticket t;
            lock.lock();
            try {
                t = queue.pollFirst();
                if (t == null) {
                    stopPoller();
                    break;
                }
            } finally {
                lock.unlock();
            }
            if (!settle(t)) {
                continue;
            }
            longestWaitNanos.accumulateAndGet(t.waitedNanos(), Math::max);
            released.incrementAndGet();
            n++;
            try {
                t.waiter.release(t);
            } catch (RuntimeException e) {
                t.admitted();
                log.warn("{} - handing a released request to its container failed: {}", name, e.toString(), e);
            }
        }
        if (n > 0) {
            summarize(n);
        }
    }

    private void summarize(int releasedNow) {
        long rejected;
        long waitedMillis;
        lock.lock();
        try {
            episodeReleased += releasedNow;
            if (!queue.isEmpty()) {
                return;
            }
            rejected = episodeRejected;
            waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstQueuedNanos);
            releasedNow = (int) episodeReleased;
            episodeReleased = 0;
            episodeRejected = 0;
        } finally {
            lock.unlock();
        }
        log.info("{} - ready: released {} held request(s) in arrival order after {} ms; {} refused with 503 meanwhile",
                name, releasedNow, waitedMillis, rejected);
    }

    private void expire(Ticket t) {
        lock.lock();
        try {
            if (!queue.remove(t)) {
                return;
            }
            if (queue.isEmpty()) {
                stopPoller();
            }
            episodeRejected++;
        } finally {
            lock.unlock();
        }
        if (!settle(t)) {
            return;
        }
        rejectedDeadline.incrementAndGet();
        longestWaitNanos.accumulateAndGet(t.waitedNanos(), Math::max);
        t.admitted();
        log.debug("{} - refused a request after waiting {} ms for READY", name, TimeUnit.NANOSECONDS.toMillis(t.waitedNanos()));
        rejectSafely(t, Rejection.DEADLINE);
    }

    private boolean settle(Ticket t) {
        if (!t.settled.compareAndSet(false, true)) {
            return false;
        }
        if (t.expiry != null) {
            t.expiry.cancel(false);
        }
        return true;
    }

    private void rejectSafely(Ticket t, Rejection why) {
        try {
            t.waiter.reject(why);
        } catch (RuntimeException e) {
            log.warn("{} - answering 503 to a refused request failed: {}", name, e.toString(), e);
        }
    }

    /** Caller holds the lock. */
    private void stopPoller() {
        if (poller != null) {
            poller.cancel(false);
            poller = null;
        }
    }

    /**
     * The outcome of {@link #offerTicket(Waiter)}.
     *
     * @param admission the decision
     * @param ticket the ticket when queued, else null
     */
    public record Offer(Admission admission, Ticket ticket) {
    }
}
