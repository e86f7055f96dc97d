package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * Thresholds of a {@link MemoryPressureMonitor}, as fractions of each heap pool's maximum. Defaults:
 * pressure (warm-ups stop, a warning is logged) at {@value #DEFAULT_PRESSURE_RATIO}, load shedding when
 * even after a collection the heap stays at {@value #DEFAULT_SHED_RATIO}, re-evaluated every
 * {@link #DEFAULT_INTERVAL}.
 *
 * <p>Built configs are immutable and thread-safe; builders are not thread-safe.
 */
public final class MemoryPressureConfig {
    /** Default pressure level: 0.80 of the heap pool's maximum. */
    public static final double DEFAULT_PRESSURE_RATIO = 0.80;
    /** Default shedding level, measured after a collection: 0.90. */
    public static final double DEFAULT_SHED_RATIO = 0.90;
    /** Default re-evaluation interval: 1 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final MemoryPressureConfig DEFAULTS = builder().build();

    private final double pressureRatio;
    private final double shedRatio;
    private final Duration interval;

    private MemoryPressureConfig(Builder b) {
        this.pressureRatio = b.pressureRatio;
        this.shedRatio = b.shedRatio;
        this.interval = b.interval;
    }

    /**
     * The defaults: pressure 0.80, shed 0.90 after collection, every 1 s.
     *
     * @return the shared default config
     */
    public static MemoryPressureConfig ofDefaults() {
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
        return new Builder().pressureRatio(pressureRatio).shedRatio(shedRatio).interval(interval);
    }

    /**
     * The fraction of a pool's maximum (and of the whole heap) at which the heap is under pressure:
     * set as the usage threshold of every heap pool that supports one.
     *
     * @return in [0.1, 0.99]; default 0.80
     */
    public double pressureRatio() {
        return pressureRatio;
    }

    /**
     * The fraction at which, measured right after a collection, new work is shed: set as the
     * collection usage threshold of every heap pool that supports one.
     *
     * @return in [pressureRatio, 0.99]; default 0.90
     */
    public double shedRatio() {
        return shedRatio;
    }

    /**
     * How often pressure is re-evaluated between notifications (it ends only through this check).
     *
     * @return positive; default 1 s
     */
    public Duration interval() {
        return interval;
    }

    @Override
    public String toString() {
        return "MemoryPressureConfig{pressureRatio=" + pressureRatio + ", shedRatio=" + shedRatio + ", interval=" + interval + '}';
    }

    /** Builder of {@link MemoryPressureConfig}; not thread-safe. */
    public static final class Builder {
        private double pressureRatio = DEFAULT_PRESSURE_RATIO;
        private double shedRatio = DEFAULT_SHED_RATIO;
        private Duration interval = DEFAULT_INTERVAL;

        private Builder() {
        }

        /**
         * Sets the pressure level.
         *
         * @param pressureRatio between 0.1 and 0.99; default 0.80
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder pressureRatio(double pressureRatio) {
            this.pressureRatio = Checks.inRange(pressureRatio, 0.1, 0.99, "pressureRatio");
            return this;
        }

        /**
         * Sets the shedding level measured after a collection.
         *
         * @param shedRatio between 0.1 and 0.99; default 0.90
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder shedRatio(double shedRatio) {
            this.shedRatio = Checks.inRange(shedRatio, 0.1, 0.99, "shedRatio");
            return this;
        }

        /**
         * Sets the re-evaluation interval.
         *
         * @param interval positive; default 1 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder interval(Duration interval) {
            this.interval = Checks.positive(interval, "interval");
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         * @throws dev.coldstart.core.ConfigurationException if {@code shedRatio < pressureRatio}
         */
        public MemoryPressureConfig build() {
            Checks.check(shedRatio >= pressureRatio, "shedRatio must be greater than or equal to pressureRatio ("
                    + pressureRatio + "), but was " + shedRatio);
            return new MemoryPressureConfig(this);
        }
    }
}
