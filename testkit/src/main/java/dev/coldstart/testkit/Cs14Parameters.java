package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-14 (WebSocket heartbeat synchronisation), defaulting to those of SCENARIOS.md. Immutable value with a builder; builders are not
 * thread-safe, built parameters are.
 */
public final class Cs14Parameters {
    /** Default number of sessions whose ping phases are computed: 5,000. */
    public static final int DEFAULT_PHASE_SPREAD_SESSIONS = 5000;
    /** Default slack over P x K within which the server must close a silent peer: 1 s. */
    public static final Duration DEFAULT_CLOSE_SLACK = Duration.ofSeconds(1);
    /** Default slack over the client's silence timeout within which it must detect a silent server: 1 s. */
    public static final Duration DEFAULT_DETECTION_SLACK = Duration.ofSeconds(1);
    /** Default time after the blackhole ends by which the client must be connected again: 30 s. */
    public static final Duration DEFAULT_RECONNECT_DEADLINE = Duration.ofSeconds(30);

    private static final Cs14Parameters DEFAULTS = builder().build();

    private final int phaseSpreadSessions;
    private final Duration closeSlack;
    private final Duration detectionSlack;
    private final Duration reconnectDeadline;

    private Cs14Parameters(Builder b) {
        this.phaseSpreadSessions = b.phaseSpreadSessions;
        this.closeSlack = b.closeSlack;
        this.detectionSlack = b.detectionSlack;
        this.reconnectDeadline = b.reconnectDeadline;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared defaults
     */
    public static Cs14Parameters ofDefaults() {
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
        b.phaseSpreadSessions = phaseSpreadSessions;
        b.closeSlack = closeSlack;
        b.detectionSlack = detectionSlack;
        b.reconnectDeadline = reconnectDeadline;
        return b;
    }

    /**
     * The number of sessions whose ping phases are computed.
     *
     * @return the value
     */
    public int phaseSpreadSessions() {
        return phaseSpreadSessions;
    }

    /**
     * The slack over P x K within which the server must close a silent peer.
     *
     * @return the value
     */
    public Duration closeSlack() {
        return closeSlack;
    }

    /**
     * The slack over the client's silence timeout within which it must detect a silent server.
     *
     * @return the value
     */
    public Duration detectionSlack() {
        return detectionSlack;
    }

    /**
     * The time after the blackhole ends by which the client must be connected again.
     *
     * @return the value
     */
    public Duration reconnectDeadline() {
        return reconnectDeadline;
    }

    @Override
    public String toString() {
        return "Cs14Parameters{" + "phaseSpreadSessions=" + phaseSpreadSessions + ", closeSlack=" + closeSlack + ", detectionSlack=" + detectionSlack + ", reconnectDeadline=" + reconnectDeadline + '}';
    }

    /** Builder of {@link Cs14Parameters}. Not thread-safe. */
    public static final class Builder {
        private int phaseSpreadSessions = DEFAULT_PHASE_SPREAD_SESSIONS;
        private Duration closeSlack = DEFAULT_CLOSE_SLACK;
        private Duration detectionSlack = DEFAULT_DETECTION_SLACK;
        private Duration reconnectDeadline = DEFAULT_RECONNECT_DEADLINE;

        private Builder() {
        }

        /**
         * Sets the number of sessions whose ping phases are computed.
         *
         * @param phaseSpreadSessions positive; default 5,000
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder phaseSpreadSessions(int phaseSpreadSessions) {
            this.phaseSpreadSessions = Checks.positive(phaseSpreadSessions, "phaseSpreadSessions");
            return this;
        }

        /**
         * Sets the slack over P x K within which the server must close a silent peer.
         *
         * @param closeSlack positive; default 1 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder closeSlack(Duration closeSlack) {
            this.closeSlack = Checks.positive(closeSlack, "closeSlack");
            return this;
        }

        /**
         * Sets the slack over the client's silence timeout within which it must detect a silent server.
         *
         * @param detectionSlack positive; default 1 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder detectionSlack(Duration detectionSlack) {
            this.detectionSlack = Checks.positive(detectionSlack, "detectionSlack");
            return this;
        }

        /**
         * Sets the time after the blackhole ends by which the client must be connected again.
         *
         * @param reconnectDeadline positive; default 30 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder reconnectDeadline(Duration reconnectDeadline) {
            this.reconnectDeadline = Checks.positive(reconnectDeadline, "reconnectDeadline");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs14Parameters build() {
            return new Cs14Parameters(this);
        }
    }
}
