package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import dev.coldstart.resources.internal.ThrottledInputStream;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A token-bucket limiter for bulk warm-up traffic (CS-30): caps a download (or upload) at a rate
 * below the link's capacity, so that health checks and dependency probes that share the link keep
 * their latency. Set the rate to a fraction of the link, for example 80 % of 1 MB/s, and the burst
 * small (about 1/20 s of traffic) so the queue it builds in the network stays short.
 *
 * <p>Implemented as the generic cell rate algorithm: each byte costs {@code 1/rate} seconds of a
 * virtual schedule that may run at most {@code burst/rate} seconds ahead of now; a request larger
 * than the burst is allowed and simply waits longer. {@link #reserve(long)} books bytes and returns
 * the wait without sleeping (for non-blocking callers and fake-time tests); {@link #acquire(long)}
 * books and parks the calling thread.
 *
 * <p>Thread-safe: reservations are serialised by a short lock; waiting happens outside it. Time comes
 * from the ticker (default {@link System#nanoTime()}).
 *
 * <pre>{@code
 * TokenBucket warmupLink = TokenBucket.of(800_000, 40_000);   // 80 % of a 1 MB/s link
 * try (InputStream in = warmupLink.limit(connection.getInputStream())) {
 *     in.transferTo(cacheFile);
 * }
 * }</pre>
 */
public final class TokenBucket {
    private final long bytesPerSecond;
    private final long burstBytes;
    private final double nanosPerByte;
    private final long toleranceNanos;
    private final LongSupplier ticker;
    private long theoreticalArrivalNanos;

    private TokenBucket(long bytesPerSecond, long burstBytes, LongSupplier ticker) {
        this.bytesPerSecond = Checks.positive(bytesPerSecond, "bytesPerSecond");
        this.burstBytes = Checks.positive(burstBytes, "burstBytes");
        this.ticker = Checks.notNull(ticker, "ticker");
        this.nanosPerByte = 1e9 / bytesPerSecond;
        this.toleranceNanos = (long) (burstBytes * nanosPerByte);
        this.theoreticalArrivalNanos = ticker.getAsLong();
    }

    /**
     * Creates a bucket on the system's monotonic clock, full at creation.
     *
     * @param bytesPerSecond the sustained rate; greater than 0
     * @param burstBytes bytes that may pass at once after a pause; greater than 0
     * @return a new bucket
     * @throws dev.coldstart.core.ConfigurationException if an argument is not positive
     */
    public static TokenBucket of(long bytesPerSecond, long burstBytes) {
        return new TokenBucket(bytesPerSecond, burstBytes, System::nanoTime);
    }

    /**
     * Creates a bucket on a given ticker, for tests on fake time.
     *
     * @param bytesPerSecond the sustained rate; greater than 0
     * @param burstBytes bytes that may pass at once; greater than 0
     * @param ticker monotonic nanoseconds; not null
     * @return a new bucket
     */
    public static TokenBucket of(long bytesPerSecond, long burstBytes, LongSupplier ticker) {
        return new TokenBucket(bytesPerSecond, burstBytes, ticker);
    }

    /**
     * Books bytes and says how long the caller must wait before sending or after receiving them.
     *
     * @param bytes zero or more
     * @return nanoseconds to wait; 0 when within the burst
     */
    public long reserve(long bytes) {
        Checks.check(bytes >= 0, "bytes must be greater than or equal to 0, but was " + bytes);
        synchronized (this) {
            long now = ticker.getAsLong();
            long tat = Math.max(theoreticalArrivalNanos, now) + (long) (bytes * nanosPerByte);
            theoreticalArrivalNanos = tat;
            return Math.max(0, tat - toleranceNanos - now);
        }
    }

    /**
     * Books bytes and parks the calling thread for the wait.
     *
     * @param bytes zero or more
     * @throws InterruptedIOException if interrupted while waiting (the interrupt flag is restored)
     */
    public void acquire(long bytes) throws InterruptedIOException {
        long wait = reserve(bytes);
        long until = System.nanoTime() + wait;
        while (wait > 0) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for bandwidth");
            }
            wait = until - System.nanoTime();
        }
    }

    /**
     * Wraps a stream so that every read waits for its bytes. Reads ask for at most
     * {@link #burstBytes()} at a time, so a large buffer does not turn into a large burst.
     *
     * @param in the stream; not null; closed when the wrapper is closed
     * @return the limited stream; as thread-safe as the wrapped one
     */
    public InputStream limit(InputStream in) {
        return new ThrottledInputStream(Checks.requireArgument(in, "in"), this);
    }

    /**
     * The sustained rate.
     *
     * @return bytes per second
     */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /**
     * The burst.
     *
     * @return bytes
     */
    public long burstBytes() {
        return burstBytes;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TokenBucket{%d B/s, burst %d B}", bytesPerSecond, burstBytes);
    }
}
