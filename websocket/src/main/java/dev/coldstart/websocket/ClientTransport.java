package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ColdstartException;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.websocket.internal.TransportRuntime;
import java.time.Duration;

/**
 * What many {@link ReconnectingClient}s share: one Jetty {@code WebSocketClient} over one
 * {@code HttpClient} on a bounded thread pool, and one timer thread. Two thousand clients in one
 * process need one transport, not two thousand.
 *
 * <p>Connections made through a transport never share cookies. Thread-safe; {@link #close()} drops
 * every connection made through it.
 *
 * <pre>{@code
 * try (ClientTransport transport = ClientTransport.builder().build()) {
 *     ReconnectingClient client = ReconnectingClient.builder(transport, URI.create("ws://127.0.0.1:8081/ws")).build();
 *     client.start();
 * }
 * }</pre>
 */
public final class ClientTransport implements AutoCloseable {
    /** Default largest number of Jetty client threads: 16. */
    public static final int DEFAULT_THREADS = 16;
    /** Default most connections (and queued upgrades) to one server: 4,096. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /** Default TCP connect timeout: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default Jetty idle timeout of a connection: 10 min (silence is detected by the clients). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** Default largest text frame accepted from a server: 16 MiB. */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 16L * 1024 * 1024;

    private final TransportRuntime runtime;

    private ClientTransport(Builder b) {
        this.runtime = new TransportRuntime(b.name, b.threads, b.maxConnections, b.connectTimeout, b.idleTimeout,
                b.maxMessageBytes);
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
     * The transport's name.
     *
     * @return the name used for its threads and logs
     */
    public String name() {
        return runtime.name();
    }

    TransportRuntime runtime() {
        return runtime;
    }

    /** Stops the transport and drops every connection made through it. */
    @Override
    public void close() {
        runtime.close();
    }

    /** Builder for {@link ClientTransport}; not thread-safe. */
    public static final class Builder {
        private String name = "ws-client";
        private int threads = DEFAULT_THREADS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

        private Builder() {
        }

        /**
         * Sets the name of the transport's threads.
         *
         * @param name not blank; default {@code "ws-client"}
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Sets the largest number of Jetty client threads.
         *
         * @param threads at least 4; default 16
         * @return this builder
         * @throws ConfigurationException if below 4
         */
        public Builder threads(int threads) {
            Checks.check(threads >= 4, "threads must be at least 4, but was " + threads);
            this.threads = threads;
            return this;
        }

        /**
         * Sets the most connections, and queued upgrades, to one server.
         *
         * @param maxConnections at least 1; default 4,096
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = Checks.positive(maxConnections, "maxConnections");
            return this;
        }

        /**
         * Sets the TCP connect timeout.
         *
         * @param connectTimeout positive; default 5 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Sets Jetty's idle timeout of a connection; the clients' silence timeout should be shorter.
         *
         * @param idleTimeout positive; default 10 min
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Checks.positive(idleTimeout, "idleTimeout");
            return this;
        }

        /**
         * Sets the largest text frame accepted from a server.
         *
         * @param maxMessageBytes at least 1,024; default 16 MiB
         * @return this builder
         * @throws ConfigurationException if below 1,024
         */
        public Builder maxMessageBytes(long maxMessageBytes) {
            Checks.check(maxMessageBytes >= 1024, "maxMessageBytes must be at least 1024, but was " + maxMessageBytes);
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /**
         * Builds and starts the transport.
         *
         * @return a running transport
         * @throws ColdstartException if Jetty fails to start
         */
        public ClientTransport build() {
            return new ClientTransport(this);
        }
    }
}
