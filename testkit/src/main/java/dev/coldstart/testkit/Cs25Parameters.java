package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-25 (SSR hydration mismatches). Immutable value with a
 * builder; builders are not thread-safe, built parameters are.
 */
public final class Cs25Parameters {
    /** The start deadline the service must give its components, by default: 10 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);
    /** The longest a start with another build's client manifest may take to fail, by default: 15 s. */
    public static final Duration DEFAULT_MAX_DETECTION = Duration.ofSeconds(15);

    private static final Cs25Parameters DEFAULTS = builder().build();

    private final Duration startTimeout;
    private final Duration maxDetection;

    private Cs25Parameters(Builder b) {
        this.startTimeout = b.startTimeout;
        this.maxDetection = b.maxDetection;
    }

    /**
     * The figures of the scenario's defaults.
     *
     * @return the shared defaults
     */
    public static Cs25Parameters ofDefaults() {
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
        b.startTimeout = startTimeout;
        b.maxDetection = maxDetection;
        return b;
    }

    /**
     * The start deadline the service must give its components.
     *
     * @return the value
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The longest a start with another build's client manifest may take to fail.
     *
     * @return the value
     */
    public Duration maxDetection() {
        return maxDetection;
    }

    @Override
    public String toString() {
        return "Cs25Parameters{" + "startTimeout=" + startTimeout + ", maxDetection=" + maxDetection + '}';
    }

    /** Builder of {@link Cs25Parameters}. Not thread-safe. */
    public static final class Builder {
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration maxDetection = DEFAULT_MAX_DETECTION;

        private Builder() {
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
         * Sets the longest a start with another build's client manifest may take to fail.
         *
         * @param maxDetection positive; default 15 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder maxDetection(Duration maxDetection) {
            this.maxDetection = Checks.positive(maxDetection, "maxDetection");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs25Parameters build() {
            return new Cs25Parameters(this);
        }
    }
}
