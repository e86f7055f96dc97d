package dev.coldstart.websocket;

/**
 * What a {@link MessageLog} holds in total: the figure that shows its memory is bounded.
 * Immutable and thread-safe.
 *
 * @param sessions the live sessions
 * @param keptMessages the messages kept over all sessions
 * @param keptBytes the payload bytes (UTF-8) kept over all sessions
 * @param maxKeptMessagesPerSession the most messages any one session keeps
 * @param maxKeptBytesPerSession the most payload bytes any one session keeps
 */
public record LogUsage(int sessions, long keptMessages, long keptBytes, int maxKeptMessagesPerSession,
        long maxKeptBytesPerSession) {
}
