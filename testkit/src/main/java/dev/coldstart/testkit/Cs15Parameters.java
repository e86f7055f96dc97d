package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-15 (broadcasting failures during restart), defaulting to those of SCENARIOS.md. Immutable value with a builder; builders are not
 * thread-safe, built parameters are.
 */
public final class Cs15Parameters {
    /** Default number of sessions: 500. */
    public static final int DEFAULT_SESSIONS = 500;
    /** Default number of broadcasts: 10,000. */
    public static final int DEFAULT_BROADCASTS = 10000;
    /** Default number of random sessions that disconnect and reconnect during the broadcasts: 100. */
    public static final int DEFAULT_RECONNECTING_SESSIONS = 100;
    /** Default time after the last broadcast by which every session must have everything: 90 s. */
    public static final Duration DEFAULT_DELIVERY_DEADLINE = Duration.ofSeconds(90);

    private static final Cs15Parameters DEFAULTS = builder().build();

    private final int sessions;
    private final int broadcasts;
    private final int reconnectingSessions;
    private final Duration deliveryDeadline;

    private Cs15Parameters(Builder b) {
        this.sessions = b.sessions;
        this.broadcasts = b.broadcasts;
        this.reconnectingSessions = b.reconnectingSessions;
        this.deliveryDeadline = b.deliveryDeadline;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared defaults
     */
    public static Cs15Parameters ofDefaults() {
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
        b.sessions = sessions;
        b.broadcasts = broadcasts;
        b.reconnectingSessions = reconnectingSessions;
        b.deliveryDeadline = deliveryDeadline;
        return b;
    }

    /**
     * The number of sessions.
     *
     * @return the value
     */
    public int sessions() {
        return sessions;
    }

    /**
     * The number of broadcasts.
     *
     * @return the value
     */
    public int broadcasts() {
        return broadcasts;
    }

    /**
     * The number of random sessions that disconnect and reconnect during the broadcasts.
     *
     * @return the value
     */
    public int reconnectingSessions() {
        return reconnectingSessions;
    }

    /**
     * The time after the last broadcast by which every session must have everything.
     *
     * @return the value
     */
    public Duration deliveryDeadline() {
        return deliveryDeadline;
    }

    @Override
    public String toString() {
        return "Cs15Parameters{" + "sessions=" + sessions + ", broadcasts=" + broadcasts + ", reconnectingSessions=" + reconnectingSessions + ", deliveryDeadline=" + deliveryDeadline + '}';
    }

    /** Builder of {@link Cs15Parameters}. Not thread-safe. */
    public static final class Builder {
        private int sessions = DEFAULT_SESSIONS;
        private int broadcasts = DEFAULT_BROADCASTS;
        private int reconnectingSessions = DEFAULT_RECONNECTING_SESSIONS;
        private Duration deliveryDeadline = DEFAULT_DELIVERY_DEADLINE;

        private Builder() {
        }

        /**
         * Sets the number of sessions.
         *
         * @param sessions positive; default 500
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder sessions(int sessions) {
            this.sessions = Checks.positive(sessions, "sessions");
            return this;
        }

        /**
         * Sets the number of broadcasts.
         *
         * @param broadcasts positive; default 10,000
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder broadcasts(int broadcasts) {
            this.broadcasts = Checks.positive(broadcasts, "broadcasts");
            return this;
        }

        /**
         * Sets the number of random sessions that disconnect and reconnect during the broadcasts.
         *
         * @param reconnectingSessions positive; default 100
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder reconnectingSessions(int reconnectingSessions) {
            this.reconnectingSessions = Checks.positive(reconnectingSessions, "reconnectingSessions");
            return this;
        }

        /**
         * Sets the time after the last broadcast by which every session must have everything.
         *
         * @param deliveryDeadline positive; default 90 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder deliveryDeadline(Duration deliveryDeadline) {
            this.deliveryDeadline = Checks.positive(deliveryDeadline, "deliveryDeadline");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs15Parameters build() {
            return new Cs15Parameters(this);
        }
    }
}
