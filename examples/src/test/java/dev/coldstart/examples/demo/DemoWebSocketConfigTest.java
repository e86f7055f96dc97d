package dev.coldstart.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.websocket.WebSocketServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's WebSocket options, as the README lists them, and the server they build. */
class DemoWebSocketConfigTest {

    @Test
    void isOffUntilAPortIsSet() {
        assertThat(DemoConfig.parse().webSocket().enabled()).isFalse();
    }

    @Test
    void parsesPortAndHeartbeat() {
        DemoWebSocketConfig c = DemoConfig.parse("--ws-port", "0", "--ws-heartbeat", "5", "--http-port", "0").webSocket();

        assertThat(c.enabled()).isTrue();
        assertThat(c.port()).isZero();
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.tokenVerifier()).isNull();
    }

    @Test
    void rejectsAPortOutOfRange() {
        assertThatThrownBy(() -> DemoConfig.parse("--ws-port", "70000"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("port must be between 0 and 65535, but was 70000");
    }

    @Test
    void sharesTheWebSocketCorsOriginsAndRequiresNoTokenWithoutAVerifier() {
        DemoConfig config = DemoConfig.parse("--cors-origins", "https://app.example", "--ws-port", "0");
        DemoWebSocket ws = new DemoWebSocket(config.webSocket(), new DemoFrontEnd(config.frontEnd()).wsCors());

        WebSocketServer server = ws.server("127.0.0.1", 0, ws.messageLog(null, config.redisKeyPrefix()));

        assertThat(server.name()).isEqualTo(DemoWebSocket.NAME);
        assertThat(server.config().originPolicy().allowedOrigins()).containsExactly("https://app.example");
        assertThat(server.config().auth().required()).isFalse();
        assertThat(server.components()).extracting(c -> c.name()).contains(DemoWebSocket.LOG, DemoWebSocket.NAME);
    }

    @Test
    void usesTheDemoAuthVerifierWhenOidcIsConfigured() {
        DemoConfig config = DemoConfig.parse("--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/unused", "--http-port", "0",
                "--ws-port", "0", "--oidc-issuer", "https://sso.example.com/realms/shop", "--oidc-audience", "demo");

        try (DemoService demo = DemoService.create(config)) {
            assertThat(demo.webSocket().config().auth().required()).isTrue();
            assertThat(demo.webSocket().config().auth().verifier()).isSameAs(demo.auth().verifier());
        }
    }

    @Test
    void rejectsAHeartbeatNotShorterThanTheIdleTimeoutInFront() {
        DemoConfig config = DemoConfig.parse("--ws-port", "0", "--ws-heartbeat", "60");
        DemoWebSocket ws = new DemoWebSocket(config.webSocket(), new DemoFrontEnd(config.frontEnd()).wsCors());

        assertThatThrownBy(() -> ws.server("127.0.0.1", 0, ws.messageLog(null, config.redisKeyPrefix())))
                .isInstanceOf(ConfigurationException.class);
    }
}
