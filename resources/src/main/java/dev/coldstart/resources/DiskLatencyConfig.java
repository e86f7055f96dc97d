package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * Settings of a {@link DiskLatencyMonitor}. Defaults: measure every {@link #DEFAULT_INTERVAL}, disk
 * pressure when one write+fsync takes longer than {@link #DEFAULT_THRESHOLD} (or is still running
 * after it), pressure over after {@value #DEFAULT_CLEAR_AFTER_SAMPLES} measurements in a row below it,
 * at most {@value #DEFAULT_MAX_DEFERRED_WRITES} deferred writes kept (the oldest are dropped beyond).
 *
 * <p>Built configs are immutable and thread-safe; builders are not thread-safe.
 */
public final class DiskLatencyConfig {
    /** Default measurement interval: 5 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** Default latency threshold of one write+fsync: 100 ms. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofMillis(100);
    /** Default consecutive measurements below the threshold that end pressure: 3. */
    public static final int DEFAULT_CLEAR_AFTER_SAMPLES = 3;
    /** Default bound of the deferred-write queue: 1000. */
    public static final int DEFAULT_MAX_DEFERRED_WRITES = 1000;

    private static final DiskLatencyConfig DEFAULTS = builder().build();

    private final Duration interval;
    private final Duration threshold;
    private final int clearAfterSamples;
    private final int maxDeferredWrites;

    private DiskLatencyConfig(Builder b) {
        this.interval = b.interval;
        this.threshold = b.threshold;
        this.clearAfterSamples = b.clearAfterSamples;
        this.maxDeferredWrites = b.maxDeferredWrites;
    }

    /**
     * The defaults: 5 s, 100 ms, 3 samples, 1000 writes.
     *
     * @return the shared default config
     */
    public static DiskLatencyConfig ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this config's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().interval(interval).threshold(threshold).clearAfterSamples(clearAfterSamples)
                .maxDeferredWrites(maxDeferredWrites);
    }

    /**
     * How often the latency is measured after the first measurement at start.
     *
     * @return positive; default 5 s
     */
    public Duration interval() {
        return interval;
    }

    /**
     * The write+fsync latency above which the disk is under pressure.
     *
     * @return positive; default 100 ms
     */
    public Duration threshold() {
        return threshold;
    }

    /**
     * Consecutive measurements below the threshold that end pressure.
     *
     * @return at least 1; default 3
     */
    public int clearAfterSamples() {
        return clearAfterSamples;
    }

    /**
     * How many deferred writes are kept; beyond it the oldest is dropped with a warning.
     *
     * @return at least 1; default 1000
     */
    public int maxDeferredWrites() {
        return maxDeferredWrites;
    }

    @Override
    public String toString() {
        return "DiskLatencyConfig{interval=" + interval + ", threshold=" + threshold + ", clearAfterSamples=" + clearAfterSamples
                + ", maxDeferredWrites=" + maxDeferredWrites + '}';
    }

    /** Builder of {@link DiskLatencyConfig}; not thread-safe. */
    public static final class Builder {
        private Duration interval = DEFAULT_INTERVAL;
        private Duration threshold = DEFAULT_THRESHOLD;
        private int clearAfterSamples = DEFAULT_CLEAR_AFTER_SAMPLES;
        private int maxDeferredWrites = DEFAULT_MAX_DEFERRED_WRITES;

        private Builder() {
        }

        /**
         * Sets the measurement interval.
         *
         * @param interval positive; default 5 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder interval(Duration interval) {
            this.interval = Checks.positive(interval, "interval");
            return this;
        }

        /**
         * Sets the latency threshold.
         *
         * @param threshold positive; default 100 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder threshold(Duration threshold) {
            this.threshold = Checks.positive(threshold, "threshold");
            return this;
        }

        /**
         * Sets how many measurements in a row below the threshold end pressure.
         *
         * @param clearAfterSamples at least 1; default 3
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder clearAfterSamples(int clearAfterSamples) {
            this.clearAfterSamples = Checks.positive(clearAfterSamples, "clearAfterSamples");
            return this;
        }

        /**
         * Sets the bound of the deferred-write queue.
         *
         * @param maxDeferredWrites at least 1; default 1000
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder maxDeferredWrites(int maxDeferredWrites) {
            this.maxDeferredWrites = Checks.positive(maxDeferredWrites, "maxDeferredWrites");
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         */
        public DiskLatencyConfig build() {
            return new DiskLatencyConfig(this);
        }
    }
}
