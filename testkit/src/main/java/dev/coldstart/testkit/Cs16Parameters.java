package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-16 (identity provider initialisation failures), defaulting to those of SCENARIOS.md.
 * Immutable value with a
 * builder; builders are not thread-safe, built parameters are.
 */
public final class Cs16Parameters {
    /** Default start deadline of the provider components: 3 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(3);
    /** Default request timeout the service applies to the provider: 500 ms. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMillis(500);
    /** Default response delay of the slow provider, longer than the request timeout: 2 s. */
    public static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(2);
    /** Default JWKS requests that fail before the recovering provider answers: 2. */
    public static final int DEFAULT_RECOVER_AFTER_FAILURES = 2;

    private static final Cs16Parameters DEFAULTS = builder().build();

    private final Duration startTimeout;
    private final Duration requestTimeout;
    private final Duration slowDelay;
    private final int recoverAfterFailures;

    private Cs16Parameters(Builder b) {
        this.startTimeout = b.startTimeout;
        this.requestTimeout = b.requestTimeout;
        this.slowDelay = b.slowDelay;
        this.recoverAfterFailures = b.recoverAfterFailures;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared defaults
     */
    public static Cs16Parameters ofDefaults() {
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
        b.requestTimeout = requestTimeout;
        b.slowDelay = slowDelay;
        b.recoverAfterFailures = recoverAfterFailures;
        return b;
    }

    /**
     * The start deadline of the provider components.
     *
     * @return the value
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The request timeout the service applies to the provider.
     *
     * @return the value
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * The response delay of the slow provider, longer than the request timeout.
     *
     * @return the value
     */
    public Duration slowDelay() {
        return slowDelay;
    }

    /**
     * The JWKS requests that fail before the recovering provider answers.
     *
     * @return the value
     */
    public int recoverAfterFailures() {
        return recoverAfterFailures;
    }

    @Override
    public String toString() {
        return "Cs16Parameters{" + "startTimeout=" + startTimeout + ", requestTimeout=" + requestTimeout + ", slowDelay=" + slowDelay + ", recoverAfterFailures=" + recoverAfterFailures + '}';
    }

    /** Builder of {@link Cs16Parameters}. Not thread-safe. */
    public static final class Builder {
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration slowDelay = DEFAULT_SLOW_DELAY;
        private int recoverAfterFailures = DEFAULT_RECOVER_AFTER_FAILURES;

        private Builder() {
        }

        /**
         * Sets the start deadline of the provider components.
         *
         * @param startTimeout positive; default Duration.ofSeconds(3)
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Checks.positive(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Sets the request timeout the service applies to the provider.
         *
         * @param requestTimeout positive; default Duration.ofMillis(500)
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Checks.positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * Sets the response delay of the slow provider, longer than the request timeout.
         *
         * @param slowDelay positive; default Duration.ofSeconds(2)
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder slowDelay(Duration slowDelay) {
            this.slowDelay = Checks.positive(slowDelay, "slowDelay");
            return this;
        }

        /**
         * Sets the JWKS requests that fail before the recovering provider answers.
         *
         * @param recoverAfterFailures positive; default 2
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder recoverAfterFailures(int recoverAfterFailures) {
            this.recoverAfterFailures = Checks.positive(recoverAfterFailures, "recoverAfterFailures");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs16Parameters build() {
            return new Cs16Parameters(this);
        }
    }
}
