package dev.coldstart.websocket;

/**
 * What a {@link ReconnectingClient} tells the application. Methods have no-op defaults and are
 * called one at a time per client, in order, from Jetty's or the transport's threads; they must not
 * block for long (a slow listener slows its own connection only: the server buffers and, if its
 * buffer overflows, sends a gap marker). An exception thrown by a method is logged and changes
 * nothing.
 */
public interface ClientListener {

    /**
     * The server welcomed a connection.
     *
     * @param sessionId the session's id
     * @param mode new, resumed or resync; on {@link WelcomeMode#RESYNC} the application must reload
     *     its state, since messages of the old session are lost
     */
    default void onConnected(String sessionId, WelcomeMode mode) {
    }

    /**
     * A message, delivered exactly once and in order within a session.
     *
     * @param seq its sequence number: the previous one plus one
     * @param payload its text
     */
    default void onMessage(long seq, String payload) {
    }

    /**
     * The server dropped messages {@code fromSeq .. toSeq} because this client's buffer overflowed:
     * the application must resync (reload the state those messages would have changed).
     *
     * @param fromSeq the first lost sequence number
     * @param toSeq the last lost sequence number
     */
    default void onGap(long fromSeq, long toSeq) {
    }

    /**
     * The connection was lost; the client reconnects by itself.
     *
     * @param reason what happened, for logs
     */
    default void onDisconnected(String reason) {
    }

    /**
     * The client stopped trying: the server refused with a status that retrying cannot change
     * (for example 401 or 403), or the attempt limit was reached.
     *
     * @param status the last HTTP status, or 0 when the last attempt got no response
     */
    default void onGaveUp(int status) {
    }
}
