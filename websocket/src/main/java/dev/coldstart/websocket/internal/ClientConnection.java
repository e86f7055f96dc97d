package dev.coldstart.websocket.internal;

import dev.coldstart.websocket.ClientListener;
import dev.coldstart.websocket.ClientStats;
import dev.coldstart.websocket.ReconnectPolicy;
import dev.coldstart.websocket.WelcomeMode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpCookie;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine behind {@code ReconnectingClient}: connect, hello, welcome, sequenced delivery,
 * silence detection, and reconnect under the {@link ReconnectPolicy}. Every connection attempt has a
 * generation; events of an older generation are ignored, so a late callback of a dropped
 * connection never disturbs the current one. Thread-safe: state is guarded by {@code this}; listener
 * calls happen outside the lock, one connection's messages in Jetty's order (reading is demanded
 * again only after a frame has been handled).
 */
public final class ClientConnection {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    /** The client's states. */
    public enum State {
        /** Built, not started. */
        IDLE,
        /** An upgrade is in flight. */
        CONNECTING,
        /** Upgraded, hello sent, waiting for the welcome. */
        HANDSHAKING,
        /** Welcomed: messages flow. */
        CONNECTED,
        /** Waiting before the next attempt. */
        WAITING,
        /** Stopped by the application. */
        STOPPED,
        /** Gave up after a permanent rejection or the attempt limit. */
        GAVE_UP
    }

    private final TransportRuntime transport;
    private final String name;
    private final URI uri;
    private final Map<String, String> headers;
    private final List<HttpCookie> cookies;
    private final Supplier<String> bearerToken;
    private final ReconnectPolicy policy;
    private final long silenceNanos;
    private final ClientListener listener;

    private final LongAdder attempts = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder rejectedWithRetryAfter = new LongAdder();
    private final LongAdder retryAfterHints = new LongAdder();
    private final LongAdder rejectedOther = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder otherFailures = new LongAdder();
    private final LongAdder silenceDetections = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder unannouncedGaps = new LongAdder();
    private final LongAdder gapMarkers = new LongAdder();
    private final LongAdder lostMessages = new LongAdder();
    private final LongAdder resyncs = new LongAdder();

    private State state = State.IDLE;
    private long generation;
    private Session session;
    private int failedAttempts;
    private String sessionId;
    private long lastSeq;
    private boolean paused;
    private boolean demandWithheld;
    private boolean pingSent;
    private volatile long lastReceived;
    private ScheduledFuture<?> reconnectTask;
    private ScheduledFuture<?> silenceTask;

    /**
     * Creates the client; nothing happens until {@link #start()}.
     *
     * @param transport the shared transport
     * @param name the name in logs
     * @param uri the server's endpoint
     * @param headers extra upgrade headers, for example {@code Origin}
     * @param cookies cookies sent with every upgrade
     * @param bearerToken supplies the token sent as {@code Authorization: Bearer}, or null
     * @param policy the reconnect policy
     * @param silenceTimeout how long the server may stay silent before the connection is dropped
     * @param listener the application's listener
     */
    public ClientConnection(TransportRuntime transport, String name, URI uri, Map<String, String> headers,
            List<HttpCookie> cookies, Supplier<String> bearerToken, ReconnectPolicy policy, Duration silenceTimeout,
            ClientListener listener) {
        this.transport = transport;
        this.name = name;
        this.uri = uri;
        this.headers = Map.copyOf(headers);
        this.cookies = List.copyOf(cookies);
        this.bearerToken = bearerToken;
        this.policy = policy;
        this.silenceNanos = silenceTimeout.toNanos();
        this.listener = listener;
    }

