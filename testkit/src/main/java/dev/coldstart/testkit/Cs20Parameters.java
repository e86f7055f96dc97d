package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-20 (cross-service auth propagation), defaulting to those of SCENARIOS.md.
 * Immutable value with a
 * builder; builders are not thread-safe, built parameters are.
 */
public final class Cs20Parameters {
    /** Default calls from A to B after both are READY, paced over several token lifetimes: 200. */
    public static final int DEFAULT_CALLS = 200;
    /** Default pause between two calls of the paced phase: 30 ms. */
    public static final Duration DEFAULT_CALL_INTERVAL = Duration.ofMillis(30);
    /** Default lifetime (expires_in) of the provider's access tokens: 3 s. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(3);
    /** Default time both services have to become READY: 30 s. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);
    /** Default start deadline the services apply: 30 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

    private static final Cs20Parameters DEFAULTS = builder().build();

    private final int calls;
    private final Duration callInterval;
    private final Duration tokenLifetime;
    private final Duration readyTimeout;
    private final Duration startTimeout;

    private Cs20Parameters(Builder b) {
        this.calls = b.calls;
        this.callInterval = b.callInterval;
        this.tokenLifetime = b.tokenLifetime;
        this.readyTimeout = b.readyTimeout;
        this.startTimeout = b.startTimeout;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared defaults
     */
    public static Cs20Parameters ofDefaults() {
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
        b.calls = calls;
        b.callInterval = callInterval;
        b.tokenLifetime = tokenLifetime;
        b.readyTimeout = readyTimeout;
        b.startTimeout = startTimeout;
        return b;
    }

    /**
     * The calls from A to B after both are READY, paced over several token lifetimes.
     *
     * @return the value
     */
    public int calls() {
        return calls;
    }

    /**
     * The pause between two calls of the paced phase.
     *
     * @return the value
     */
    public Duration callInterval() {
        return callInterval;
    }

    /**
     * The lifetime (expires_in) of the provider's access tokens.
     *
     * @return the value
     */
    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    /**
     * The time both services have to become READY.
     *
     * @return the value
     */
    public Duration readyTimeout() {
        return readyTimeout;
    }

    /**
     * The start deadline the services apply.
     *
     * @return the value
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    @Override
    public String toString() {
        return "Cs20Parameters{" + "calls=" + calls + ", callInterval=" + callInterval + ", tokenLifetime=" + tokenLifetime + ", readyTimeout=" + readyTimeout + ", startTimeout=" + startTimeout + '}';
    }

    /** Builder of {@link Cs20Parameters}. Not thread-safe. */
    public static final class Builder {
        private int calls = DEFAULT_CALLS;
        private Duration callInterval = DEFAULT_CALL_INTERVAL;
        private Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets the calls from A to B after both are READY, paced over several token lifetimes.
         *
         * @param calls positive; default 200
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder calls(int calls) {
            this.calls = Checks.positive(calls, "calls");
            return this;
        }

        /**
         * Sets the pause between two calls of the paced phase.
         *
         * @param callInterval positive; default Duration.ofMillis(30)
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder callInterval(Duration callInterval) {
            this.callInterval = Checks.positive(callInterval, "callInterval");
            return this;
        }

        /**
         * Sets the lifetime (expires_in) of the provider's access tokens.
         *
         * @param tokenLifetime positive; default Duration.ofSeconds(3)
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder tokenLifetime(Duration tokenLifetime) {
            this.tokenLifetime = Checks.positive(tokenLifetime, "tokenLifetime");
            return this;
        }

        /**
         * Sets the time both services have to become READY.
         *
         * @param readyTimeout positive; default Duration.ofSeconds(30)
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = Checks.positive(readyTimeout, "readyTimeout");
            return this;
        }

        /**
         * Sets the start deadline the services apply.
         *
         * @param startTimeout positive; default Duration.ofSeconds(30)
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
        public Cs20Parameters build() {
            return new Cs20Parameters(this);
        }
    }
}
