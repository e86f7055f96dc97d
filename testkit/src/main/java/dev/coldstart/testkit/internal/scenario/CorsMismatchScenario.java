package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.CorsPolicy;
import dev.coldstart.testkit.ApiIntegrationEnvironment;
import dev.coldstart.testkit.ApiIntegrationScenarios;
import dev.coldstart.testkit.ApiIntegrationService;
import dev.coldstart.testkit.Cs22Parameters;
import dev.coldstart.testkit.ScenarioContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * CS-22: a start with the HTTP API and the WebSocket endpoint allowing different origins fails
 * before READY, listing the origins each endpoint lacks; {@code *} with credentials fails too; with
 * the same origins both endpoints get one policy object, real preflight requests are answered as the
 * policy says, and real WebSocket upgrades are admitted only from the policy's origins.
 */
public final class CorsMismatchScenario {
    private CorsMismatchScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(ApiIntegrationScenarios scenarios, ScenarioContext ctx, Cs22Parameters p) throws Exception {
        List<String> allowed = p.allowedOrigins();
        assertThat(allowed).as("CS-22 needs at least two allowed origins").hasSizeGreaterThanOrEqualTo(2);
        Duration within = p.startTimeout().plusSeconds(10);

        // 1. Different origins per endpoint: start-up validation fails, listing what each one lacks.
        List<String> webSocketOrigins = List.of(allowed.get(0), p.webSocketOnlyOrigin());
        ApiIntegrationEnvironment mismatched = ApiScenarioSupport.env(ctx, "cs22-mismatch", p.startTimeout())
                .httpAllowedOrigins(allowed).webSocketAllowedOrigins(webSocketOrigins)
                .allowCredentials(p.allowCredentials()).build();
        ApiScenarioSupport.FailedStart mismatch = ApiScenarioSupport.startExpectingFailure(ctx, scenarios, mismatched, within);
        ctx.figure("mismatchError", ApiScenarioSupport.oneLine(mismatch.text(), 300));
        ctx.figure("mismatchDetectedMillis", mismatch.millis());
        assertThat(mismatch.everReady()).as("CS-22: mismatched origins never reach READY").isFalse();
        for (String origin : allowed.subList(1, allowed.size())) {
            assertThat(mismatch.text()).as("CS-22: the error lists %s, which only the HTTP API allows", origin).contains(origin);
        }
        assertThat(mismatch.text()).as("CS-22: the error lists %s, which only the WebSocket endpoint allows",
                p.webSocketOnlyOrigin()).contains(p.webSocketOnlyOrigin());

        // 2. Any origin with credentials: refused.
        ApiIntegrationEnvironment wildcard = ApiScenarioSupport.env(ctx, "cs22-wildcard", p.startTimeout())
                .httpAllowedOrigins(List.of("*")).webSocketAllowedOrigins(List.of("*")).allowCredentials(true).build();
        ApiScenarioSupport.FailedStart star = ApiScenarioSupport.startExpectingFailure(ctx, scenarios, wildcard, within);
        ctx.figure("wildcardWithCredentialsError", ApiScenarioSupport.oneLine(star.text(), 300));
        assertThat(star.everReady()).as("CS-22: * with credentials never reaches READY").isFalse();
        assertThat(star.text()).as("CS-22: the error names * and credentials").contains("*")
                .containsIgnoringCase("credentials");

        // 3. The same origins: one shared policy object, preflights and upgrades follow it.
        ApiIntegrationEnvironment shared = ApiScenarioSupport.env(ctx, "cs22-shared", p.startTimeout())
                .httpAllowedOrigins(allowed).webSocketAllowedOrigins(allowed).allowCredentials(p.allowCredentials()).build();
        ApiIntegrationService s = ApiScenarioSupport.service(ctx, scenarios, shared);
        ApiScenarioSupport.startReady(ctx, s, within);
        CorsPolicy http = ApiScenarioSupport.required(ctx, s.httpCorsPolicy(), "httpCorsPolicy()");
        CorsPolicy ws = ApiScenarioSupport.required(ctx, s.webSocketCorsPolicy(), "webSocketCorsPolicy()");
        assertThat(ws).as("CS-22: one shared CorsPolicy object serves both endpoints").isSameAs(http);
        assertThat(http.allowedOrigins()).containsExactlyInAnyOrderElementsOf(
                allowed.stream().map(CorsPolicy::normalizeOrigin).toList());

        String origin = allowed.get(allowed.size() - 1);
        HttpResponse<String> ok = preflight(s, origin, p.preflightMethod(), p.preflightHeader());
        ctx.figure("preflightStatus", ok.statusCode());
        ctx.figure("preflightAllowOrigin", ok.headers().firstValue("Access-Control-Allow-Origin").orElse("-"));
        ctx.figure("preflightMaxAge", ok.headers().firstValue("Access-Control-Max-Age").orElse("-"));
        assertThat(ok.statusCode()).as("CS-22: a preflight from an allowed origin succeeds").isBetween(200, 299);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).as("CS-22: Access-Control-Allow-Origin")
                .hasValue(CorsPolicy.normalizeOrigin(origin));
        assertThat(tokens(ok, "Access-Control-Allow-Methods")).as("CS-22: Access-Control-Allow-Methods follow the policy")
                .containsExactlyInAnyOrderElementsOf(lower(http.allowedMethods()));
        assertThat(tokens(ok, "Access-Control-Allow-Headers")).as("CS-22: Access-Control-Allow-Headers follow the policy")
                .containsAll(lower(http.allowedHeaders()))
                .contains(p.preflightHeader().toLowerCase(Locale.ROOT));
        if (http.allowCredentials()) {
            assertThat(ok.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        } else {
            assertThat(ok.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
        assertThat(ok.headers().firstValue("Access-Control-Max-Age")).as("CS-22: Access-Control-Max-Age is the policy's")
                .hasValue(Long.toString(http.maxAge().getSeconds()));
        assertThat(tokens(ok, "Vary")).as("CS-22: Vary: Origin").contains("origin");

        HttpResponse<String> refused = preflight(s, p.disallowedOrigin(), p.preflightMethod(), p.preflightHeader());
        ctx.figure("disallowedPreflightStatus", refused.statusCode());
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
                .as("CS-22: no Access-Control-Allow-Origin for an origin the policy does not allow").isEmpty();

        URI wsUri = ApiScenarioSupport.required(ctx, s.webSocketUri(), "webSocketUri()");
        WebSocket open = ApiScenarioSupport.HTTP.newWebSocketBuilder().header("Origin", origin)
                .connectTimeout(Duration.ofSeconds(5)).buildAsync(wsUri, new WebSocket.Listener() {
                }).get(10, TimeUnit.SECONDS);
        open.sendClose(WebSocket.NORMAL_CLOSURE, "cs22").get(5, TimeUnit.SECONDS);
        int refusedUpgrade = upgradeStatus(wsUri, p.disallowedOrigin());
        ctx.figure("webSocketAllowedOriginUpgraded", true);
        ctx.figure("webSocketDisallowedOriginStatus", refusedUpgrade);
        assertThat(refusedUpgrade).as("CS-22: the WebSocket upgrade refuses an origin the shared policy does not allow")
                .isNotEqualTo(101).isGreaterThanOrEqualTo(400);
    }

    private static HttpResponse<String> preflight(ApiIntegrationService s, String origin, String method, String header)
            throws Exception {
        return ApiScenarioSupport.HTTP.send(HttpRequest.newBuilder(s.baseUri().resolve(s.gatedPath()))
                .timeout(Duration.ofSeconds(10))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", header.toLowerCase(Locale.ROOT))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int upgradeStatus(URI wsUri, String origin) throws Exception {
        try {
            WebSocket w = ApiScenarioSupport.HTTP.newWebSocketBuilder().header("Origin", origin)
                    .connectTimeout(Duration.ofSeconds(5)).buildAsync(wsUri, new WebSocket.Listener() {
                    }).get(10, TimeUnit.SECONDS);
            w.abort();
            return 101;
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static List<String> tokens(HttpResponse<String> r, String header) {
        return r.headers().allValues(header).stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .map(v -> v.trim().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty())
                .toList();
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }
}
