package dev.coldstart.examples.demo;

import dev.coldstart.core.TokenRejectedException;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.core.VerifiedToken;
import dev.coldstart.testkit.WebSocketEnvironment;
import dev.coldstart.testkit.WebSocketScenarios;
import dev.coldstart.testkit.WebSocketService;
import java.time.Duration;
import java.util.Map;

/**
 * The demo's WebSocket endpoint through the scenarios CS-11 to CS-15, built by the same code as the
 * demo's main: {@link DemoConfig} with {@code --ws-port}'s settings, the WebSocket CORS policy of
 * {@link DemoFrontEnd} shared through {@code OriginPolicy.from}, and {@link DemoWebSocket}'s server
 * on the scenario's port and log. Only the heartbeat is shorter than the demo's default (1 s
 * instead of 20 s, as {@code --ws-heartbeat 1} would set it) so that CS-14 runs in seconds. The
 * demo's own verifier needs an OIDC issuer ({@code --oidc-issuer}, see {@link DemoAuth}); this test
 * sets one that accepts a fixed token instead, through the same {@link DemoWebSocketConfig} hook that
 * {@link DemoService} fills with {@link DemoAuth#verifier()}.
 */
class DemoWebSocketScenariosIT implements WebSocketScenarios {
    private static final String TOKEN = "demo-ws-test-token";
    private static final TokenVerifier VERIFIER = token -> {
        if (TOKEN.equals(token)) {
            return new VerifiedToken("demo-user", null, Map.of());
        }
        throw new TokenRejectedException("unknown token");
    };

    @Override
    public WebSocketService webSocketService(WebSocketEnvironment env) {
        DemoConfig config = DemoConfig.builder()
                .webSocket(DemoWebSocketConfig.builder().port(env.port())
                        .heartbeatInterval(Duration.ofSeconds(1)).tokenVerifier(VERIFIER).build())
                .build();
        DemoWebSocket ws = new DemoWebSocket(config.webSocket(), new DemoFrontEnd(config.frontEnd()).wsCors());
        return WebSocketService.builder(ws.server(env.host(), config.webSocket().port(),
                        env.messageLog(DemoWebSocket.LOG, config.webSocket().limits())))
                .validToken(() -> TOKEN).build();
    }
}
