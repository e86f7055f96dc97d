package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-18 (session store race conditions), defaulting to those of SCENARIOS.md.
 * Immutable value with a
 * builder; builders are not thread-safe, built parameters are.
 */
public final class Cs18Parameters {
    /** Default concurrent increments of one session attribute: 100. */
    public static final int DEFAULT_CONCURRENT_INCREMENTS = 100;
    /** Default rounds of one invalidation racing concurrent refreshes: 20. */
    public static final int DEFAULT_INVALIDATION_ROUNDS = 20;
    /** Default concurrent refreshers per round: 6. */
    public static final int DEFAULT_REFRESHERS_PER_ROUND = 6;
    /** Default lease time-to-live of the crashed lock holder: 1 s. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(1);

    private static final Cs18Parameters DEFAULTS = builder().build();

    private final int concurrentIncrements;
    private final int invalidationRounds;
    private final int refreshersPerRound;
    private final Duration leaseTtl;

    private Cs18Parameters(Builder b) {
        this.concurrentIncrements = b.concurrentIncrements;
        this.invalidationRounds = b.invalidationRounds;
        this.refreshersPerRound = b.refreshersPerRound;
        this.leaseTtl = b.leaseTtl;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared defaults
     */
    public static Cs18Parameters ofDefaults() {
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
        b.concurrentIncrements = concurrentIncrements;
        b.invalidationRounds = invalidationRounds;
        b.refreshersPerRound = refreshersPerRound;
        b.leaseTtl = leaseTtl;
        return b;
    }

    /**
     * The concurrent increments of one session attribute.
     *
     * @return the value
     */
    public int concurrentIncrements() {
        return concurrentIncrements;
    }

    /**
     * The rounds of one invalidation racing concurrent refreshes.
     *
     * @return the value
     */
    public int invalidationRounds() {
        return invalidationRounds;
    }

    /**
     * The concurrent refreshers per round.
     *
     * @return the value
     */
    public int refreshersPerRound() {
        return refreshersPerRound;
    }

    /**
     * The lease time-to-live of the crashed lock holder.
     *
     * @return the value
     */
    public Duration leaseTtl() {
        return leaseTtl;
    }

    @Override
    public String toString() {
        return "Cs18Parameters{" + "concurrentIncrements=" + concurrentIncrements + ", invalidationRounds=" + invalidationRounds + ", refreshersPerRound=" + refreshersPerRound + ", leaseTtl=" + leaseTtl + '}';
    }

    /** Builder of {@link Cs18Parameters}. Not thread-safe. */
    public static final class Builder {
        private int concurrentIncrements = DEFAULT_CONCURRENT_INCREMENTS;
        private int invalidationRounds = DEFAULT_INVALIDATION_ROUNDS;
        private int refreshersPerRound = DEFAULT_REFRESHERS_PER_ROUND;
        private Duration leaseTtl = DEFAULT_LEASE_TTL;

        private Builder() {
        }

        /**
         * Sets the concurrent increments of one session attribute.
         *
         * @param concurrentIncrements positive; default 100
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder concurrentIncrements(int concurrentIncrements) {
            this.concurrentIncrements = Checks.positive(concurrentIncrements, "concurrentIncrements");
            return this;
        }

        /**
         * Sets the rounds of one invalidation racing concurrent refreshes.
         *
         * @param invalidationRounds positive; default 20
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder invalidationRounds(int invalidationRounds) {
            this.invalidationRounds = Checks.positive(invalidationRounds, "invalidationRounds");
            return this;
        }

        /**
         * Sets the concurrent refreshers per round.
         *
         * @param refreshersPerRound positive; default 6
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder refreshersPerRound(int refreshersPerRound) {
            this.refreshersPerRound = Checks.positive(refreshersPerRound, "refreshersPerRound");
            return this;
        }

        /**
         * Sets the lease time-to-live of the crashed lock holder.
         *
         * @param leaseTtl positive; default Duration.ofSeconds(1)
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = Checks.positive(leaseTtl, "leaseTtl");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs18Parameters build() {
            return new Cs18Parameters(this);
        }
    }
}
