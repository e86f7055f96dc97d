package dev.coldstart.websocket.internal;

import dev.coldstart.core.Checks;
import dev.coldstart.websocket.BroadcastResult;
import dev.coldstart.websocket.Broadcaster;
import dev.coldstart.websocket.MessageLog;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broadcaster} that appends to a {@link MessageLog} and then tells a hook which sessions
 * took the message (the server's hook wakes their senders; the log-only one does nothing).
 * Failures are counted and logged at most every 10 s, never thrown. Thread-safe.
 */
public class LogOnlyBroadcaster implements Broadcaster {
    private static final Logger log = LoggerFactory.getLogger(LogOnlyBroadcaster.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final MessageLog messageLog;
    private final ObjLongConsumer<String> onAppended;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    /**
     * Creates a broadcaster that only appends.
     *
     * @param messageLog the log
     */
    public LogOnlyBroadcaster(MessageLog messageLog) {
        this(messageLog, (id, seq) -> { });
    }

    /**
     * Creates a broadcaster with a hook.
     *
     * @param messageLog the log
     * @param onAppended called with each session id and the sequence number it got
     */
    public LogOnlyBroadcaster(MessageLog messageLog, ObjLongConsumer<String> onAppended) {
        this.messageLog = Checks.notNull(messageLog, "messageLog");
        this.onAppended = Checks.notNull(onAppended, "onAppended");
    }

    @Override
    public BroadcastResult broadcast(String payload) {
        Checks.requireArgument(payload, "payload");
        List<String> ids;
        try {
            ids = messageLog.sessionIds();
        } catch (RuntimeException e) {
            return failed(0, 0, "cannot list sessions: " + e);
        }
        return appendTo(ids, payload);
    }

    @Override
    public BroadcastResult send(String sessionId, String payload) {
        Checks.requireArgument(sessionId, "sessionId");
        Checks.requireArgument(payload, "payload");
        return appendTo(List.of(sessionId), payload);
    }

    /**
     * How many appends failed since creation.
     *
     * @return zero or more
     */
    public long failures() {
        return failures.get();
    }

    private BroadcastResult appendTo(List<String> ids, String payload) {
        if (ids.isEmpty()) {
            return new BroadcastResult(0, 0, 0, null);
        }
        long[] seqs;
        try {
            seqs = messageLog.appendToEach(ids, payload);
        } catch (RuntimeException e) {
            return failed(ids.size(), ids.size(), e.toString());
        }
        int appended = 0;
        for (int i = 0; i < seqs.length; i++) {
            if (seqs[i] > 0) {
                appended++;
                try {
                    onAppended.accept(ids.get(i), seqs[i]);
                } catch (RuntimeException e) {
                    // The message is in the log; the session's sender will find it on its next wake-up.
                    log.warn("{} - waking the sender of session {} failed: {}", messageLog.name(), ids.get(i), e.toString());
                }
            }
        }
        int missing = ids.size() - appended;
        return missing == 0 ? new BroadcastResult(ids.size(), appended, 0, null)
                : failed(ids.size(), missing, missing + " session(s) unknown or expired");
    }

    private BroadcastResult failed(int sessions, int failed, String why) {
        long total = failures.addAndGet(Math.max(1, failed));
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            log.warn("{} - broadcast could not append to {} of {} session(s): {} ({} failed appends so far)",
                    messageLog.name(), failed, sessions, why, total);
        }
        return new BroadcastResult(sessions, sessions - failed, failed, why);
    }
}
