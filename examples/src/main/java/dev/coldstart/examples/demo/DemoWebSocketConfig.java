package dev.coldstart.examples.demo;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.websocket.BufferLimits;
import java.time.Duration;

/**
 * The demo's WebSocket endpoint settings (scenarios CS-11 to CS-15): whether it runs and on which
 * port, the heartbeat, the per-session buffer limits and the token verifier. Part of
 * {@link DemoConfig}; parsed from the command line by {@link DemoConfig#parse(String...)}.
 * Immutable; builders are not thread-safe.
 */
public final class DemoWebSocketConfig {
    /** Default heartbeat interval: 20 s, well under the 60 s idle timeout of common proxies. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(20);
    /** Default pongs a client may miss before the server closes it: 3. */
    public static final int DEFAULT_MISSED_PONGS = 3;
    /** Default idle timeout of the proxy in front of the demo: 60 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT_IN_FRONT = Duration.ofSeconds(60);
    /**
     * Default per-session buffer: 12,000 messages or 4 MiB, kept 5 min after a disconnect, so a
     * client that misses all of CS-15's 10,000 broadcasts still resumes without a gap.
     */
    public static final BufferLimits DEFAULT_LIMITS = BufferLimits.builder().maxMessagesPerSession(12_000)
            .maxBytesPerSession(4L * 1024 * 1024).sessionTtl(Duration.ofMinutes(5)).build();

    static final String USAGE = String.join("\n",
            "  --ws-port N           serve the resumable WebSocket endpoint (path /ws) on port N, 0 for a",
            "                        free one; its message log is on Redis with --redis-url (default off)",
            "  --ws-heartbeat SECS   WebSocket ping interval, shorter than 60 s (default 20)");

    private static final DemoWebSocketConfig DEFAULTS = builder().build();

    private final boolean enabled;
    private final int port;
    private final Duration heartbeatInterval;
    private final int missedPongs;
    private final Duration idleTimeoutInFront;
    private final BufferLimits limits;
    private final TokenVerifier tokenVerifier;

    private DemoWebSocketConfig(Builder b) {
        this.enabled = b.enabled;
        this.port = b.port;
        this.heartbeatInterval = b.heartbeatInterval;
        this.missedPongs = b.missedPongs;
        this.idleTimeoutInFront = b.idleTimeoutInFront;
        this.limits = b.limits;
        this.tokenVerifier = b.tokenVerifier;
    }

    /**
     * The defaults: no WebSocket endpoint.
     *
     * @return the default settings
     */
    public static DemoWebSocketConfig ofDefaults() {
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
     * A builder holding these settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.port = port;
        b.heartbeatInterval = heartbeatInterval;
        b.missedPongs = missedPongs;
        b.idleTimeoutInFront = idleTimeoutInFront;
        b.limits = limits;
        b.tokenVerifier = tokenVerifier;
        return b;
    }

    /**
     * Applies one command-line option if it is one of these settings.
     *
     * @param b the builder to apply it to
     * @param args the command line
     * @param i the option's index
     * @return how many arguments it used (the option and its value), or 0 if it is not one of these
     * @throws ConfigurationException if its value is missing or invalid
     */
    static int parseOption(Builder b, String[] args, int i) {
        String option = args[i];
        switch (option) {
            case "--ws-port":
                b.port(number(args, i, option));
                return 2;
            case "--ws-heartbeat":
                b.heartbeatInterval(Duration.ofSeconds(number(args, i, option)));
                return 2;
            default:
                return 0;
        }
    }

