package dev.coldstart.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.coldstart.core.StartupOrchestrator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CS-20's mechanism: client-credentials tokens with retry, refresh ahead of expiry (single-flight), one retry on 401. */
class ClientCredentialsIT {
    private final TestIdp idp = new TestIdp("clients");
    private final MutableClock clock = new MutableClock();
    private ClientCredentialsTokens tokens;

    @AfterEach
    void close() {
        if (tokens != null) {
            tokens.close();
        }
        idp.close();
    }

    private static String tokenBody(String token, int expiresIn) {
        return "{\"access_token\":\"" + token + "\",\"expires_in\":" + expiresIn + ",\"token_type\":\"Bearer\"}";
    }

    /** The token endpoint fails {@code failures} times, then hands out token-1, token-2 ... in turn. */
    private void tokenEndpoint(int failures, int expiresIn, int tokensToHand) {
        String state = STARTED;
        for (int i = 0; i < failures; i++) {
            String next = "fail-" + i;
            idp.server.stubFor(post(urlPathEqualTo(idp.tokenPath)).inScenario("tokens").whenScenarioStateIs(state)
                    .willReturn(WireMock.aResponse().withStatus(503).withBody("{\"error\":\"temporarily_unavailable\"}"))
                    .willSetStateTo(next));
            state = next;
        }
        for (int i = 1; i <= tokensToHand; i++) {
            String next = "token-" + i;
            idp.server.stubFor(post(urlPathEqualTo(idp.tokenPath)).inScenario("tokens").whenScenarioStateIs(state)
                    .willReturn(okJson(tokenBody("token-" + i, expiresIn))).willSetStateTo(next));
            state = next;
        }
    }

    private ClientCredentialsConfig.Builder config() {
        return ClientCredentialsConfig.builder("orders-client", URI.create(idp.base() + idp.tokenPath), "orders",
                "s3cr3t value").backoff(Duration.ofMillis(20), Duration.ofMillis(100)).clock(clock);
    }

    @Test
    void obtainsItsTokenWithRetryAndSendsTheClientCredentials() {
        tokenEndpoint(3, 100, 1);
        tokens = ClientCredentialsTokens.create(config().scope("billing").build());

        AccessToken t = tokens.token();

        assertThat(t.value()).isEqualTo("token-1");
        assertThat(t.toString()).doesNotContain("token-1");
        assertThat(tokens.requests()).isEqualTo(4);
        idp.server.verify(4, postRequestedFor(urlPathEqualTo(idp.tokenPath))
                .withHeader("Authorization", equalTo("Basic b3JkZXJzOnMzY3IzdCt2YWx1ZQ=="))
                .withRequestBody(equalTo("grant_type=client_credentials&scope=billing")));
        assertThat(config().build().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void failsWithTheTypedErrorWhenNoTokenComesWithinTheFetchTimeout() {
        idp.serveToken(WireMock.aResponse().withStatus(401).withBody("{\"error\":\"invalid_client\"}"));
        tokens = ClientCredentialsTokens.create(config().fetchTimeout(Duration.ofSeconds(2)).build());
        assertThatThrownBy(tokens::token).isInstanceOf(ProviderStatusException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("OAuth error 'invalid_client'")
                .hasMessageNotContaining("s3cr3t");
        assertThat(tokens.requests()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void refreshesAheadOfExpiryWithASingleRequestWhileCallersKeepTheCurrentToken() throws Exception {
        tokenEndpoint(0, 100, 3);
        tokens = ClientCredentialsTokens.create(config().refreshAhead(Duration.ofSeconds(30)).build());
        AccessToken first = tokens.token();
        clock.advance(Duration.ofSeconds(69));
        assertThat(tokens.token()).isSameAs(first);
        assertThat(tokens.requests()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2)); // inside the 30 s refresh-ahead window, far from expiry
        var outcome = Concurrently.run(200, Duration.ofSeconds(30), () -> tokens.token().value());

        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.results()).hasSize(200).allSatisfy(v -> assertThat(v).isIn("token-1", "token-2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> tokens.token().value().equals("token-2"));
        assertThat(tokens.requests()).as("one background refresh for 200 concurrent callers").isEqualTo(2);
        assertThat(idp.tokenRequests()).isEqualTo(2);
    }

    @Test
    void expiredTokenMakesCallersWaitForOneFreshToken() throws Exception {
        tokenEndpoint(0, 100, 2);
        tokens = ClientCredentialsTokens.create(config().build());
        tokens.token();
        clock.advance(Duration.ofSeconds(100));
        var outcome = Concurrently.run(100, Duration.ofSeconds(30), () -> tokens.token().value());
        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.results()).hasSize(100).containsOnly("token-2");
        assertThat(idp.tokenRequests()).isEqualTo(2);
    }

    @Test
    void unauthorizedAnswerGetsExactlyOneRetryWithAFreshToken() throws Exception {
        tokenEndpoint(0, 100, 3);
        idp.server.stubFor(get(urlPathEqualTo("/billing")).withHeader("Authorization", equalTo("Bearer token-1"))
                .willReturn(WireMock.aResponse().withStatus(401)));
        idp.server.stubFor(get(urlPathEqualTo("/billing")).withHeader("Authorization", equalTo("Bearer token-2"))
                .willReturn(WireMock.aResponse().withStatus(200).withBody("paid")));
        tokens = ClientCredentialsTokens.create(config().build());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> r = tokens.send(http, HttpRequest.newBuilder(URI.create(idp.base() + "/billing")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("paid");
        idp.server.verify(2, getRequestedFor(urlPathEqualTo("/billing")));
        assertThat(idp.tokenRequests()).isEqualTo(2);

        idp.server.stubFor(get(urlPathEqualTo("/billing")).willReturn(WireMock.aResponse().withStatus(401)));
        HttpResponse<String> still = tokens.send(http, HttpRequest.newBuilder(URI.create(idp.base() + "/billing")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(still.statusCode()).as("one retry only, then the 401 is the caller's").isEqualTo(401);
        idp.server.verify(4, getRequestedFor(urlPathEqualTo("/billing")));
        int status = tokens.<Integer>call(token -> token.equals("token-2") ? 401 : 200, s -> s == 401);
        assertThat(status).as("token-2 refused: dropped, token-3 fetched, call repeated once").isEqualTo(200);
    }

    @Test
    void componentMakesTheFirstTokenAStartupDependencyRetriedByTheOrchestrator() {
        tokenEndpoint(3, 100, 1);
        tokens = ClientCredentialsTokens.create(config().build());
        try (StartupOrchestrator o = Orchestration.of(Duration.ofSeconds(10), List.of(tokens.component()))) {
            o.start();
            assertThat(o.report().component("orders-client").attempts()).isEqualTo(4);
            assertThat(tokens.token().value()).isEqualTo("token-1");
        }
    }
}
