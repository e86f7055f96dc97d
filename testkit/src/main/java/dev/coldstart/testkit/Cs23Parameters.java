package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-23 (static asset CDN fallback). Immutable value with a
 * builder; builders are not thread-safe, built parameters are.
 */
public final class Cs23Parameters {
    /** The interval between checks of each asset origin, by default: 100 ms. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(100);
    /** The consecutive good checks after which the recovered primary is used again, by default: 3. */
    public static final int DEFAULT_RECOVER_AFTER = 3;
    /** The path checked on each origin, by default: /assets/health.txt. */
    public static final String DEFAULT_CHECK_PATH = "/assets/health.txt";
    /** The asset whose URL is resolved, by default: assets/app.js. */
    public static final String DEFAULT_ASSET_PATH = "assets/app.js";
    /** The longest, from the primary's recovery, until asset URLs point at it again, by default: 5 s. */
    public static final Duration DEFAULT_MAX_SWITCH_BACK = Duration.ofSeconds(5);
    /** The start deadline the service must give its components, by default: 10 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);

    private static final Cs23Parameters DEFAULTS = builder().build();

    private final Duration checkInterval;
    private final int recoverAfter;
    private final String checkPath;
    private final String assetPath;
    private final Duration maxSwitchBack;
    private final Duration startTimeout;

    private Cs23Parameters(Builder b) {
        this.checkInterval = b.checkInterval;
        this.recoverAfter = b.recoverAfter;
        this.checkPath = b.checkPath;
        this.assetPath = b.assetPath;
        this.maxSwitchBack = b.maxSwitchBack;
        this.startTimeout = b.startTimeout;
    }

    /**
     * The figures of the scenario's defaults.
     *
     * @return the shared defaults
     */
    public static Cs23Parameters ofDefaults() {
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
     * A builder holding these values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.checkInterval = checkInterval;
        b.recoverAfter = recoverAfter;
        b.checkPath = checkPath;
        b.assetPath = assetPath;
        b.maxSwitchBack = maxSwitchBack;
        b.startTimeout = startTimeout;
        return b;
    }

    /**
     * The interval between checks of each asset origin.
     *
     * @return the value
     */
    public Duration checkInterval() {
        return checkInterval;
    }

    /**
     * The consecutive good checks after which the recovered primary is used again.
     *
     * @return the value
     */
    public int recoverAfter() {
        return recoverAfter;
    }

    /**
     * The path checked on each origin.
     *
     * @return the value
     */
    public String checkPath() {
        return checkPath;
    }

    /**
     * The asset whose URL is resolved.
     *
     * @return the value
     */
    public String assetPath() {
        return assetPath;
    }

    /**
     * The longest, from the primary's recovery, until asset URLs point at it again.
     *
     * @return the value
     */
    public Duration maxSwitchBack() {
        return maxSwitchBack;
    }

    /**
     * The start deadline the service must give its components.
     *
     * @return the value
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    @Override
    public String toString() {
        return "Cs23Parameters{" + "checkInterval=" + checkInterval + ", recoverAfter=" + recoverAfter + ", checkPath=" + checkPath + ", assetPath=" + assetPath + ", maxSwitchBack=" + maxSwitchBack + ", startTimeout=" + startTimeout + '}';
    }

    /** Builder of {@link Cs23Parameters}. Not thread-safe. */
    public static final class Builder {
        private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
        private int recoverAfter = DEFAULT_RECOVER_AFTER;
        private String checkPath = DEFAULT_CHECK_PATH;
        private String assetPath = DEFAULT_ASSET_PATH;
        private Duration maxSwitchBack = DEFAULT_MAX_SWITCH_BACK;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets the interval between checks of each asset origin.
         *
         * @param checkInterval positive; default 100 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder checkInterval(Duration checkInterval) {
            this.checkInterval = Checks.positive(checkInterval, "checkInterval");
            return this;
        }

        /**
         * Sets the consecutive good checks after which the recovered primary is used again.
         *
         * @param recoverAfter positive; default 3
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder recoverAfter(int recoverAfter) {
            this.recoverAfter = Checks.positive(recoverAfter, "recoverAfter");
            return this;
        }

        /**
         * Sets the path checked on each origin.
         *
         * @param checkPath not blank; default /assets/health.txt
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not not blank
         */
        public Builder checkPath(String checkPath) {
            this.checkPath = Checks.notBlank(checkPath, "checkPath");
            return this;
        }

        /**
         * Sets the asset whose URL is resolved.
         *
         * @param assetPath not blank; default assets/app.js
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not not blank
         */
        public Builder assetPath(String assetPath) {
            this.assetPath = Checks.notBlank(assetPath, "assetPath");
            return this;
        }

        /**
         * Sets the longest, from the primary's recovery, until asset URLs point at it again.
         *
         * @param maxSwitchBack positive; default 5 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder maxSwitchBack(Duration maxSwitchBack) {
            this.maxSwitchBack = Checks.positive(maxSwitchBack, "maxSwitchBack");
            return this;
        }

        /**
         * Sets the start deadline the service must give its components.
         *
         * @param startTimeout positive; default 10 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Checks.positive(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs23Parameters build() {
            return new Cs23Parameters(this);
        }
    }
}
