package dev.coldstart.coordination.internal;

import dev.coldstart.core.ColdstartException;
import dev.coldstart.core.RetryPolicy;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Delays drawn from a {@link RetryPolicy}, and an interruptible wait. Stateless and thread-safe. */
public final class Backoff {
    private static final long MIN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private Backoff() {
    }

    /**
     * The delay before the next attempt: uniformly random up to the policy's ceiling (full jitter),
     * or the ceiling itself without jitter; never below 1 ms so a zero ceiling cannot spin.
     *
     * @param policy the backoff policy
     * @param failedAttempts failed attempts so far, at least 1
     * @return the delay in nanoseconds
     */
    public static long delayNanos(RetryPolicy policy, int failedAttempts) {
        long ceiling = policy.backoffCeiling(failedAttempts).toNanos();
        if (policy.jitter() == RetryPolicy.Jitter.NONE || ceiling <= MIN_DELAY_NANOS) {
            return Math.max(ceiling, MIN_DELAY_NANOS);
        }
        return Math.max(MIN_DELAY_NANOS, ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /**
     * Waits, ending early with an exception when interrupted.
     *
     * @param nanos how long to wait
     * @param what what was being waited for, for the exception's message: "... - interrupted while
     *     {what}"
     * @throws ColdstartException if interrupted; the interrupt flag is restored
     */
    public static void park(long nanos, String what) {
        long until = System.nanoTime() + nanos;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new ColdstartException("interrupted while " + what);
            }
        }
    }
}
