package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import dev.coldstart.websocket.ReconnectPolicy;
import java.time.Duration;

/**
 * The figures of CS-11 (WebSocket upgrade failures at a high rate), defaulting to those of SCENARIOS.md. Immutable value with a builder; builders are not
 * thread-safe, built parameters are.
 */
public final class Cs11Parameters {
    /** Default number of clients that try to upgrade: 2,000. */
    public static final int DEFAULT_CLIENTS = 2000;
    /** Default window after the port opens in which every client makes its first attempt: 1 s. */
    public static final Duration DEFAULT_ARRIVAL_WINDOW = Duration.ofSeconds(1);
    /** Default time by which every client must be connected: 30 s. */
    public static final Duration DEFAULT_CONNECT_DEADLINE = Duration.ofSeconds(30);
    /** Default reconnect policy of the clients: {@link ReconnectPolicy#ofDefaults()}. */
    public static final ReconnectPolicy DEFAULT_RECONNECT_POLICY = ReconnectPolicy.ofDefaults();
    /** Default longest a job may wait for a server thread without counting as thread exhaustion (a fifth of the clients' 10 s upgrade timeout): 2 s. */
    public static final Duration DEFAULT_MAX_THREAD_WAIT = Duration.ofSeconds(2);

    private static final Cs11Parameters DEFAULTS = builder().build();

    private final int clients;
    private final Duration arrivalWindow;
    private final Duration connectDeadline;
    private final ReconnectPolicy reconnectPolicy;
    private final Duration maxThreadWait;

    private Cs11Parameters(Builder b) {
        this.clients = b.clients;
        this.arrivalWindow = b.arrivalWindow;
        this.connectDeadline = b.connectDeadline;
        this.reconnectPolicy = b.reconnectPolicy;
        this.maxThreadWait = b.maxThreadWait;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared defaults
     */
    public static Cs11Parameters ofDefaults() {
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
        b.clients = clients;
        b.arrivalWindow = arrivalWindow;
        b.connectDeadline = connectDeadline;
        b.reconnectPolicy = reconnectPolicy;
        b.maxThreadWait = maxThreadWait;
        return b;
    }

    /**
     * The number of clients that try to upgrade.
     *
     * @return the value
     */
    public int clients() {
        return clients;
    }

    /**
     * The window after the port opens in which every client makes its first attempt.
     *
     * @return the value
     */
    public Duration arrivalWindow() {
        return arrivalWindow;
    }

    /**
     * The time by which every client must be connected.
     *
     * @return the value
     */
    public Duration connectDeadline() {
        return connectDeadline;
    }

    /**
     * The reconnect policy of the clients.
     *
     * @return the value
     */
    public ReconnectPolicy reconnectPolicy() {
        return reconnectPolicy;
    }

    /**
     * The longest a job may wait for a server thread without counting as thread exhaustion (a fifth of the clients' 10 s upgrade timeout).
     *
     * @return the value
     */
    public Duration maxThreadWait() {
        return maxThreadWait;
    }

    @Override
    public String toString() {
        return "Cs11Parameters{" + "clients=" + clients + ", arrivalWindow=" + arrivalWindow + ", connectDeadline=" + connectDeadline + ", reconnectPolicy=" + reconnectPolicy + ", maxThreadWait=" + maxThreadWait + '}';
    }

    /** Builder of {@link Cs11Parameters}. Not thread-safe. */
    public static final class Builder {
        private int clients = DEFAULT_CLIENTS;
        private Duration arrivalWindow = DEFAULT_ARRIVAL_WINDOW;
        private Duration connectDeadline = DEFAULT_CONNECT_DEADLINE;
        private ReconnectPolicy reconnectPolicy = DEFAULT_RECONNECT_POLICY;
        private Duration maxThreadWait = DEFAULT_MAX_THREAD_WAIT;

        private Builder() {
        }

        /**
         * Sets the number of clients that try to upgrade.
         *
         * @param clients positive; default 2,000
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder clients(int clients) {
            this.clients = Checks.positive(clients, "clients");
            return this;
        }

        /**
         * Sets the window after the port opens in which every client makes its first attempt.
         *
         * @param arrivalWindow positive; default 1 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder arrivalWindow(Duration arrivalWindow) {
            this.arrivalWindow = Checks.positive(arrivalWindow, "arrivalWindow");
            return this;
        }

        /**
         * Sets the time by which every client must be connected.
         *
         * @param connectDeadline positive; default 30 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder connectDeadline(Duration connectDeadline) {
            this.connectDeadline = Checks.positive(connectDeadline, "connectDeadline");
            return this;
        }

        /**
         * Sets the reconnect policy of the clients.
         *
         * @param reconnectPolicy not null; default {@link ReconnectPolicy#ofDefaults()}
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder reconnectPolicy(ReconnectPolicy reconnectPolicy) {
            this.reconnectPolicy = Checks.notNull(reconnectPolicy, "reconnectPolicy");
            return this;
        }

        /**
         * Sets the longest a job may wait for a server thread without counting as thread exhaustion (a fifth of the clients' 10 s upgrade timeout).
         *
         * @param maxThreadWait positive; default 2 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder maxThreadWait(Duration maxThreadWait) {
            this.maxThreadWait = Checks.positive(maxThreadWait, "maxThreadWait");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs11Parameters build() {
            return new Cs11Parameters(this);
        }
    }
}
