package dev.coldstart.websocket;

/**
 * One message of a session's log. Immutable and thread-safe.
 *
 * @param seq the message's sequence number in its session: 1 for the first, then contiguous
 * @param payload the message's text, as published; not null
 */
public record LogEntry(long seq, String payload) {
}
