package dev.coldstart.testkit;

import dev.coldstart.core.TokenRejectedException;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.core.VerifiedToken;
import dev.coldstart.websocket.BufferLimits;
import dev.coldstart.websocket.HeartbeatConfig;
import dev.coldstart.websocket.OriginPolicy;
import dev.coldstart.websocket.UpgradeAuth;
import dev.coldstart.websocket.WebSocketServer;
import dev.coldstart.websocket.WebSocketServerConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Our own proof: the websocket module's server, configured as a service would be, passes CS-11 to
 * CS-15 through the public testkit API. Admission keeps its defaults (200 upgrades/s, bursts of 50,
 * 32 handshakes in flight); the heartbeat is short (1 s, 3 missed pongs) so that CS-14 runs in
 * seconds; each session buffers up to 12,000 messages, more than CS-15's 10,000 broadcasts.
 */
class ReferenceWebSocketScenariosIT implements WebSocketScenarios {
    private static final String ORIGIN = "https://app.example.test";
    private static final String TOKEN = "reference-token";
    private static final TokenVerifier VERIFIER = token -> {
        if (TOKEN.equals(token)) {
            return new VerifiedToken("reference-user", null, Map.of());
        }
        throw new TokenRejectedException("unknown token");
    };
    private static final BufferLimits LIMITS = BufferLimits.builder().maxMessagesPerSession(12_000)
            .maxBytesPerSession(4L * 1024 * 1024).sessionTtl(Duration.ofMinutes(5)).build();

    @Override
    public WebSocketService webSocketService(WebSocketEnvironment env) {
        WebSocketServer server = WebSocketServer.of(WebSocketServerConfig.builder()
                .name("reference-ws")
                .host(env.host())
                .port(env.port())
                .originPolicy(OriginPolicy.builder().allowOrigin(ORIGIN).allowCredentials(true).build())
                .auth(UpgradeAuth.bearer(VERIFIER).cookie("session").queryParameter("access_token").build())
                .heartbeat(HeartbeatConfig.builder().interval(Duration.ofSeconds(1)).missedPongsBeforeClose(3)
                        .idleTimeoutInFront(Duration.ofSeconds(60)).build())
                .messageLog(env.messageLog("reference-ws-log", LIMITS))
                .build());
        return WebSocketService.builder(server).validToken(() -> TOKEN).build();
    }
}
