package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * Thresholds and sampling interval of a {@link FileDescriptorMonitor}. Defaults: sample every
 * {@link #DEFAULT_INTERVAL}, warn at {@value #DEFAULT_WARN_RATIO} of the limit, shed new connections
 * at {@value #DEFAULT_SHED_RATIO}, stop shedding below {@value #DEFAULT_CLEAR_RATIO}. The gap between
 * shed and clear keeps the shedder from flapping around one value.
 *
 * <p>Built configs are immutable and thread-safe; builders are not thread-safe.
 */
public final class FileDescriptorMonitorConfig {
    /** Default sampling interval: 1 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Default warning level: 0.80 of the limit. */
    public static final double DEFAULT_WARN_RATIO = 0.80;
    /** Default shedding level: 0.95 of the limit. */
    public static final double DEFAULT_SHED_RATIO = 0.95;
    /** Default level below which shedding stops: 0.90 of the limit. */
    public static final double DEFAULT_CLEAR_RATIO = 0.90;

    private static final FileDescriptorMonitorConfig DEFAULTS = builder().build();

    private final Duration interval;
    private final double warnRatio;
    private final double shedRatio;
    private final double clearRatio;

    private FileDescriptorMonitorConfig(Builder b) {
        this.interval = b.interval;
        this.warnRatio = b.warnRatio;
        this.shedRatio = b.shedRatio;
        this.clearRatio = b.clearRatio;
    }

    /**
     * The defaults: 1 s, warn 0.80, shed 0.95, clear 0.90.
     *
     * @return the shared default config
     */
    public static FileDescriptorMonitorConfig ofDefaults() {
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
        return new Builder().interval(interval).warnRatio(warnRatio).shedRatio(shedRatio).clearRatio(clearRatio);
    }

    /**
     * How often the open descriptors are counted.
     *
     * @return positive; default 1 s
     */
    public Duration interval() {
        return interval;
    }

    /**
     * The used fraction of the limit at which a warning is logged.
     *
     * @return in (0, 1]; default 0.80
     */
    public double warnRatio() {
        return warnRatio;
    }

    /**
     * The used fraction at which new connections are shed.
     *
     * @return in (0, 1]; default 0.95
     */
    public double shedRatio() {
        return shedRatio;
    }

    /**
     * The used fraction below which shedding stops.
     *
     * @return in (0, shedRatio); default 0.90
     */
    public double clearRatio() {
        return clearRatio;
    }

    @Override
    public String toString() {
        return "FileDescriptorMonitorConfig{interval=" + interval + ", warnRatio=" + warnRatio + ", shedRatio=" + shedRatio
                + ", clearRatio=" + clearRatio + '}';
    }

    /** Builder of {@link FileDescriptorMonitorConfig}; not thread-safe. */
    public static final class Builder {
        private Duration interval = DEFAULT_INTERVAL;
        private double warnRatio = DEFAULT_WARN_RATIO;
        private double shedRatio = DEFAULT_SHED_RATIO;
        private double clearRatio = DEFAULT_CLEAR_RATIO;

        private Builder() {
        }

        /**
         * Sets the sampling interval.
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
         * Sets the warning level.
         *
         * @param warnRatio between 0.01 and 1.0; default 0.80
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder warnRatio(double warnRatio) {
            this.warnRatio = Checks.inRange(warnRatio, 0.01, 1.0, "warnRatio");
            return this;
        }

        /**
         * Sets the shedding level.
         *
         * @param shedRatio between 0.01 and 1.0; default 0.95
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder shedRatio(double shedRatio) {
            this.shedRatio = Checks.inRange(shedRatio, 0.01, 1.0, "shedRatio");
            return this;
        }

        /**
         * Sets the level below which shedding stops.
         *
         * @param clearRatio between 0.0 and 1.0; default 0.90
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder clearRatio(double clearRatio) {
            this.clearRatio = Checks.inRange(clearRatio, 0.0, 1.0, "clearRatio");
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         * @throws dev.coldstart.core.ConfigurationException if {@code warnRatio > shedRatio} or
         *     {@code clearRatio >= shedRatio}
         */
        public FileDescriptorMonitorConfig build() {
            Checks.check(warnRatio <= shedRatio, "warnRatio must be less than or equal to shedRatio (" + shedRatio
                    + "), but was " + warnRatio);
            Checks.check(clearRatio < shedRatio, "clearRatio must be less than shedRatio (" + shedRatio + "), but was "
                    + clearRatio);
            return new FileDescriptorMonitorConfig(this);
        }
    }
}
