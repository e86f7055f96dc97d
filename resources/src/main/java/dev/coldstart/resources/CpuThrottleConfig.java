package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * Settings of a {@link CpuThrottleMonitor}. Defaults: read {@code cpu.stat} every
 * {@link #DEFAULT_INTERVAL}, count the service as throttled once {@code nr_throttled} grew by
 * {@value #DEFAULT_MIN_THROTTLED_PERIODS} period(s) since the monitor was created, and then stretch start
 * deadlines by {@value #DEFAULT_STRETCH_FACTOR}.
 *
 * <p>Built configs are immutable and thread-safe; builders are not thread-safe.
 */
public final class CpuThrottleConfig {
    /** Default sampling interval: 250 ms. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);
    /** Default throttled periods that count as throttling: 1. */
    public static final int DEFAULT_MIN_THROTTLED_PERIODS = 1;
    /** Default start-deadline stretch while throttled: 2.0. */
    public static final double DEFAULT_STRETCH_FACTOR = 2.0;

    private static final CpuThrottleConfig DEFAULTS = builder().build();

    private final Duration interval;
    private final int minThrottledPeriods;
    private final double stretchFactor;

    private CpuThrottleConfig(Builder b) {
        this.interval = b.interval;
        this.minThrottledPeriods = b.minThrottledPeriods;
        this.stretchFactor = b.stretchFactor;
    }

    /**
     * The defaults: 250 ms, 1 period, x2.0.
     *
     * @return the shared default config
     */
    public static CpuThrottleConfig ofDefaults() {
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
        return new Builder().interval(interval).minThrottledPeriods(minThrottledPeriods).stretchFactor(stretchFactor);
    }

    /**
     * How often {@code cpu.stat} is read.
     *
     * @return positive; default 250 ms
     */
    public Duration interval() {
        return interval;
    }

    /**
     * How much {@code nr_throttled} must grow after the monitor is created to count as throttling.
     *
     * @return at least 1; default 1
     */
    public int minThrottledPeriods() {
        return minThrottledPeriods;
    }

    /**
     * The factor by which start deadlines stretch once throttling is detected.
     *
     * @return in [1.0, 10.0]; default 2.0; 1.0 reports throttling without stretching
     */
    public double stretchFactor() {
        return stretchFactor;
    }

    @Override
    public String toString() {
        return "CpuThrottleConfig{interval=" + interval + ", minThrottledPeriods=" + minThrottledPeriods
                + ", stretchFactor=" + stretchFactor + '}';
    }

    /** Builder of {@link CpuThrottleConfig}; not thread-safe. */
    public static final class Builder {
        private Duration interval = DEFAULT_INTERVAL;
        private int minThrottledPeriods = DEFAULT_MIN_THROTTLED_PERIODS;
        private double stretchFactor = DEFAULT_STRETCH_FACTOR;

        private Builder() {
        }

        /**
         * Sets the sampling interval.
         *
         * @param interval positive; default 250 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder interval(Duration interval) {
            this.interval = Checks.positive(interval, "interval");
            return this;
        }

        /**
         * Sets the growth of {@code nr_throttled} that counts as throttling.
         *
         * @param minThrottledPeriods at least 1; default 1
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder minThrottledPeriods(int minThrottledPeriods) {
            this.minThrottledPeriods = Checks.positive(minThrottledPeriods, "minThrottledPeriods");
            return this;
        }

        /**
         * Sets the deadline stretch while throttled.
         *
         * @param stretchFactor between 1.0 and 10.0; default 2.0
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder stretchFactor(double stretchFactor) {
            this.stretchFactor = Checks.inRange(stretchFactor, 1.0, 10.0, "stretchFactor");
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         */
        public CpuThrottleConfig build() {
            return new CpuThrottleConfig(this);
        }
    }
}
