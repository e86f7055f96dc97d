package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-24 (GraphQL schema stitching errors). Immutable value with a
 * builder; builders are not thread-safe, built parameters are.
 */
public final class Cs24Parameters {
    /** The start deadline the service must give its components; a required GraphQL service down this long fails the start, by default: 5 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(5);
    /** The longest a start with conflicting schemas may take to fail, by default: 15 s. */
    public static final Duration DEFAULT_MAX_CONFLICT_DETECTION = Duration.ofSeconds(15);

    private static final Cs24Parameters DEFAULTS = builder().build();

    private final Duration startTimeout;
    private final Duration maxConflictDetection;

    private Cs24Parameters(Builder b) {
        this.startTimeout = b.startTimeout;
        this.maxConflictDetection = b.maxConflictDetection;
    }

    /**
     * The figures of the scenario's defaults.
     *
     * @return the shared defaults
     */
    public static Cs24Parameters ofDefaults() {
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
        b.maxConflictDetection = maxConflictDetection;
        return b;
    }

    /**
     * The start deadline the service must give its components; a required GraphQL service down this long fails the start.
     *
     * @return the value
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The longest a start with conflicting schemas may take to fail.
     *
     * @return the value
     */
    public Duration maxConflictDetection() {
        return maxConflictDetection;
    }

    @Override
    public String toString() {
        return "Cs24Parameters{" + "startTimeout=" + startTimeout + ", maxConflictDetection=" + maxConflictDetection + '}';
    }

    /** Builder of {@link Cs24Parameters}. Not thread-safe. */
    public static final class Builder {
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration maxConflictDetection = DEFAULT_MAX_CONFLICT_DETECTION;

        private Builder() {
        }

        /**
         * Sets the start deadline the service must give its components; a required GraphQL service down this long fails the start.
         *
         * @param startTimeout positive; default 5 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Checks.positive(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Sets the longest a start with conflicting schemas may take to fail.
         *
         * @param maxConflictDetection positive; default 15 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder maxConflictDetection(Duration maxConflictDetection) {
            this.maxConflictDetection = Checks.positive(maxConflictDetection, "maxConflictDetection");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs24Parameters build() {
            return new Cs24Parameters(this);
        }
    }
}
