package dev.coldstart.websocket;

/**
 * A snapshot of a {@link ReconnectingClient}'s counters since it was built. Immutable and
 * thread-safe.
 *
 * @param attempts connection attempts started
 * @param connects connections welcomed by the server
 * @param rejectedWithRetryAfter upgrades answered 429 or 503 (the client waited at least the
 *     Retry-After they carried)
 * @param retryAfterHints rejections that carried a {@code Retry-After} header
 * @param rejectedOther upgrades answered with another status than 101
 * @param resets attempts or connections that ended with a TCP reset
 * @param timeouts attempts that timed out (connect or upgrade)
 * @param refused attempts whose TCP connect was refused
 * @param otherFailures attempts that failed otherwise
 * @param silenceDetections connections dropped because the server sent nothing for the silence
 *     timeout
 * @param disconnects established connections lost or closed by the server
 * @param messages messages delivered to the listener
 * @param duplicates messages dropped because their sequence number was already delivered
 * @param unannouncedGaps jumps in sequence numbers without a gap marker (a server bug; reported to
 *     the listener as a gap)
 * @param gapMarkers gap markers received
 * @param lostMessages messages named by gap markers
 * @param resyncs welcomes that told the client to resync
 * @param lastSeq the sequence number of the last message delivered in the current session
 */
public record ClientStats(long attempts, long connects, long rejectedWithRetryAfter, long retryAfterHints, long rejectedOther, long resets,
        long timeouts, long refused, long otherFailures, long silenceDetections, long disconnects, long messages,
        long duplicates, long unannouncedGaps, long gapMarkers, long lostMessages, long resyncs, long lastSeq) {
}
