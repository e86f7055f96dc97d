package dev.coldstart.websocket;

/**
 * What one {@link Broadcaster} call did. Immutable and thread-safe.
 *
 * <p>A message counts as appended once it is in the session's {@link MessageLog} with a sequence
 * number: from there it is delivered, now or after the client reconnects, or reported to the
 * client by a gap marker if the buffer overflows first. Failed appends (the log unreachable, a
 * payload larger than the buffer) are counted here and logged; the broadcaster never throws them.
 *
 * @param sessions the sessions addressed
 * @param appended the sessions whose log took the message
 * @param failed the sessions whose log could not take it
 * @param failure the first failure's description, or null when none failed
 */
public record BroadcastResult(int sessions, int appended, int failed, String failure) {

    /**
     * Whether every addressed session took the message.
     *
     * @return true when none failed
     */
    public boolean complete() {
        return failed == 0;
    }
}
