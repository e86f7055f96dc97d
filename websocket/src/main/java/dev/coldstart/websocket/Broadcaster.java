package dev.coldstart.websocket;

import dev.coldstart.websocket.internal.LogOnlyBroadcaster;

/**
 * Sends messages to sessions: appends each to the session's {@link MessageLog} (which assigns its
 * sequence number and is the bounded retry queue), then wakes the session's sender, which delivers
 * asynchronously with backpressure. A slow or disconnected session never slows the others: its
 * messages wait in its log (bounded by {@link BufferLimits}) and are delivered in order after it
 * catches up or reconnects; overflow becomes an explicit gap marker.
 *
 * <p>No exception escapes: failures are counted in the {@link BroadcastResult} and logged. Messages
 * from one thread reach every session in the order they were sent; concurrent callers are ordered
 * per session only. Thread-safe.
 */
public interface Broadcaster {

    /**
     * A broadcaster that only appends to a log, for a publisher process without a WebSocket server
     * (or while the server restarts): the server that later holds the sessions delivers from the
     * shared log.
     *
     * @param log the log, started; for example a Redis log shared with the server
     * @return a new broadcaster
     */
    static Broadcaster overLog(MessageLog log) {
        return new LogOnlyBroadcaster(log);
    }

    /**
     * Sends a message to every live session, connected or not.
     *
     * @param payload the message's text; not null
     * @return what happened; never throws
     */
    BroadcastResult broadcast(String payload);

    /**
     * Sends a message to one session.
     *
     * @param sessionId the session's id
     * @param payload the message's text; not null
     * @return what happened; a session unknown or expired counts as failed; never throws
     */
    BroadcastResult send(String sessionId, String payload);
}
