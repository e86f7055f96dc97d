package dev.coldstart.websocket;

import dev.coldstart.core.Component;
import dev.coldstart.websocket.internal.InMemoryMessageLog;
import dev.coldstart.websocket.internal.RedisMessageLog;
import java.net.URI;
import java.util.List;

/**
 * The per-session message buffer behind resume: every message sent to a session is appended here
 * first and gets the session's next sequence number; a client that reconnects says the last
 * sequence number it has and is sent everything after it, read from here.
 *
 * <p>Each session keeps at most {@link BufferLimits#maxMessagesPerSession()} messages and
 * {@link BufferLimits#maxBytesPerSession()} bytes; older messages are dropped, and a reader that
 * asks for dropped messages learns it from {@link LogSlice#firstSeq()} so that the client gets an
 * explicit gap marker. Sessions without a connection for {@link BufferLimits#sessionTtl()} are
 * forgotten. The same log, with unchanged sequence numbers, also serves as the retry queue of the
 * {@link Broadcaster}: a message whose send failed is sent again from here after the reconnect.
 *
 * <p>Two implementations: {@link #inMemory(String, BufferLimits)} for a single process, and
 * {@link #redis(String, URI, String, BufferLimits)} on Redis Streams, which survives a restart of
 * the server and is shared by its replicas. The log is a {@link Component}: start it before the
 * server (the server {@linkplain WebSocketServer#dependsOn() depends on it}); its probe makes a
 * real round trip for Redis.
 *
 * <p>Implementations are thread-safe. Appends to one session are ordered; sequence numbers of a
 * session are contiguous from 1. Arguments are non-null unless stated.
 */
public interface MessageLog extends Component {

    /**
     * An in-memory log for a single process: sessions and messages are lost with the process.
     *
     * @param name the component's name, for example {@code "ws-log"}; not blank
     * @param limits the per-session limits
     * @return a new log; start it before use
     */
    static MessageLog inMemory(String name, BufferLimits limits) {
        return new InMemoryMessageLog(name, limits, System::nanoTime);
    }

    /**
     * A log on Redis Streams (Lettuce client): one stream per session, appended with {@code XADD}
     * (explicit ids {@code <seq>-0}, {@code MAXLEN} the message limit), read with {@code XRANGE} from
     * the resume point, plus a hash for the session's counters and a sorted set of live sessions.
     * Keys expire after {@link BufferLimits#sessionTtl()} without a connection. Needs
     * {@code io.lettuce:lettuce-core} on the class path.
     *
     * @param name the component's name; not blank
     * @param redisUri for example {@code redis://127.0.0.1:6379}
     * @param keyPrefix the prefix of every key, for example {@code "chat:ws:"}; not blank
     * @param limits the per-session limits
     * @return a new log; {@link #start()} connects
     */
    static MessageLog redis(String name, URI redisUri, String keyPrefix, BufferLimits limits) {
        return new RedisMessageLog(name, redisUri, keyPrefix, limits);
    }

    /**
     * The limits this log applies.
     *
     * @return the limits
     */
    BufferLimits limits();

    /**
     * Creates a session, or empties it if the id exists, and starts its time to live.
     *
     * @param sessionId the id; not blank
     * @param owner the subject that owns it, or null for an anonymous session
     */
    void create(String sessionId, String owner);

    /**
     * Looks a session up.
     *
     * @param sessionId the id
     * @return the session, or null when unknown or expired
     */
    LogSession find(String sessionId);

    /**
     * Restarts a session's time to live; called while it has a connection.
     *
     * @param sessionId the id
     * @return false when the session is unknown or expired
     */
    boolean touch(String sessionId);

    /**
     * Appends a message to a session, dropping its oldest messages if a limit would be exceeded.
     *
     * @param sessionId the id
     * @param payload the message's text
     * @return its sequence number, or -1 when the session is unknown or expired
     * @throws IllegalArgumentException if the payload alone exceeds
     *     {@link BufferLimits#maxBytesPerSession()}
     */
    long append(String sessionId, String payload);

    /**
     * Appends the same message to several sessions, as a broadcast does.
     *
     * @param sessionIds the ids
     * @param payload the message's text
     * @return per session, in order, its sequence number or -1 when unknown or expired
     * @throws IllegalArgumentException if the payload alone exceeds
     *     {@link BufferLimits#maxBytesPerSession()}
     */
    long[] appendToEach(List<String> sessionIds, String payload);

    /**
     * Reads a session's kept messages after a resume point.
     *
     * @param sessionId the id
     * @param afterSeq the last sequence number the reader has; 0 for all
     * @param maxMessages the most entries returned; at least 1
     * @return the slice, or null when the session is unknown or expired
     */
    LogSlice read(String sessionId, long afterSeq, int maxMessages);

    /**
     * The ids of the live sessions, for a broadcast.
     *
     * @return an immutable list, in no particular order
     */
    List<String> sessionIds();

    /**
     * Forgets a session and its messages.
     *
     * @param sessionId the id
     */
    void remove(String sessionId);

    /**
     * What the log holds in total; O(sessions), for monitoring and tests.
     *
     * @return the usage
     */
    LogUsage usage();
}
