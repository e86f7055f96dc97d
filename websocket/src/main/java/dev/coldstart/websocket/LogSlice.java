package dev.coldstart.websocket;

import java.util.List;

/**
 * The result of {@link MessageLog#read(String, long, int)}: the kept messages after a resume point
 * and where the session's log starts and ends. Immutable and thread-safe.
 *
 * <p>If {@code afterSeq + 1 < firstSeq} the messages {@code afterSeq + 1 .. firstSeq - 1} were
 * dropped by the {@link BufferLimits}: the reader must tell its client with a gap marker.
 *
 * @param entries the messages with a sequence number greater than the resume point, oldest first,
 *     contiguous; immutable; empty when the reader is up to date
 * @param firstSeq the sequence number of the oldest message kept, or {@code lastSeq + 1} when the
 *     log keeps none
 * @param lastSeq the sequence number of the newest message ever appended; 0 before the first
 */
public record LogSlice(List<LogEntry> entries, long firstSeq, long lastSeq) {

    /**
     * Copies the entries.
     *
     * @param entries the messages after the resume point, oldest first; copied
     * @param firstSeq the sequence number of the oldest message kept
     * @param lastSeq the sequence number of the newest message ever appended
     */
    public LogSlice {
        entries = List.copyOf(entries);
    }

    /**
     * Whether messages after the given resume point were dropped.
     *
     * @param afterSeq the resume point: the last sequence number the client has
     * @return true when {@code afterSeq + 1 < firstSeq}
     */
    public boolean hasGapAfter(long afterSeq) {
        return afterSeq + 1 < firstSeq;
    }
}
