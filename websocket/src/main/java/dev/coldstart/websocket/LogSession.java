package dev.coldstart.websocket;

/**
 * What a {@link MessageLog} knows about one session. Immutable and thread-safe.
 *
 * @param id the session's id
 * @param owner the subject of the token that created it, or null for an anonymous session
 * @param lastSeq the sequence number of the newest message appended; 0 before the first
 * @param firstSeq the sequence number of the oldest message kept, or {@code lastSeq + 1} when none
 * @param keptMessages the number of messages kept, at most
 *     {@link BufferLimits#maxMessagesPerSession()}
 * @param keptBytes the payload bytes (UTF-8) kept, at most {@link BufferLimits#maxBytesPerSession()}
 */
public record LogSession(String id, String owner, long lastSeq, long firstSeq, int keptMessages, long keptBytes) {
}
