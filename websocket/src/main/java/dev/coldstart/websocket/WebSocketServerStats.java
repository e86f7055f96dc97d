package dev.coldstart.websocket;

/**
 * A snapshot of a {@link WebSocketServer}'s counters since it was created. Immutable and
 * thread-safe; taking one costs O(recent admissions) for {@link #maxAdmittedInOneSecond()}.
 *
 * @param upgradesAdmitted upgrade requests admitted by the rate limit and the in-flight cap
 * @param rejectedByRate upgrade requests answered 503 because the token bucket was empty
 * @param rejectedInFlight upgrade requests answered 503 because the in-flight cap was reached
 * @param forbiddenOrigin upgrade requests answered 403 for their origin
 * @param unauthorized upgrade requests answered 401 for a missing or rejected token
 * @param verifierUnavailable upgrade requests answered 503 because the token verifier failed
 * @param tokenVerifications calls made to the token verifier
 * @param handshakesInFlight handshakes admitted and not yet finished, now
 * @param peakHandshakesInFlight the most handshakes in flight at once
 * @param maxAdmittedInOneSecond the most upgrades admitted within any sliding one-second window
 *     (over the last 65,536 admissions)
 * @param openConnections WebSocket connections open now
 * @param peakOpenConnections the most connections open at once
 * @param sessions sessions this server holds a sender for, connected or waiting for a reconnect
 * @param newSessions sessions created for a hello without a session
 * @param resumedSessions hellos that resumed their session
 * @param resyncedSessions hellos whose session was gone, answered with a new session and resync
 * @param pingsSent heartbeat pings sent
 * @param pongsReceived pongs received
 * @param heartbeatCloses connections closed for missing pongs
 * @param framesSent frames (batches of records) written
 * @param messagesSent messages written, counting each session separately
 * @param gapMarkersSent gap markers written
 * @param sendFailures frame writes that failed (their messages stay in the log for the reconnect)
 * @param peakBusyThreads the most busy Jetty threads seen in a sample (samples are taken at every
 *     upgrade request and every 100 ms)
 * @param maxThreads the Jetty thread pool's limit
 * @param peakQueuedJobs the most jobs seen waiting for a Jetty thread in a sample
 * @param threadSamples the samples taken of the Jetty thread pool
 * @param lowOnThreadsSamples the samples in which the pool was low on threads (at its maximum with
 *     no more idle threads than waiting jobs)
 * @param peakThreadWaitMillis the longest a probe job, submitted every 100 ms, waited for a Jetty
 *     thread: what thread exhaustion costs a request
 */
public record WebSocketServerStats(long upgradesAdmitted, long rejectedByRate, long rejectedInFlight,
        long forbiddenOrigin, long unauthorized, long verifierUnavailable, long tokenVerifications,
        int handshakesInFlight, int peakHandshakesInFlight, int maxAdmittedInOneSecond, int openConnections,
        int peakOpenConnections, int sessions, long newSessions, long resumedSessions, long resyncedSessions,
        long pingsSent, long pongsReceived, long heartbeatCloses, long framesSent, long messagesSent,
        long gapMarkersSent, long sendFailures, int peakBusyThreads, int maxThreads, int peakQueuedJobs,
        long threadSamples, long lowOnThreadsSamples, long peakThreadWaitMillis) {
}
