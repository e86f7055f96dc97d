package dev.coldstart.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.TokenRejectedException;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.core.VerifiedToken;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Origin, token and hijack checks at the upgrade, against a real server on 127.0.0.1. */
class UpgradeSecurityIT {
    private static final String APP = "https://app.example.com";
    private static final String EVIL = "https://evil.example";
    private static final AtomicInteger verifications = new AtomicInteger();
    private static final List<String> subjects = new CopyOnWriteArrayList<>();
    private static final TokenVerifier VERIFIER = token -> {
        verifications.incrementAndGet();
        return switch (token) {
            case "good-token" -> new VerifiedToken("alice", null, Map.of());
            case "bob-token" -> new VerifiedToken("bob", null, Map.of());
            case "verifier-down" -> throw new IllegalStateException("JWKS endpoint unreachable");
            default -> throw new TokenRejectedException("signature does not verify");
        };
    };
    private static RunningServer rs;
    private static ClientTransport transport;

    @BeforeAll
    static void start() {
        rs = RunningServer.start(RunningServer.localConfig()
                .originPolicy(OriginPolicy.builder().allowOrigin(APP).allowCredentials(true).build())
                .auth(UpgradeAuth.bearer(VERIFIER).cookie("sid").queryParameter("access_token").build())
                .listener(new SessionListener() {
                    @Override
                    public void onAttached(String sessionId, String subject, boolean resumed) {
                        subjects.add(subject);
                    }
                })
                .build());
        transport = ClientTransport.builder().name("security-it").build();
    }

    @AfterAll
    static void stop() {
        transport.close();
        rs.close();
    }

    @Test
    void answersAForeignOriginWith403BeforeAnyTokenVerification() throws Exception {
        int before = verifications.get();
        assertThat(RawWebSocket.status(rs.uri(), Map.of("Origin", EVIL, "Authorization", "Bearer good-token"))).isEqualTo(403);
        assertThat(RawWebSocket.status(rs.uri(), Map.of("Authorization", "Bearer good-token"))).isEqualTo(403);
        assertThat(verifications.get()).isEqualTo(before);
        assertThat(rs.server.stats().forbiddenOrigin()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void refusesACrossSiteHijackWithCookieCredentialsFromAForeignOrigin() throws Exception {
        int before = verifications.get();
        try (RawWebSocket ws = RawWebSocket.upgrade(rs.uri(), Map.of("Origin", EVIL, "Cookie", "sid=good-token"))) {
            assertThat(ws.status).isEqualTo(403);
        }
        assertThat(verifications.get()).isEqualTo(before);
        try (RawWebSocket ws = RawWebSocket.upgrade(rs.uri(), Map.of("Origin", APP, "Cookie", "sid=good-token"))) {
            assertThat(ws.status).isEqualTo(101);
        }
    }

    @Test
    void answersMissingAndRejectedTokensWith401() throws Exception {
        try (RawWebSocket ws = RawWebSocket.upgrade(rs.uri(), Map.of("Origin", APP))) {
            assertThat(ws.status).isEqualTo(401);
            assertThat(ws.headers).containsEntry("www-authenticate", "Bearer");
        }
        try (RawWebSocket ws = RawWebSocket.upgrade(rs.uri(), Map.of("Origin", APP, "Authorization", "Bearer forged"))) {
            assertThat(ws.status).isEqualTo(401);
            assertThat(ws.headers.get("www-authenticate")).contains("invalid_token");
        }
        assertThat(RawWebSocket.status(rs.uri().resolve("/ws?access_token=forged"), Map.of("Origin", APP))).isEqualTo(401);
        assertThat(RawWebSocket.status(rs.uri().resolve("/ws?access_token=good-token"), Map.of("Origin", APP))).isEqualTo(101);
    }

    @Test
    void resumingSomeoneElsesOrAMalformedSessionGetsAResyncNeverItsMessages() throws Exception {
        RecordingListener alice = new RecordingListener();
        ReconnectingClient aliceClient = ReconnectingClient.builder(transport, rs.uri()).origin(APP)
                .bearerToken(() -> "good-token").listener(alice).build();
        aliceClient.start();
        await().atMost(Duration.ofSeconds(10)).until(aliceClient::isConnected);
        rs.server.broadcaster().send(aliceClient.sessionId(), "for alice only");
        await().atMost(Duration.ofSeconds(5)).until(() -> alice.messages.get() == 1);
        for (String hello : List.of("{\"type\":\"hello\",\"session\":\"" + aliceClient.sessionId() + "\",\"seq\":0}",
                "{\"type\":\"hello\",\"session\":\"{x}:evil\",\"seq\":0}")) {
            try (RawWebSocket bob = RawWebSocket.upgrade(rs.uri(), Map.of("Origin", APP, "Authorization", "Bearer bob-token"))) {
                assertThat(bob.status).isEqualTo(101);
                bob.sendText(hello);
                String welcome = bob.read().text();
                assertThat(welcome).contains("\"mode\":\"resync\"").doesNotContain(aliceClient.sessionId());
            }
        }
        aliceClient.stop();
    }

    @Test
    void answers503WithRetryAfterWhenTheVerifierItselfFails() throws Exception {
        try (RawWebSocket ws = RawWebSocket.upgrade(rs.uri(), Map.of("Origin", APP, "Authorization", "Bearer verifier-down"))) {
            assertThat(ws.status).isEqualTo(503);
            assertThat(ws.headers).containsEntry("retry-after", "5");
        }
    }

    @Test
    void connectsOnlyAnAllowedOriginWithAValidTokenAndRecordsItsSubject() {
        RecordingListener ok = new RecordingListener();
        ReconnectingClient good = ReconnectingClient.builder(transport, rs.uri()).origin(APP)
                .bearerToken(() -> "good-token").listener(ok).build();
        RecordingListener refused = new RecordingListener();
        ReconnectingClient bad = ReconnectingClient.builder(transport, rs.uri()).origin(APP)
                .bearerToken(() -> "forged").listener(refused).build();
        good.start();
        bad.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> good.isConnected() && bad.hasGivenUp());
        assertThat(refused.gaveUp).hasValue(401);
        assertThat(bad.stats().attempts()).isEqualTo(1);
        assertThat(subjects).contains("alice");
        good.stop();
    }

    @Test
    void rejectsAWildcardOriginWithCredentialsAtStartup() {
        assertThatThrownBy(() -> RunningServer.localConfig()
                .originPolicy(OriginPolicy.builder().allowAnyOrigin().allowCredentials(true).build()))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> RunningServer.localConfig()
                .originPolicy(OriginPolicy.builder().allowAnyOrigin().build())
                .auth(UpgradeAuth.bearer(VERIFIER).cookie("sid").build()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("wildcard origin with cookie credentials");
    }

    @Test
    void sharesItsOriginListWithACorsPolicy() {
        OriginPolicy p = OriginPolicy.from(dev.coldstart.core.CorsPolicy.builder().allowedOrigins(APP).allowCredentials(true).build());
        assertThat(p.allows(APP)).isTrue();
        assertThat(p.allows(EVIL)).isFalse();
        assertThat(p.allowCredentials()).isTrue();
    }
}
