package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress and an estimate of a bulk transfer (CS-30): bytes done of the total, the average rate so
 * far and the time left at that rate, logged at INFO at most every {@code logInterval} and once at the
 * end ("product-cache - 6.2 MB of 20.0 MB (31 %), 0.80 MB/s, about 17 s left").
 *
 * <p>Thread-safe: counters are updated under a short lock; time comes from the ticker (default
 * {@link System#nanoTime()}).
 */
public final class TransferProgress {
    private static final Logger log = LoggerFactory.getLogger(TransferProgress.class);

    private final String name;
    private final long totalBytes;
    private final long logIntervalNanos;
    private final LongSupplier ticker;
    private final long startNanos;
    private long doneBytes;
    private long lastLogNanos;
    private boolean finished;

    private TransferProgress(String name, long totalBytes, Duration logInterval, LongSupplier ticker) {
        this.name = Checks.notBlank(name, "name");
        this.totalBytes = Checks.positive(totalBytes, "totalBytes");
        this.logIntervalNanos = Checks.positive(logInterval, "logInterval").toNanos();
        this.ticker = Checks.notNull(ticker, "ticker");
        this.startNanos = ticker.getAsLong();
        this.lastLogNanos = startNanos;
    }

    /**
     * Starts tracking a transfer now.
     *
     * @param name what is transferred, first word of every log line; not blank
     * @param totalBytes the expected size; greater than 0
     * @param logInterval the least time between two progress lines; positive
     * @return the tracker
     */
    public static TransferProgress start(String name, long totalBytes, Duration logInterval) {
        return new TransferProgress(name, totalBytes, logInterval, System::nanoTime);
    }

    /**
     * Starts tracking on a given ticker, for tests on fake time.
     *
     * @param name not blank
     * @param totalBytes greater than 0
     * @param logInterval positive
     * @param ticker monotonic nanoseconds; not null
     * @return the tracker
     */
    public static TransferProgress start(String name, long totalBytes, Duration logInterval, LongSupplier ticker) {
        return new TransferProgress(name, totalBytes, logInterval, ticker);
    }

    /**
     * Adds transferred bytes and logs a progress line when the log interval has passed, or the final
     * line when the total is reached.
     *
     * @param bytes zero or more
     */
    public void record(long bytes) {
        String line = null;
        synchronized (this) {
            doneBytes += bytes;
            long now = ticker.getAsLong();
            if (doneBytes >= totalBytes && !finished) {
                finished = true;
                line = describe(now);
            } else if (now - lastLogNanos >= logIntervalNanos && !finished) {
                lastLogNanos = now;
                line = describe(now);
            }
        }
        if (line != null) {
            log.info("{}", line);
        }
    }

    /**
     * Bytes transferred so far.
     *
     * @return zero or more
     */
    public synchronized long doneBytes() {
        return doneBytes;
    }

    /**
     * The done fraction.
     *
     * @return from 0.0 to 1.0
     */
    public synchronized double fraction() {
        return Math.min(1.0, (double) doneBytes / totalBytes);
    }

    /**
     * The average rate since the start.
     *
     * @return bytes per second; 0 before any time passed
     */
    public synchronized double bytesPerSecond() {
        long elapsed = ticker.getAsLong() - startNanos;
        return elapsed <= 0 ? 0 : doneBytes * 1e9 / elapsed;
    }

    /**
     * The time left at the average rate so far.
     *
     * @return the estimate; zero when done; null while nothing has been transferred
     */
    public synchronized Duration estimatedRemaining() {
        if (doneBytes >= totalBytes) {
            return Duration.ZERO;
        }
        double rate = bytesPerSecond();
        return rate <= 0 ? null : Duration.ofNanos((long) ((totalBytes - doneBytes) / rate * 1e9));
    }

    /**
     * The current progress line.
     *
     * @return for example {@code "cache - 6.2 MB of 20.0 MB (31 %), 0.80 MB/s, about 17 s left"}
     */
    public synchronized String describe() {
        return describe(ticker.getAsLong());
    }

    private String describe(long now) {
        double elapsedSeconds = (now - startNanos) / 1e9;
        double rate = elapsedSeconds <= 0 ? 0 : doneBytes / elapsedSeconds;
        String eta;
        if (doneBytes >= totalBytes) {
            eta = String.format(Locale.ROOT, "done in %.1f s", elapsedSeconds);
        } else if (rate <= 0) {
            eta = "no estimate yet";
        } else {
            eta = String.format(Locale.ROOT, "about %.0f s left", (totalBytes - doneBytes) / rate);
        }
        return String.format(Locale.ROOT, "%s - %.1f MB of %.1f MB (%.0f %%), %.2f MB/s, %s", name, doneBytes / 1e6,
                totalBytes / 1e6, Math.min(100.0, doneBytes * 100.0 / totalBytes), rate / 1e6, eta);
    }

    @Override
    public String toString() {
        return "TransferProgress[" + describe() + "]";
    }
}