    private static int number(String[] args, int i, String option) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new ConfigurationException(option + " needs a value");
        }
        String v = args[i + 1];
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(option + " must be a whole number, but was " + v);
        }
    }

    /**
     * Whether the demo serves the WebSocket endpoint.
     *
     * @return true once a port was set
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The port of the WebSocket endpoint.
     *
     * @return 0 to 65535, 0 for a free port
     */
    public int port() {
        return port;
    }

    /**
     * The server's ping interval P.
     *
     * @return positive, shorter than {@link #idleTimeoutInFront()}
     */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * The pongs K a client may miss before the server closes it.
     *
     * @return at least 1
     */
    public int missedPongs() {
        return missedPongs;
    }

    /**
     * The idle timeout of the proxy in front of the demo, which the heartbeat must beat.
     *
     * @return positive
     */
    public Duration idleTimeoutInFront() {
        return idleTimeoutInFront;
    }

    /**
     * The per-session buffer limits of the message log.
     *
     * @return the limits
     */
    public BufferLimits limits() {
        return limits;
    }

    /**
     * The verifier of the tokens clients send at the upgrade; set from code only.
     *
     * @return the verifier, or null when the endpoint requires no token
     */
    public TokenVerifier tokenVerifier() {
        return tokenVerifier;
    }

    @Override
    public String toString() {
        return "DemoWebSocketConfig{enabled=" + enabled + ", port=" + port + ", heartbeatInterval=" + heartbeatInterval
                + ", missedPongs=" + missedPongs + ", idleTimeoutInFront=" + idleTimeoutInFront + ", limits=" + limits
                + ", tokenVerifier=" + (tokenVerifier == null ? "none" : "(set)") + '}';
    }

    /** Builder for {@link DemoWebSocketConfig}; not thread-safe. */
    public static final class Builder {
        private boolean enabled;
        private int port;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private int missedPongs = DEFAULT_MISSED_PONGS;
        private Duration idleTimeoutInFront = DEFAULT_IDLE_TIMEOUT_IN_FRONT;
        private BufferLimits limits = DEFAULT_LIMITS;
        private TokenVerifier tokenVerifier;

        private Builder() {
        }

        /**
         * Turns the endpoint on, on the given port.
         *
         * @param port 0 to 65535, 0 for a free port; default off
         * @return this builder
         * @throws ConfigurationException if the port is out of range
         */
        public Builder port(int port) {
            Checks.check(port >= 0 && port <= 65_535, "port must be between 0 and 65535, but was " + port);
            this.port = port;
            this.enabled = true;
            return this;
        }

        /**
         * Sets the ping interval P.
         *
         * @param heartbeatInterval positive; default {@link #DEFAULT_HEARTBEAT_INTERVAL}
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = Checks.positive(heartbeatInterval, "heartbeatInterval");
            return this;
        }

        /**
         * Sets the pongs K a client may miss.
         *
         * @param missedPongs at least 1; default {@value #DEFAULT_MISSED_PONGS}
         * @return this builder
         * @throws ConfigurationException if less than 1
         */
        public Builder missedPongs(int missedPongs) {
            this.missedPongs = Checks.positive(missedPongs, "missedPongs");
            return this;
        }

        /**
         * Sets the idle timeout of the proxy in front.
         *
         * @param idleTimeoutInFront positive; default {@link #DEFAULT_IDLE_TIMEOUT_IN_FRONT}
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder idleTimeoutInFront(Duration idleTimeoutInFront) {
            this.idleTimeoutInFront = Checks.positive(idleTimeoutInFront, "idleTimeoutInFront");
            return this;
        }

        /**
         * Sets the per-session buffer limits.
         *
         * @param limits not null; default {@link #DEFAULT_LIMITS}
         * @return this builder
         */
        public Builder limits(BufferLimits limits) {
            this.limits = Checks.notNull(limits, "limits");
            return this;
        }

        /**
         * Sets the verifier of upgrade tokens; the endpoint then refuses upgrades without a valid
         * token (401).
         *
         * @param tokenVerifier the verifier, or null for none; default none
         * @return this builder
         */
        public Builder tokenVerifier(TokenVerifier tokenVerifier) {
            this.tokenVerifier = tokenVerifier;
            return this;
        }

        /**
         * Builds the settings; the heartbeat is checked against the idle timeout when the server is
         * built.
         *
         * @return immutable settings
         */
        public DemoWebSocketConfig build() {
            return new DemoWebSocketConfig(this);
        }
    }
}
