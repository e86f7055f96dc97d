package dev.coldstart.websocket.internal;

import dev.coldstart.websocket.LogEntry;
import dev.coldstart.websocket.LogSlice;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender of one session: delivers the session's log, in order, to its current connection.
 *
 * <p>{@code nextSeq} is the next sequence number to send; a (re)attach sets it to the client's
 * resume point plus one, so a message is sent again only when the client says it lacks it, and
 * never skipped: if the log no longer holds it, a gap marker names the dropped range first. At most
 * {@code maxFramesInFlight} frames are handed to Jetty and not yet written (the backpressure
 * window); while the window is full the sender reads nothing, so a slow client costs its log's
 * bounded buffer and nothing else. Frames batch up to {@code maxMessagesPerFrame} messages.
 *
 * <p>At most one drain runs at a time ({@code draining}); {@code dirty} records that something may
 * be left to send, set by appends and by completed frames, so no wake-up is lost. Thread-safe: state
 * is guarded by {@code this}; log reads and Jetty calls happen outside the lock.
 */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final Duration RETRY_AFTER_LOG_FAILURE = Duration.ofSeconds(1);
    private static final AtomicLong LAST_FAILURE_LOG = new AtomicLong(System.nanoTime() - 10_000_000_000L);

    private final String id;
    private final ServerRuntime rt;
    private final int window;
    private final int maxMessagesPerFrame;
    private final int maxFrameChars;

    private ServerEndpoint conn;
    private long nextSeq;
    private int inFlight;
    private boolean draining;
    private boolean dirty;
    private long detachedAt;

    Outbox(String id, ServerRuntime rt) {
        this.id = id;
        this.rt = rt;
        this.window = rt.config.maxFramesInFlight();
        this.maxMessagesPerFrame = rt.config.maxMessagesPerFrame();
        this.maxFrameChars = rt.config.maxFrameChars();
        this.detachedAt = System.nanoTime();
    }

    String id() {
        return id;
    }

    /**
     * Makes a connection this session's current one and sends the welcome; a previous connection is
     * closed as replaced.
     *
     * @param ep the connection
     * @param resumeSeq the last sequence number the client has
     * @param mode the welcome's mode
     */
    void attach(ServerEndpoint ep, long resumeSeq, String mode) {
        ServerEndpoint old;
        synchronized (this) {
            old = conn;
            conn = ep;
            nextSeq = resumeSeq + 1;
            inFlight = 1;
            dirty = true;
            ep.attached(this);
            ep.send(Wire.welcome(id, resumeSeq, mode), frameCallback(ep, 0, false));
        }
        if (old != null && old != ep) {
            old.replaced();
        }
        if (ep.isClosed()) {
            detach(ep);
        }
        signal();
    }

    /**
     * Forgets a connection if it is the current one.
     *
     * @param ep the connection that closed
     * @return true when it was the current one
     */
    synchronized boolean detach(ServerEndpoint ep) {
        if (conn != ep) {
            return false;
        }
        conn = null;
        detachedAt = System.nanoTime();
        return true;
    }

    /**
     * Whether the session has had no connection for longer than the given time.
     *
     * @param ttlNanos the session's time to live
     * @param now the current {@link System#nanoTime()}
     * @return true when detached for longer
     */
    synchronized boolean detachedLongerThan(long ttlNanos, long now) {
        return conn == null && now - detachedAt > ttlNanos;
    }

    synchronized ServerEndpoint connection() {
        return conn;
    }

    /** Something was appended: send it if the window allows. */
    void signal() {
        boolean start = false;
        synchronized (this) {
            dirty = true;
            if (conn != null && !draining && inFlight < window) {
                draining = true;
                start = true;
            }
        }
        if (start && !rt.sender.execute(this::drain)) {
            synchronized (this) {
                draining = false;
            }
        }
    }

    private void drain() {
        try {
            drainLoop();
        } catch (RuntimeException e) {
            synchronized (this) {
                draining = false;
                dirty = true;
            }
            long now = System.nanoTime();
            long last = LAST_FAILURE_LOG.get();
            if (now - last > 10_000_000_000L && LAST_FAILURE_LOG.compareAndSet(last, now)) {
                log.warn("{} - cannot read the log of session {}: {}; retrying every {} ms (messages stay buffered)",
                        rt.config.name(), id, e.toString(), RETRY_AFTER_LOG_FAILURE.toMillis());
            }
            rt.heartbeats.later(this::signal, RETRY_AFTER_LOG_FAILURE);
        }
    }

    private void drainLoop() {
        while (true) {
            ServerEndpoint ep;
            long from;
            synchronized (this) {
                if (conn == null || inFlight >= window || !dirty) {
                    draining = false;
                    return;
                }
                dirty = false;
                ep = conn;
                from = nextSeq;
            }
            LogSlice slice = rt.messageLog.read(id, from - 1, maxMessagesPerFrame);
            if (slice == null) {
                synchronized (this) {
                    draining = false;
                    if (conn == ep) {
                        conn = null;
                    }
                }
                rt.hub.lost(this);
                ep.sessionLost();
                return;
            }
            StringBuilder frame = new StringBuilder(256).append('[');
            long next = from;
            boolean gap = false;
            if (slice.hasGapAfter(from - 1)) {
                Wire.appendGap(frame, from, slice.firstSeq() - 1);
                next = slice.firstSeq();
                gap = true;
            }
            int messages = 0;
            for (LogEntry e : slice.entries()) {
                if (e.seq() != next || (messages > 0 && frame.length() + e.payload().length() > maxFrameChars)) {
                    break;
                }
                Wire.appendMsg(frame, e.seq(), e.payload());
                next++;
                messages++;
            }
            if (next == from) {
                continue;
            }
            synchronized (this) {
                if (conn != ep) {
                    dirty = true;
                    continue;
                }
                nextSeq = next;
                inFlight++;
                if (next <= slice.lastSeq()) {
                    dirty = true;
                }
            }
            ep.send(frame.append(']').toString(), frameCallback(ep, messages, gap));
        }
    }

    private Callback frameCallback(ServerEndpoint ep, int messages, boolean gap) {
        return Callback.from(() -> sent(ep, messages, gap), failure -> failed(ep));
    }

    private void sent(ServerEndpoint ep, int messages, boolean gap) {
        rt.counters.framesSent.increment();
        rt.counters.messagesSent.add(messages);
        if (gap) {
            rt.counters.gapMarkersSent.increment();
        }
        boolean start = false;
        synchronized (this) {
            if (conn != ep) {
                return;
            }
            inFlight--;
            if (dirty && !draining && inFlight < window) {
                draining = true;
                start = true;
            }
        }
        if (start && !rt.sender.execute(this::drain)) {
            synchronized (this) {
                draining = false;
            }
        }
    }

    private void failed(ServerEndpoint ep) {
        rt.counters.sendFailures.increment();
        boolean current;
        synchronized (this) {
            current = conn == ep;
            if (current) {
                conn = null;
                detachedAt = System.nanoTime();
            }
        }
        // The unsent messages stay in the log; the client resumes from what it actually received.
        ep.abort();
        if (current) {
            rt.hub.notifyDetached(this);
        }
    }

    @Override
    public synchronized String toString() {
        return "Outbox[" + id + ", next=" + nextSeq + ", inFlight=" + inFlight + ", connected=" + (conn != null) + "]";
    }
}
