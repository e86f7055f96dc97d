package dev.coldstart.websocket.internal;

import dev.coldstart.core.VerifiedToken;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-side WebSocket connection, as Jetty's listener: heartbeat state, the hello, client
 * messages, and the link to the session's {@link Outbox} once attached. Public only because Jetty
 * invokes listener methods through public lookups; not part of the API. Thread-safe.
 */
public final class ServerEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger log = LoggerFactory.getLogger(ServerEndpoint.class);
    /** Close code: K pings in a row went unanswered. */
    static final int CLOSE_MISSED_PONGS = 4000;
    /** Close code: a newer connection resumed the same session. */
    static final int CLOSE_REPLACED = 4001;
    /** Close code: the session was lost on the server (expired or log lost); reconnect to resync. */
    static final int CLOSE_SESSION_LOST = 4002;

    private final ServerRuntime rt;
    private final VerifiedToken token;
    private final AtomicInteger outstandingPings = new AtomicInteger();
    private final AtomicLong pingCounter = new AtomicLong();
    private final AtomicBoolean helloSeen = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger phase = new AtomicInteger(-2);
    private volatile Session session;
    private volatile ScheduledFuture<?> pingTask;
    private volatile Outbox outbox;

    ServerEndpoint(ServerRuntime rt, VerifiedToken token) {
        this.rt = rt;
        this.token = token;
    }

    /**
     * The subject of the verified token.
     *
     * @return the subject, or null without authentication
     */
    String subject() {
        return token == null ? null : token.subject();
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        rt.counters.connectionOpened();
        rt.heartbeats.register(this);
        rt.heartbeats.later(this::helloDeadline, rt.config.helloTimeout());
    }

    @Override
    public void onWebSocketText(String text) {
        if (helloSeen.compareAndSet(false, true)) {
            onHello(text);
            return;
        }
        Outbox o = outbox;
        Map<String, Object> frame;
        try {
            frame = Wire.parseClientFrame(text);
        } catch (IllegalArgumentException e) {
            close(StatusCode.POLICY_VIOLATION, "malformed frame: " + e.getMessage());
            return;
        }
        if (Wire.PING.equals(frame.get("type"))) {
            send(Wire.PONG_FRAME, Callback.NOOP);
            return;
        }
        if (o == null || !Wire.DATA.equals(frame.get("type"))) {
            close(StatusCode.POLICY_VIOLATION, o == null ? "data before welcome" : "unexpected frame type " + frame.get("type"));
            return;
        }
        String payload = Wire.stringField(frame, "data");
        try {
            rt.config.listener().onMessage(o.id(), payload == null ? "" : payload);
        } catch (RuntimeException e) {
            log.warn("{} - session listener failed on a message of session {}: {}", rt.config.name(), o.id(), e.toString());
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        close(StatusCode.BAD_DATA, "binary frames are not part of the protocol");
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        Session s = session;
        if (s != null) {
            s.sendPong(payload, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        outstandingPings.set(0);
        rt.counters.pongsReceived.increment();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("{} - connection error: {}", rt.config.name(), cause.toString());
        closed();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closed();
        callback.succeed();
    }

    private void onHello(String text) {
        String sessionId;
        long seq;
        try {
            Map<String, Object> hello = Wire.parseClientFrame(text);
            if (!Wire.HELLO.equals(hello.get("type"))) {
                throw new IllegalArgumentException("expected a hello, but was " + hello.get("type"));
            }
            sessionId = Wire.stringField(hello, "session");
            seq = sessionId == null ? 0 : Wire.longField(hello, "seq");
            if (seq < 0) {
                throw new IllegalArgumentException("seq must not be negative, but was " + seq);
            }
        } catch (IllegalArgumentException e) {
            close(StatusCode.POLICY_VIOLATION, "bad hello: " + e.getMessage());
            return;
        }
        String id = sessionId;
        long resume = seq;
        if (!rt.sender.execute(() -> rt.hub.hello(this, id, resume))) {
            close(StatusCode.SHUTDOWN, "server stopping");
        }
    }

    private void helloDeadline() {
        if (!helloSeen.get() && !closed.get()) {
            close(StatusCode.POLICY_VIOLATION, "no hello within " + rt.config.helloTimeout().toMillis() + " ms");
        }
    }

    private void closed() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        rt.counters.connectionClosed();
        rt.heartbeats.unregister(this);
        Outbox o = outbox;
        if (o != null) {
            rt.hub.detached(o, this);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    void attached(Outbox o) {
        this.outbox = o;
    }

    /**
     * Sends a frame.
     *
     * @param text the frame's text
     * @param callback completed when written or failed
     */
    void send(String text, Callback callback) {
        Session s = session;
        if (s == null || closed.get()) {
            callback.fail(new java.nio.channels.ClosedChannelException());
            return;
        }
        s.sendText(text, callback);
    }

    void ping() {
        Session s = session;
        if (s == null || closed.get()) {
            return;
        }
        outstandingPings.incrementAndGet();
        ByteBuffer payload = ByteBuffer.allocate(Long.BYTES).putLong(0, pingCounter.incrementAndGet());
        s.sendPing(payload, Callback.NOOP);
    }

    int outstandingPings() {
        return outstandingPings.get();
    }

    /**
     * Records the heartbeat phase unless the connection already closed.
     *
     * @param assigned the phase
     * @return false when the connection closed first; the caller releases the phase
     */
    boolean heartbeatRegistered(int assigned) {
        return phase.compareAndSet(-2, assigned);
    }

    void pingTask(ScheduledFuture<?> task) {
        this.pingTask = task;
        if (closed.get()) {
            task.cancel(false);
        }
    }

    /**
     * Forgets the heartbeat registration.
     *
     * @return the phase to release, or -1 when there is none (never registered or already done)
     */
    int heartbeatUnregistered() {
        int p = phase.getAndSet(-1);
        ScheduledFuture<?> t = pingTask;
        if (t != null) {
            t.cancel(false);
        }
        return p >= 0 ? p : -1;
    }

    void closeForMissedPongs(int missed) {
        log.info("{} - closing a connection{} after {} unanswered pings", rt.config.name(),
                outbox == null ? "" : " of session " + outbox.id(), missed);
        closeThenDisconnect(CLOSE_MISSED_PONGS, "missed " + missed + " pongs");
    }

    void replaced() {
        close(CLOSE_REPLACED, "replaced by a newer connection of the same session");
    }

    void sessionLost() {
        close(CLOSE_SESSION_LOST, "session lost on the server; reconnect to resync");
    }

    /** Drops the connection without a close handshake, after a failed write. */
    void abort() {
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    /**
     * Sends a close frame and drops the connection without waiting for the peer's close, which a
     * dead peer never sends; the drop is also scheduled in case the close frame cannot be written.
     */
    private void closeThenDisconnect(int code, String reason) {
        Session s = session;
        if (s == null) {
            return;
        }
        s.close(code, reason, Callback.from(s::disconnect, t -> s.disconnect()));
        rt.heartbeats.later(s::disconnect, Duration.ofMillis(500));
    }

    @Override
    public String toString() {
        Session s = session;
        Outbox o = outbox;
        return "connection[" + (s == null ? "?" : s.getRemoteSocketAddress()) + (o == null ? "" : ", session " + o.id()) + "]";
    }
}
