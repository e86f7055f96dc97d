package dev.coldstart.websocket.internal;

import dev.coldstart.websocket.LogSession;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's sessions: turns a hello into a new, resumed or resynced session, keeps one
 * {@link Outbox} per session this server has seen, wakes them when messages are appended, keeps
 * connected sessions alive in the log and forgets those gone for longer than their time to live.
 * Thread-safe.
 */
final class Hub {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    private static final int ID_BYTES = 16;
    /** What a session id this server issued looks like; anything else is not looked up. */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ServerRuntime rt;
    private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long ttlNanos;

    Hub(ServerRuntime rt) {
        this.rt = rt;
        this.ttlNanos = rt.messageLog.limits().sessionTtl().toNanos();
    }

    /**
     * Attaches a connection that said hello; runs on a sender thread.
     *
     * @param ep the connection
     * @param requestedId the session it wants to resume, or null for a new one
     * @param seq the last sequence number it has of that session
     */
    void hello(ServerEndpoint ep, String requestedId, long seq) {
        if (ep.isClosed()) {
            return;
        }
        String subject = ep.subject();
        String mode = Wire.MODE_NEW;
        try {
            if (requestedId != null) {
                LogSession s = SESSION_ID.matcher(requestedId).matches() ? rt.messageLog.find(requestedId) : null;
                if (s != null && Objects.equals(s.owner(), subject) && seq <= s.lastSeq()) {
                    rt.messageLog.touch(requestedId);
                    Outbox o = outboxes.computeIfAbsent(requestedId, id -> new Outbox(id, rt));
                    rt.counters.resumedSessions.increment();
                    o.attach(ep, seq, Wire.MODE_RESUMED);
                    notifyAttached(o.id(), subject, true);
                    return;
                }
                // Unknown, expired, someone else's, or ahead of the log: never reveal it, start afresh.
                mode = Wire.MODE_RESYNC;
                rt.counters.resyncedSessions.increment();
            } else {
                rt.counters.newSessions.increment();
            }
            String id = newId();
            rt.messageLog.create(id, subject);
            Outbox o = new Outbox(id, rt);
            outboxes.put(id, o);
            o.attach(ep, 0, mode);
            notifyAttached(id, subject, false);
        } catch (RuntimeException e) {
            log.warn("{} - cannot attach a connection to a session (message log unavailable?): {}", rt.config.name(), e.toString());
            ep.close(org.eclipse.jetty.websocket.api.StatusCode.TRY_AGAIN_LATER, "session store unavailable, try again later");
        }
    }

    /**
     * A connection closed.
     *
     * @param o its session's outbox
     * @param ep the connection
     */
    void detached(Outbox o, ServerEndpoint ep) {
        if (o.detach(ep)) {
            notifyDetached(o);
        }
    }

    void notifyDetached(Outbox o) {
        try {
            rt.config.listener().onDetached(o.id());
        } catch (RuntimeException e) {
            log.warn("{} - session listener failed on detach of {}: {}", rt.config.name(), o.id(), e.toString());
        }
    }

    /**
     * A session disappeared from the log while this server held it.
     *
     * @param o its outbox
     */
    void lost(Outbox o) {
        outboxes.remove(o.id(), o);
        notifyDetached(o);
    }

    /**
     * A message was appended to a session's log.
     *
     * @param sessionId the session
     * @param seq its sequence number
     */
    void appended(String sessionId, long seq) {
        Outbox o = outboxes.get(sessionId);
        if (o != null) {
            o.signal();
        }
    }

    int sessions() {
        return outboxes.size();
    }

    /** Keeps connected sessions alive in the log and forgets long-detached ones; runs on the scheduler. */
    void sweep() {
        long now = System.nanoTime();
        for (Outbox o : outboxes.values()) {
            try {
                ServerEndpoint ep = o.connection();
                if (ep != null) {
                    if (!rt.messageLog.touch(o.id())) {
                        if (o.detach(ep)) {
                            lost(o);
                        }
                        ep.sessionLost();
                    }
                } else if (o.detachedLongerThan(ttlNanos, now)) {
                    outboxes.remove(o.id(), o);
                }
            } catch (RuntimeException e) {
                log.warn("{} - session sweep failed for {}: {}", rt.config.name(), o.id(), e.toString());
                return;
            }
        }
    }

    /** Wakes every connected session's sender, to find messages appended by other processes. */
    void poll() {
        for (Outbox o : outboxes.values()) {
            if (o.connection() != null) {
                o.signal();
            }
        }
    }

    /** Closes every connection, for a stop; sessions stay in the log. */
    void closeAll(int code, String reason) {
        for (Outbox o : outboxes.values()) {
            ServerEndpoint ep = o.connection();
            if (ep != null) {
                ep.close(code, reason);
            }
        }
    }

    static Duration sweepInterval(Duration ttl) {
        Duration third = ttl.dividedBy(3);
        Duration cap = Duration.ofSeconds(10);
        return third.compareTo(cap) < 0 ? third : cap;
    }

    private void notifyAttached(String id, String subject, boolean resumed) {
        try {
            rt.config.listener().onAttached(id, subject, resumed);
        } catch (RuntimeException e) {
            log.warn("{} - session listener failed on attach of {}: {}", rt.config.name(), id, e.toString());
        }
    }

    private String newId() {
        byte[] b = new byte[ID_BYTES];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
