package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.time.Duration;

/**
 * How many WebSocket upgrades the server admits: a token bucket for the rate and a cap on
 * handshakes in flight, both checked before the upgrade (and before any token verification).
 *
 * <p>An upgrade request that finds the bucket empty or the cap reached is answered at once with
 * {@code 503 Service Unavailable}, {@code Retry-After} and {@code Connection: close}, which costs the
 * server far less than a handshake. Retry-After is a hint that spreads rejected clients over time:
 * each rejection by rate reserves the next free slot of the bucket ({@code 1 / permitsPerSecond}
 * apart) and is told to come back when its slot is due, rounded up to whole seconds (RFC 9110,
 * section 10.2.3) and capped at {@link #maxRetryAfter()}; a rejection by the in-flight cap is told
 * 1 s. Clients that honour it (see {@link ReconnectPolicy}) come back at about the admitted rate.
 *
 * <p>A handshake is in flight from its admission until the {@code 101} response has been written
 * (or the upgrade failed), which bounds the threads and memory that handshakes, including slow token
 * verifications, may take.
 *
 * <p>Immutable and thread-safe; builders are not thread-safe.
 */
public final class AdmissionConfig {
    /** Default sustained rate of admitted upgrades: 200 per second. */
    public static final double DEFAULT_PERMITS_PER_SECOND = 200.0;
    /** Default burst admitted at once from a full bucket: 50 upgrades. */
    public static final int DEFAULT_BURST_PERMITS = 50;
    /** Default cap on handshakes in flight: 32. */
    public static final int DEFAULT_MAX_HANDSHAKES_IN_FLIGHT = 32;
    /** Default cap on the Retry-After hint: 30 s. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);

    private static final AdmissionConfig DEFAULTS = builder().build();

    private final double permitsPerSecond;
    private final int burstPermits;
    private final int maxHandshakesInFlight;
    private final Duration maxRetryAfter;

    private AdmissionConfig(Builder b) {
        this.permitsPerSecond = b.permitsPerSecond;
        this.burstPermits = b.burstPermits;
        this.maxHandshakesInFlight = b.maxHandshakesInFlight;
        this.maxRetryAfter = b.maxRetryAfter;
    }

    /**
     * The defaults: 200 upgrades per second, bursts of 50, 32 handshakes in flight, Retry-After at
     * most 30 s.
     *
     * @return the shared default config
     */
    public static AdmissionConfig ofDefaults() {
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
        Builder b = new Builder();
        b.permitsPerSecond = permitsPerSecond;
        b.burstPermits = burstPermits;
        b.maxHandshakesInFlight = maxHandshakesInFlight;
        b.maxRetryAfter = maxRetryAfter;
        return b;
    }

    /**
     * The sustained rate at which the bucket refills.
     *
     * @return upgrades per second, positive
     */
    public double permitsPerSecond() {
        return permitsPerSecond;
    }

    /**
     * The bucket's capacity: how many upgrades a full bucket admits at once.
     *
     * @return at least 1
     */
    public int burstPermits() {
        return burstPermits;
    }

    /**
     * The cap on handshakes between admission and the written {@code 101}.
     *
     * @return at least 1
     */
    public int maxHandshakesInFlight() {
        return maxHandshakesInFlight;
    }

    /**
     * The largest Retry-After hint given.
     *
     * @return at least 1 s
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    @Override
    public String toString() {
        return "AdmissionConfig{permitsPerSecond=" + permitsPerSecond + ", burstPermits=" + burstPermits
                + ", maxHandshakesInFlight=" + maxHandshakesInFlight + ", maxRetryAfter=" + maxRetryAfter + '}';
    }

    /** Builder for {@link AdmissionConfig}; not thread-safe. */
    public static final class Builder {
        private double permitsPerSecond = DEFAULT_PERMITS_PER_SECOND;
        private int burstPermits = DEFAULT_BURST_PERMITS;
        private int maxHandshakesInFlight = DEFAULT_MAX_HANDSHAKES_IN_FLIGHT;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;

        private Builder() {
        }

        /**
         * Sets the sustained admission rate.
         *
         * @param permitsPerSecond between 0.1 and 1,000,000; default 200
         * @return this builder
         * @throws ConfigurationException if out of range
         */
        public Builder permitsPerSecond(double permitsPerSecond) {
            this.permitsPerSecond = Checks.inRange(permitsPerSecond, 0.1, 1_000_000, "permitsPerSecond");
            return this;
        }

        /**
         * Sets the bucket's capacity.
         *
         * @param burstPermits at least 1; default 50
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder burstPermits(int burstPermits) {
            this.burstPermits = Checks.positive(burstPermits, "burstPermits");
            return this;
        }

        /**
         * Sets the cap on handshakes in flight.
         *
         * @param maxHandshakesInFlight at least 1; default 32
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxHandshakesInFlight(int maxHandshakesInFlight) {
            this.maxHandshakesInFlight = Checks.positive(maxHandshakesInFlight, "maxHandshakesInFlight");
            return this;
        }

        /**
         * Sets the cap on the Retry-After hint.
         *
         * @param maxRetryAfter at least 1 s; default 30 s
         * @return this builder
         * @throws ConfigurationException if shorter than 1 s
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            Checks.positive(maxRetryAfter, "maxRetryAfter");
            Checks.check(maxRetryAfter.compareTo(Duration.ofSeconds(1)) >= 0,
                    "maxRetryAfter must be at least PT1S (Retry-After counts whole seconds), but was " + maxRetryAfter);
            this.maxRetryAfter = maxRetryAfter;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         */
        public AdmissionConfig build() {
            return new AdmissionConfig(this);
        }
    }
}
