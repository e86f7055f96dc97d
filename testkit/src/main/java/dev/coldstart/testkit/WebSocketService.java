package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import dev.coldstart.websocket.WebSocketServer;
import java.util.function.Supplier;

/**
 * What you hand a WebSocket scenario: your server, not started (the scenario starts its
 * {@linkplain WebSocketServer#components() components} with a real orchestrator and stops them),
 * and how a legitimate browser client of it connects: the origin it sends and a valid token.
 * Immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * WebSocketService.builder(server).allowedOrigin("https://app.example.com").validToken(() -> issueTestToken()).build();
 * }</pre>
 */
public final class WebSocketService {
    private final WebSocketServer server;
    private final String allowedOrigin;
    private final Supplier<String> validToken;

    private WebSocketService(Builder b) {
        this.server = b.server;
        this.allowedOrigin = b.allowedOrigin;
        this.validToken = b.validToken;
    }

    /**
     * Starts a builder. The allowed origin defaults to the first origin of the server's origin
     * policy (none when it lists none), the token to none.
     *
     * @param server your server, built from the scenario's {@link WebSocketEnvironment}
     * @return a new builder
     */
    public static Builder builder(WebSocketServer server) {
        return new Builder(server);
    }

    /**
     * Your server.
     *
     * @return the server
     */
    public WebSocketServer server() {
        return server;
    }

    /**
     * The {@code Origin} a legitimate client sends.
     *
     * @return the origin, or null when clients send none
     */
    public String allowedOrigin() {
        return allowedOrigin;
    }

    /**
     * A valid token for the server's verifier.
     *
     * @return the supplier, or null when the server requires none
     */
    public Supplier<String> validToken() {
        return validToken;
    }

    /** Builder for {@link WebSocketService}; not thread-safe. */
    public static final class Builder {
        private final WebSocketServer server;
        private String allowedOrigin;
        private Supplier<String> validToken;

        private Builder(WebSocketServer server) {
            this.server = Checks.notNull(server, "server");
            this.allowedOrigin = server.config().originPolicy().allowedOrigins().stream().findFirst().orElse(null);
        }

        /**
         * Sets the origin a legitimate client sends.
         *
         * @param origin an origin the server allows, or null to send none
         * @return this builder
         */
        public Builder allowedOrigin(String origin) {
            this.allowedOrigin = origin;
            return this;
        }

        /**
         * Sets how to obtain a valid token.
         *
         * @param validToken the supplier; not null
         * @return this builder
         */
        public Builder validToken(Supplier<String> validToken) {
            this.validToken = Checks.notNull(validToken, "validToken");
            return this;
        }

        /**
         * Builds the value.
         *
         * @return the value
         */
        public WebSocketService build() {
            return new WebSocketService(this);
        }
    }
}
