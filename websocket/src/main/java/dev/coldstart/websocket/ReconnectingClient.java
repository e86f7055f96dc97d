package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.websocket.internal.ClientConnection;
import java.net.HttpCookie;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The client side of the protocol in {@code docs/websocket.md}, on Jetty's WebSocket client: it
 * connects, says hello (resuming its session after the last sequence number it has), delivers each
 * message exactly once and in order, reports gap markers, detects a silent server, and reconnects
 * under a {@link ReconnectPolicy} that honours {@code Retry-After}.
 *
 * <p>A server that sends nothing (no message, no ping) for {@link Builder#silenceTimeout(Duration)}
 * is presumed gone, for example behind a half-open TCP connection: the client drops the connection
 * and reconnects. At half that time it sends a ping of its own, so a healthy but quiet server
 * answers with a pong. The timeout should exceed the server's heartbeat interval; twice the interval
 * plus a margin is a good choice.
 *
 * <p>Thread-safe. Many clients share one {@link ClientTransport}.
 *
 * <pre>{@code
 * ReconnectingClient client = ReconnectingClient.builder(transport, URI.create("wss://example.com/ws"))
 *         .origin("https://app.example.com")
 *         .bearerToken(tokens::current)
 *         .listener(new ClientListener() {
 *             public void onMessage(long seq, String payload) { render(payload); }
 *             public void onGap(long from, long to) { reloadState(); }
 *         })
 *         .build();
 * client.start();
 * }</pre>
 */
public final class ReconnectingClient implements AutoCloseable {
    /** Default silence timeout: 45 s, a little more than twice the default heartbeat interval. */
    public static final Duration DEFAULT_SILENCE_TIMEOUT = Duration.ofSeconds(45);

    private final ClientConnection connection;

    private ReconnectingClient(Builder b) {
        this.connection = new ClientConnection(b.transport.runtime(), b.name, b.uri, b.headers, b.cookies, b.bearerToken,
                b.policy, b.silenceTimeout, b.listener);
    }

    /**
     * Starts a builder.
     *
     * @param transport the shared transport; not null
     * @param uri the server's endpoint, {@code ws://} or {@code wss://}
     * @return a new builder
     * @throws ConfigurationException if an argument is null or the scheme is not ws or wss
     */
    public static Builder builder(ClientTransport transport, URI uri) {
        return new Builder(transport, uri);
    }

    /** Starts connecting in the background; after {@link #stop()} it resumes the same session. */
    public void start() {
        connection.start();
    }

    /** Closes the connection normally and stops reconnecting; keeps the session for a later start. */
    public void stop() {
        connection.stop();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Drops the connection without a close handshake, as a network failure would; it then reconnects. */
    public void dropConnection() {
        connection.dropConnection();
    }

    /**
     * Stops reading frames, for an application that cannot keep up; the server's sends back up and
     * it buffers (and, beyond its limits, drops with a gap marker). Silence detection is suspended.
     */
    public void pauseReading() {
        connection.pauseReading();
    }

    /** Reads frames again after {@link #pauseReading()}. */
    public void resumeReading() {
        connection.resumeReading();
    }

    /**
     * Sends an application message to the server; not sequenced, not retried.
     *
     * @param payload the text; not null
     * @return false when not connected, in which case nothing was sent
     */
    public boolean send(String payload) {
        return connection.send(Checks.requireArgument(payload, "payload"));
    }

    /**
     * Whether the server has welcomed the current connection.
     *
     * @return true when messages flow
     */
    public boolean isConnected() {
        return connection.state() == ClientConnection.State.CONNECTED;
    }

    /**
     * Whether the client stopped trying after a permanent rejection or its attempt limit.
     *
     * @return true when it gave up
     */
    public boolean hasGivenUp() {
        return connection.state() == ClientConnection.State.GAVE_UP;
    }

    /**
     * The current session's id.
     *
     * @return the id, or null before the first welcome
     */
    public String sessionId() {
        return connection.sessionId();
    }

    /**
     * The sequence number of the last message delivered (or skipped by a gap marker): the resume point.
     *
     * @return zero or more
     */
    public long lastSeq() {
        return connection.lastSeq();
    }

    /**
     * A snapshot of the counters.
     *
     * @return the snapshot
     */
    public ClientStats stats() {
        return connection.stats();
    }

    @Override
    public String toString() {
        return connection.toString();
    }

    /** Builder for {@link ReconnectingClient}; not thread-safe. */
    public static final class Builder {
        private final ClientTransport transport;
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<HttpCookie> cookies = new ArrayList<>();
        private String name;
        private Supplier<String> bearerToken;
        private ReconnectPolicy policy = ReconnectPolicy.ofDefaults();
        private Duration silenceTimeout = DEFAULT_SILENCE_TIMEOUT;
        private ClientListener listener = new ClientListener() { };

        private Builder(ClientTransport transport, URI uri) {
            this.transport = Checks.notNull(transport, "transport");
            this.uri = Checks.notNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            Checks.check(scheme.equals("ws") || scheme.equals("wss"), "uri must use ws or wss, but was " + uri);
            this.name = "ws-client " + uri;
        }

        /**
         * Sets the name used in logs.
         *
         * @param name not blank; default {@code "ws-client <uri>"}
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Sends an {@code Origin} header, as a browser page of that origin would.
         *
         * @param origin for example {@code https://app.example.com}; not blank
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder origin(String origin) {
            headers.put("Origin", Checks.notBlank(origin, "origin"));
            return this;
        }

        /**
         * Adds a header to every upgrade request.
         *
         * @param name the header's name; not blank
         * @param value its value; not null
         * @return this builder
         * @throws ConfigurationException if the name is blank or the value null
         */
        public Builder header(String name, String value) {
            headers.put(Checks.notBlank(name, "header"), Checks.notNull(value, "value"));
            return this;
        }

        /**
         * Sends a cookie with every upgrade request.
         *
         * @param name the cookie's name; not blank
         * @param value its value; not null
         * @return this builder
         * @throws ConfigurationException if the name is blank or the value null
         */
        public Builder cookie(String name, String value) {
            cookies.add(new HttpCookie(Checks.notBlank(name, "cookie"), Checks.notNull(value, "value")));
            return this;
        }

        /**
         * Sends {@code Authorization: Bearer <token>} with every upgrade, asking the supplier each time
         * so that a refreshed token is used after a reconnect.
         *
         * @param bearerToken the supplier; may return null to send none
         * @return this builder
         */
        public Builder bearerToken(Supplier<String> bearerToken) {
            this.bearerToken = Checks.notNull(bearerToken, "bearerToken");
            return this;
        }

        /**
         * Sets the reconnect policy.
         *
         * @param policy not null; default {@link ReconnectPolicy#ofDefaults()}
         * @return this builder
         */
        public Builder policy(ReconnectPolicy policy) {
            this.policy = Checks.notNull(policy, "policy");
            return this;
        }

        /**
         * Sets how long the server may stay silent before the connection is dropped.
         *
         * @param silenceTimeout at least 100 ms; default 45 s
         * @return this builder
         * @throws ConfigurationException if shorter than 100 ms
         */
        public Builder silenceTimeout(Duration silenceTimeout) {
            Checks.positive(silenceTimeout, "silenceTimeout");
            Checks.check(silenceTimeout.toMillis() >= 100, "silenceTimeout must be at least PT0.1S, but was " + silenceTimeout);
            this.silenceTimeout = silenceTimeout;
            return this;
        }

        /**
         * Sets the listener.
         *
         * @param listener not null; default a no-op
         * @return this builder
         */
        public Builder listener(ClientListener listener) {
            this.listener = Checks.notNull(listener, "listener");
            return this;
        }

        /**
         * Builds the client; call {@link ReconnectingClient#start()} to connect.
         *
         * @return a new client
         */
        public ReconnectingClient build() {
            return new ReconnectingClient(this);
        }
    }
}
