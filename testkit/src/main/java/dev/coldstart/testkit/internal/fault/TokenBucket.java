package dev.coldstart.testkit.internal.fault;

/**
 * A token bucket in bytes, refilled continuously at a fixed rate. The burst is 1/20 s of traffic,
 * and grants smaller than 1/100 s of traffic (at most 16 KiB) are withheld until that much has
 * accrued, so a throttled flow wakes about every 10 ms instead of writing a byte at a time.
 *
 * <p>Not thread-safe: used by the proxy's selector thread only.
 */
final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final long minGrant;
    private final double capacity;
    private double tokens;
    private long lastRefillNanos;

    TokenBucket(long bytesPerSecond, long nowNanos) {
        this.bytesPerSecond = bytesPerSecond;
        this.minGrant = Math.max(1, Math.min(16 * 1024, bytesPerSecond / 100));
        this.capacity = Math.max(bytesPerSecond / 20.0, minGrant);
        this.tokens = capacity;
        this.lastRefillNanos = nowNanos;
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Takes up to {@code wanted} bytes' worth of tokens; 0 when fewer than a minimum grant are there. */
    long grant(long wanted, long nowNanos) {
        refill(nowNanos);
        if (tokens < Math.min(wanted, minGrant)) {
            return 0;
        }
        long granted = (long) Math.min(wanted, Math.floor(tokens));
        tokens -= granted;
        return granted;
    }

    /** Gives back tokens that a short write did not use. */
    void refund(long unused) {
        tokens = Math.min(capacity, tokens + unused);
    }

    /** How long until {@link #grant} would give something for {@code wanted} bytes. */
    long nanosUntilGrant(long wanted, long nowNanos) {
        refill(nowNanos);
        double missing = Math.min(wanted, minGrant) - tokens;
        if (missing <= 0) {
            return 0;
        }
        return (long) Math.ceil(missing * NANOS_PER_SECOND / bytesPerSecond);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + (double) elapsed * bytesPerSecond / NANOS_PER_SECOND);
            lastRefillNanos = nowNanos;
        }
    }
}
