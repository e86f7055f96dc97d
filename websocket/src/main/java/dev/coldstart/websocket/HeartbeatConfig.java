package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.time.Duration;

/**
 * Server heartbeats: a WebSocket ping to every connection each {@link #interval()} P, and the
 * connection closed once {@link #missedPongsBeforeClose()} K pings in a row went unanswered.
 *
 * <p>A ping is missed when no pong has arrived by the next ping's turn, P later; the K-th miss is
 * noticed at the turn after it, so a peer that stops answering is closed within P x K of the first
 * ping it left unanswered (plus scheduling delay) and its resources are freed at once. Pings of
 * different connections are spread over the interval by a {@link PingSchedule}, so thousands of
 * connections do not ping in the same millisecond.
 *
 * <p>A proxy or load balancer in front of the server closes connections that carry no traffic for
 * its idle timeout (60 s by default for AWS ALB and for nginx's {@code proxy_read_timeout}). The
 * heartbeat only keeps connections open if it is shorter than that, so {@link Builder#build()}
 * rejects an interval that is not strictly shorter than {@link #idleTimeoutInFront()}.
 *
 * <p>Immutable and thread-safe; builders are not thread-safe.
 */
public final class HeartbeatConfig {
    /** Default ping interval: 20 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(20);
    /** Default number of unanswered pings in a row that close a connection: 3. */
    public static final int DEFAULT_MISSED_PONGS_BEFORE_CLOSE = 3;
    /** Default declared idle timeout of the proxy in front: 60 s (AWS ALB's and nginx's default). */
    public static final Duration DEFAULT_IDLE_TIMEOUT_IN_FRONT = Duration.ofSeconds(60);

    private static final HeartbeatConfig DEFAULTS = builder().build();

    private final Duration interval;
    private final int missedPongsBeforeClose;
    private final Duration idleTimeoutInFront;

    private HeartbeatConfig(Builder b) {
        this.interval = b.interval;
        this.missedPongsBeforeClose = b.missedPongsBeforeClose;
        this.idleTimeoutInFront = b.idleTimeoutInFront;
    }

    /**
     * The defaults: a ping every 20 s, closed after 3 missed pongs, behind a 60 s idle timeout.
     *
     * @return the shared default config
     */
    public static HeartbeatConfig ofDefaults() {
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
        b.interval = interval;
        b.missedPongsBeforeClose = missedPongsBeforeClose;
        b.idleTimeoutInFront = idleTimeoutInFront;
        return b;
    }

    /**
     * The ping interval P.
     *
     * @return at least 100 ms, shorter than {@link #idleTimeoutInFront()}
     */
    public Duration interval() {
        return interval;
    }

    /**
     * K, the unanswered pings in a row that close a connection.
     *
     * @return at least 1
     */
    public int missedPongsBeforeClose() {
        return missedPongsBeforeClose;
    }

    /**
     * The idle timeout of the proxy or load balancer in front of the server, as declared by the
     * operator.
     *
     * @return a positive duration
     */
    public Duration idleTimeoutInFront() {
        return idleTimeoutInFront;
    }

    /**
     * The longest time from the first unanswered ping to the close: P x K.
     *
     * @return P x K
     */
    public Duration closeDeadline() {
        return interval.multipliedBy(missedPongsBeforeClose);
    }

    @Override
    public String toString() {
        return "HeartbeatConfig{interval=" + interval + ", missedPongsBeforeClose=" + missedPongsBeforeClose
                + ", idleTimeoutInFront=" + idleTimeoutInFront + '}';
    }

    /** Builder for {@link HeartbeatConfig}; not thread-safe. */
    public static final class Builder {
        private Duration interval = DEFAULT_INTERVAL;
        private int missedPongsBeforeClose = DEFAULT_MISSED_PONGS_BEFORE_CLOSE;
        private Duration idleTimeoutInFront = DEFAULT_IDLE_TIMEOUT_IN_FRONT;

        private Builder() {
        }

        /**
         * Sets the ping interval P.
         *
         * @param interval at least 100 ms; default 20 s
         * @return this builder
         * @throws ConfigurationException if shorter than 100 ms
         */
        public Builder interval(Duration interval) {
            Checks.positive(interval, "interval");
            Checks.check(interval.toMillis() >= 100, "interval must be at least PT0.1S, but was " + interval);
            this.interval = interval;
            return this;
        }

        /**
         * Sets K, the unanswered pings in a row that close a connection.
         *
         * @param missedPongsBeforeClose at least 1; default 3
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder missedPongsBeforeClose(int missedPongsBeforeClose) {
            this.missedPongsBeforeClose = Checks.positive(missedPongsBeforeClose, "missedPongsBeforeClose");
            return this;
        }

        /**
         * Declares the idle timeout of the proxy or load balancer in front of the server.
         *
         * @param idleTimeoutInFront positive; default 60 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder idleTimeoutInFront(Duration idleTimeoutInFront) {
            this.idleTimeoutInFront = Checks.positive(idleTimeoutInFront, "idleTimeoutInFront");
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         * @throws ConfigurationException if the interval is not shorter than the idle timeout in front
         */
        public HeartbeatConfig build() {
            Checks.check(interval.compareTo(idleTimeoutInFront) < 0,
                    "interval must be shorter than idleTimeoutInFront (" + idleTimeoutInFront + ", the idle timeout of the "
                            + "proxy in front, which would otherwise close quiet connections between pings), but was "
                            + interval + "; lower the interval or raise the proxy's idle timeout");
            return new HeartbeatConfig(this);
        }
    }
}
