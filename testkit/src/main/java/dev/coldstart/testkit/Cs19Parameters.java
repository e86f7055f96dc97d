package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-19 (token validation cache warming), defaulting to those of SCENARIOS.md.
 * Immutable value with a
 * builder; builders are not thread-safe, built parameters are.
 */
public final class Cs19Parameters {
    /** Default verifications right after READY that must fetch nothing: 1000. */
    public static final int DEFAULT_VALIDATIONS_AFTER_READY = 1000;
    /** Default start deadline, also the wait for the failing warm-up: 2 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(2);

    private static final Cs19Parameters DEFAULTS = builder().build();

    private final int validationsAfterReady;
    private final Duration startTimeout;

    private Cs19Parameters(Builder b) {
        this.validationsAfterReady = b.validationsAfterReady;
        this.startTimeout = b.startTimeout;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared defaults
     */
    public static Cs19Parameters ofDefaults() {
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
        b.validationsAfterReady = validationsAfterReady;
        b.startTimeout = startTimeout;
        return b;
    }

    /**
     * The verifications right after READY that must fetch nothing.
     *
     * @return the value
     */
    public int validationsAfterReady() {
        return validationsAfterReady;
    }

    /**
     * The start deadline, also the wait for the failing warm-up.
     *
     * @return the value
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    @Override
    public String toString() {
        return "Cs19Parameters{" + "validationsAfterReady=" + validationsAfterReady + ", startTimeout=" + startTimeout + '}';
    }

    /** Builder of {@link Cs19Parameters}. Not thread-safe. */
    public static final class Builder {
        private int validationsAfterReady = DEFAULT_VALIDATIONS_AFTER_READY;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets the verifications right after READY that must fetch nothing.
         *
         * @param validationsAfterReady positive; default 1000
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder validationsAfterReady(int validationsAfterReady) {
            this.validationsAfterReady = Checks.positive(validationsAfterReady, "validationsAfterReady");
            return this;
        }

        /**
         * Sets the start deadline, also the wait for the failing warm-up.
         *
         * @param startTimeout positive; default Duration.ofSeconds(2)
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
        public Cs19Parameters build() {
            return new Cs19Parameters(this);
        }
    }
}