    /** Starts connecting, at once; resumes the session of a previous run if there is one. */
    public void start() {
        synchronized (this) {
            if (state != State.IDLE && state != State.STOPPED && state != State.GAVE_UP) {
                return;
            }
            state = State.WAITING;
            failedAttempts = 0;
            // Checked eight times per timeout, so silence is noticed at most an eighth late.
            long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), silenceNanos / 8);
            silenceTask = transport.scheduler().scheduleWithFixedDelay(this::checkSilence, period, period, TimeUnit.NANOSECONDS);
        }
        connect();
    }

    /** Closes the connection normally and stops reconnecting; {@link #start()} resumes later. */
    public void stop() {
        Session s;
        synchronized (this) {
            state = State.STOPPED;
            generation++;
            cancelTasks();
            s = session;
            session = null;
        }
        if (s != null) {
            s.close(StatusCode.NORMAL, "client stopping", Callback.NOOP);
        }
    }

    /** Drops the connection without a close handshake, as a network failure would; then reconnects. */
    public void dropConnection() {
        Session s;
        synchronized (this) {
            s = session;
        }
        if (s != null) {
            s.disconnect();
        }
    }

    /** Stops reading frames: the server's sends back up and its backpressure takes over. */
    public synchronized void pauseReading() {
        paused = true;
    }

    /** Reads frames again after {@link #pauseReading()}. */
    public void resumeReading() {
        Session s = null;
        synchronized (this) {
            paused = false;
            lastReceived = System.nanoTime();
            if (demandWithheld) {
                demandWithheld = false;
                s = session;
            }
        }
        if (s != null) {
            s.demand();
        }
    }

    /**
     * Sends an application message.
     *
     * @param payload the text
     * @return false when not connected (nothing was sent)
     */
    public boolean send(String payload) {
        Session s;
        synchronized (this) {
            if (state != State.CONNECTED) {
                return false;
            }
            s = session;
        }
        s.sendText(Wire.data(payload), Callback.NOOP);
        return true;
    }

    /**
     * The current state.
     *
     * @return the state
     */
    public synchronized State state() {
        return state;
    }

    /**
     * The session of the last welcome.
     *
     * @return its id, or null before the first welcome
     */
    public synchronized String sessionId() {
        return sessionId;
    }

    /**
     * The resume point: the last sequence number delivered or skipped by a gap marker.
     *
     * @return zero or more
     */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /**
     * A snapshot of the counters.
     *
     * @return the snapshot
     */
    public ClientStats stats() {
        long seq;
        synchronized (this) {
            seq = lastSeq;
        }
        return new ClientStats(attempts.sum(), connects.sum(), rejectedWithRetryAfter.sum(), retryAfterHints.sum(), rejectedOther.sum(),
                resets.sum(), timeouts.sum(), refused.sum(), otherFailures.sum(), silenceDetections.sum(),
                disconnects.sum(), messages.sum(), duplicates.sum(), unannouncedGaps.sum(), gapMarkers.sum(),
                lostMessages.sum(), resyncs.sum(), seq);
    }

    private void connect() {
        ClientEndpoint ep;
        synchronized (this) {
            if (state == State.STOPPED || state == State.GAVE_UP) {
                return;
            }
            reconnectTask = null;
            state = State.CONNECTING;
            ep = new ClientEndpoint(this, ++generation);
        }
        attempts.increment();
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        headers.forEach(request::setHeader);
        if (!cookies.isEmpty()) {
            request.setCookies(cookies);
        }
        request.setTimeout(policy.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            if (bearerToken != null) {
                String token = bearerToken.get();
                if (token != null) {
                    request.setHeader("Authorization", "Bearer " + token);
                }
            }
            transport.client().connect(ep, request, ep).whenComplete((s, failure) -> {
                if (failure != null) {
                    connectFailed(ep, failure);
                }
            });
        } catch (IOException | RuntimeException e) {
            connectFailed(ep, e);
        }
    }

    private void connectFailed(ClientEndpoint ep, Throwable failure) {
        int status = ep.status();
        Duration retryAfter = ep.retryAfter();
        if (status == 0) {
            status = statusOf(failure);
        }
        classify(status, retryAfter, failure);
        boolean gaveUp;
        synchronized (this) {
            if (ep.generation() != generation || state != State.CONNECTING) {
                return;
            }
            failedAttempts++;
            int max = policy.backoff().maxAttempts();
            gaveUp = (status != 0 && policy.isPermanent(status)) || (max > 0 && failedAttempts >= max);
            if (gaveUp) {
                state = State.GAVE_UP;
                cancelTasks();
            } else {
                scheduleReconnect(policy.delayBeforeNextAttempt(failedAttempts, retryAfter));
            }
        }
        if (gaveUp) {
            log.warn("{} - giving up on {} after {} attempt(s): {}", name, uri, attempts.sum(),
                    status != 0 ? "HTTP " + status : failure.toString());
            notifyListener(() -> listener.onGaveUp(ep.status()));
        } else if (log.isDebugEnabled()) {
            log.debug("{} - attempt failed ({}), retrying", name, status != 0 ? "HTTP " + status : failure.toString());
        }
    }

    private void classify(int status, Duration retryAfter, Throwable failure) {
        if (retryAfter != null) {
            retryAfterHints.increment();
        }
        if (status == 429 || status == 503) {
            rejectedWithRetryAfter.increment();
        } else if (status != 0 && status != 101) {
            rejectedOther.increment();
        } else if (has(failure, ConnectException.class)) {
            refused.increment();
        } else if (mentions(failure, "reset") || mentions(failure, "broken pipe")) {
            resets.increment();
        } else if (has(failure, TimeoutException.class) || mentions(failure, "timeout") || mentions(failure, "timed out")) {
            timeouts.increment();
        } else {
            otherFailures.increment();
            log.debug("{} - unclassified connect failure", name, failure);
        }
    }

    void opened(ClientEndpoint ep, Session s) {
        String hello;
        synchronized (this) {
            if (ep.generation() != generation || state != State.CONNECTING) {
                s.disconnect();
                return;
            }
            session = s;
            state = State.HANDSHAKING;
            lastReceived = System.nanoTime();
            pingSent = false;
            hello = Wire.hello(sessionId, lastSeq);
        }
        s.sendText(hello, Callback.NOOP);
        s.demand();
    }

    void text(ClientEndpoint ep, Session s, String text) {
        List<Runnable> events = new ArrayList<>(4);
        boolean protocolError = false;
        synchronized (this) {
            if (ep.generation() != generation) {
                return;
            }
            lastReceived = System.nanoTime();
            pingSent = false;
            try {
                for (Map<String, Object> r : Wire.parseServerFrame(text)) {
                    handleRecord(r, events);
                }
            } catch (IllegalArgumentException e) {
                log.warn("{} - malformed frame from {}: {}; reconnecting", name, uri, e.getMessage());
                protocolError = true;
            }
        }
        for (Runnable e : events) {
            notifyListener(e);
        }
        if (protocolError) {
            s.close(StatusCode.PROTOCOL, "malformed frame", Callback.NOOP);
            return;
        }
        demandUnlessPaused(ep, s);
    }

    /** Called with the lock held. */
    private void handleRecord(Map<String, Object> r, List<Runnable> events) {
        String type = (String) r.get("type");
        switch (type) {
            case Wire.WELCOME -> {
                String id = Wire.stringField(r, "session");
                long seq = Wire.longField(r, "seq");
                WelcomeMode mode = switch (String.valueOf(r.get("mode"))) {
                    case Wire.MODE_RESUMED -> WelcomeMode.RESUMED;
                    case Wire.MODE_RESYNC -> WelcomeMode.RESYNC;
                    default -> WelcomeMode.NEW;
                };
                if (mode == WelcomeMode.RESYNC) {
                    resyncs.increment();
                }
                sessionId = id;
                lastSeq = seq;
                state = State.CONNECTED;
                failedAttempts = 0;
                connects.increment();
                events.add(() -> listener.onConnected(id, mode));
            }
            case Wire.MSG -> {
                long seq = Wire.longField(r, "seq");
                String payload = Wire.stringField(r, "data");
                if (seq <= lastSeq) {
                    duplicates.increment();
                    return;
                }
                if (seq > lastSeq + 1) {
                    unannouncedGaps.increment();
                    long from = lastSeq + 1;
                    events.add(() -> listener.onGap(from, seq - 1));
                }
                lastSeq = seq;
                messages.increment();
                events.add(() -> listener.onMessage(seq, payload == null ? "" : payload));
            }
            case Wire.GAP -> {
                long from = Wire.longField(r, "from");
                long to = Wire.longField(r, "to");
                gapMarkers.increment();
                lostMessages.add(Math.max(0, to - from + 1));
                lastSeq = Math.max(lastSeq, to);
                events.add(() -> listener.onGap(from, to));
            }
            default -> log.debug("{} - ignoring record of unknown type {}", name, type);
        }
    }

    void controlFrame(ClientEndpoint ep, Session s) {
        synchronized (this) {
            if (ep.generation() != generation) {
                return;
            }
            lastReceived = System.nanoTime();
            pingSent = false;
        }
        demandUnlessPaused(ep, s);
    }

    void closed(ClientEndpoint ep, String reason) {
        synchronized (this) {
            if (ep.generation() != generation || (state != State.HANDSHAKING && state != State.CONNECTED)) {
                return;
            }
            session = null;
            disconnects.increment();
            failedAttempts = 1;
            scheduleReconnect(policy.delayBeforeNextAttempt(failedAttempts, null));
        }
        notifyListener(() -> listener.onDisconnected(reason));
    }

    private void demandUnlessPaused(ClientEndpoint ep, Session s) {
        synchronized (this) {
            if (ep.generation() != generation) {
                return;
            }
            if (paused) {
                demandWithheld = true;
                return;
            }
        }
        s.demand();
    }

    private void checkSilence() {
        Session drop = null;
        Session ping = null;
        synchronized (this) {
            if ((state != State.HANDSHAKING && state != State.CONNECTED) || paused || session == null) {
                return;
            }
            long idle = System.nanoTime() - lastReceived;
            if (idle > silenceNanos) {
                silenceDetections.increment();
                disconnects.increment();
                drop = session;
                session = null;
                generation++;
                failedAttempts = 1;
                scheduleReconnect(policy.delayBeforeNextAttempt(failedAttempts, null));
            } else if (idle > silenceNanos / 2 && !pingSent) {
                pingSent = true;
                ping = session;
            }
        }
        if (drop != null) {
            log.info("{} - the server at {} has been silent for more than {} ms; dropping the connection and reconnecting",
                    name, uri, TimeUnit.NANOSECONDS.toMillis(silenceNanos));
            drop.disconnect();
            notifyListener(() -> listener.onDisconnected("server silent for more than "
                    + TimeUnit.NANOSECONDS.toMillis(silenceNanos) + " ms"));
        } else if (ping != null) {
            ping.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    /** Called with the lock held. */
    private void scheduleReconnect(Duration delay) {
        state = State.WAITING;
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
        }
        try {
            reconnectTask = transport.scheduler().schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            state = State.STOPPED;
        }
    }

    /** Called with the lock held. */
    private void cancelTasks() {
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
            reconnectTask = null;
        }
        if (silenceTask != null) {
            silenceTask.cancel(false);
            silenceTask = null;
        }
    }

    private void notifyListener(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            log.warn("{} - client listener failed: {}", name, e.toString());
        }
    }

    private static int statusOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UpgradeException ue && ue.getResponseStatusCode() > 0) {
                return ue.getResponseStatusCode();
            }
            if (t instanceof org.eclipse.jetty.websocket.core.exception.UpgradeException ue && ue.getResponseStatusCode() > 0) {
                return ue.getResponseStatusCode();
            }
        }
        return 0;
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentions(Throwable failure, String word) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains(word)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized String toString() {
        return name + "[" + state + ", session " + sessionId + ", lastSeq " + lastSeq + "]";
    }
}
