package dev.coldstart.websocket.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters, updated from many threads without locks, plus a ring of the last
 * admission times for the sliding-window rate figure. Thread-safe.
 */
public final class Counters {
    private static final int ADMISSION_RING = 1 << 16;

    final LongAdder admitted = new LongAdder();
    final LongAdder rejectedByRate = new LongAdder();
    final LongAdder rejectedInFlight = new LongAdder();
    final LongAdder forbiddenOrigin = new LongAdder();
    final LongAdder unauthorized = new LongAdder();
    final LongAdder verifierUnavailable = new LongAdder();
    final LongAdder tokenVerifications = new LongAdder();
    final AtomicInteger openConnections = new AtomicInteger();
    final AtomicInteger peakOpenConnections = new AtomicInteger();
    final LongAdder newSessions = new LongAdder();
    final LongAdder resumedSessions = new LongAdder();
    final LongAdder resyncedSessions = new LongAdder();
    final LongAdder pingsSent = new LongAdder();
    final LongAdder pongsReceived = new LongAdder();
    final LongAdder heartbeatCloses = new LongAdder();
    final LongAdder framesSent = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder gapMarkersSent = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final AtomicInteger peakBusyThreads = new AtomicInteger();
    final AtomicInteger peakQueuedJobs = new AtomicInteger();
    final LongAdder threadSamples = new LongAdder();
    final LongAdder lowOnThreadsSamples = new LongAdder();
    final AtomicLong peakThreadWaitNanos = new AtomicLong();

    private final AtomicLongArray admissionTimes = new AtomicLongArray(ADMISSION_RING);
    private final AtomicLong admissionCount = new AtomicLong();

    void recordAdmission(long nanoTime) {
        admitted.increment();
        long n = admissionCount.getAndIncrement();
        admissionTimes.set((int) (n & (ADMISSION_RING - 1)), nanoTime);
    }

    void connectionOpened() {
        int now = openConnections.incrementAndGet();
        peakOpenConnections.accumulateAndGet(now, Math::max);
    }

    void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /**
     * Samples the server's thread pool: busy threads, jobs waiting for a thread, and whether the
     * pool is low on threads (at its maximum with no more idle threads than queued jobs).
     */
    void sampleThreads(org.eclipse.jetty.util.thread.QueuedThreadPool pool) {
        threadSamples.increment();
        peakBusyThreads.accumulateAndGet(pool.getBusyThreads(), Math::max);
        peakQueuedJobs.accumulateAndGet(pool.getQueueSize(), Math::max);
        if (pool.isLowOnThreads()) {
            lowOnThreadsSamples.increment();
        }
    }

    void threadWait(long nanos) {
        peakThreadWaitNanos.accumulateAndGet(nanos, Math::max);
    }

    /**
     * The most admissions within any sliding one-second window of the recorded ones.
     *
     * @return zero or more
     */
    int maxAdmittedInOneSecond() {
        long n = admissionCount.get();
        int size = (int) Math.min(n, ADMISSION_RING);
        long[] times = new long[size];
        for (int i = 0; i < size; i++) {
            times[i] = admissionTimes.get((int) ((n - size + i) & (ADMISSION_RING - 1)));
        }
        Arrays.sort(times);
        int best = 0;
        int lo = 0;
        for (int hi = 0; hi < size; hi++) {
            while (times[hi] - times[lo] >= 1_000_000_000L) {
                lo++;
            }
            best = Math.max(best, hi - lo + 1);
        }
        return best;
    }
}
