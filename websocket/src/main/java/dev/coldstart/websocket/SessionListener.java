package dev.coldstart.websocket;

/**
 * The application's view of server sessions: called when a client's connection is attached to a
 * session, when it sends a message, and when the connection goes. A session outlives its
 * connections: a client that reconnects and resumes is attached to the same session again.
 *
 * <p>Methods have no-op defaults and may be called concurrently for different sessions, from the
 * server's sender or Jetty threads; they must not block for long. An exception thrown by a method
 * is logged and changes nothing.
 */
public interface SessionListener {

    /**
     * A connection was attached to a session.
     *
     * @param sessionId the session's id
     * @param subject the verified token's subject, or null without authentication
     * @param resumed true when an existing session was resumed, false for a new session
     */
    default void onAttached(String sessionId, String subject, boolean resumed) {
    }

    /**
     * A client sent an application message.
     *
     * @param sessionId the session's id
     * @param payload the message's text
     */
    default void onMessage(String sessionId, String payload) {
    }

    /**
     * A session's connection closed; the session lives on for {@link BufferLimits#sessionTtl()}.
     *
     * @param sessionId the session's id
     */
    default void onDetached(String sessionId) {
    }
}
