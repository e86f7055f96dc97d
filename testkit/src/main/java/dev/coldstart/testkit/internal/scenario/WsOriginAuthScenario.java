package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.testkit.Cs13Parameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.WebSocketScenarios;
import dev.coldstart.testkit.WebSocketService;
import dev.coldstart.websocket.ClientTransport;
import dev.coldstart.websocket.OriginPolicy;
import dev.coldstart.websocket.ReconnectingClient;
import dev.coldstart.websocket.UpgradeAuth;
import dev.coldstart.websocket.WebSocketServer;
import dev.coldstart.websocket.WebSocketServerConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CS-13: raw upgrade requests (a socket, so that any header can be sent and the status read as
 * is) from a foreign origin with and without a valid token, a cross-site hijack carrying the
 * victim's token in a cookie, missing and invalid tokens from the allowed origin; the server's
 * counter of token verifications proves that origin rejections did no auth work. Then library
 * clients: the legitimate one connects, the one with an invalid token gives up after one attempt.
 * Finally the configuration rules: a wildcard origin with credentials fails to build.
 */
public final class WsOriginAuthScenario {
    private WsOriginAuthScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(WebSocketScenarios scenarios, ScenarioContext ctx, Cs13Parameters p) throws Exception {
        WebSocketService service = WsSupport.service(scenarios, WsSupport.env(ctx));
        WebSocketServerConfig config = service.server().config();
        assertThat(config.auth().required()).as("CS-13 needs a server that requires a token (UpgradeAuth.bearer(...))").isTrue();
        assertThat(service.allowedOrigin()).as("CS-13 needs the origin of a legitimate browser page (WebSocketService.allowedOrigin)")
                .isNotNull();
        assertThat(config.originPolicy().allows(p.foreignOrigin())).as("CS-13: the foreign origin %s must not be allowed", p.foreignOrigin())
                .isFalse();
        WsSupport.Running running = WsSupport.start(ctx, service);
        WebSocketServer server = running.server();
        URI uri = running.uri();
        String valid = service.validToken().get();
        String cookie = config.auth().cookieName() != null ? config.auth().cookieName() : p.hijackCookieName();

        long verificationsBefore = server.stats().tokenVerifications();
        int foreignWithToken = WsRawSocket.status(uri, headers("Origin", p.foreignOrigin(), "Authorization", "Bearer " + valid));
        int foreignWithout = WsRawSocket.status(uri, headers("Origin", p.foreignOrigin()));
        int hijack = WsRawSocket.status(uri, headers("Origin", p.foreignOrigin(), "Cookie", cookie + "=" + valid));
        long verificationsByOriginRejections = server.stats().tokenVerifications() - verificationsBefore;

        int missing = WsRawSocket.status(uri, headers("Origin", service.allowedOrigin()));
        int invalid = WsRawSocket.status(uri, headers("Origin", service.allowedOrigin(), "Authorization", "Bearer " + p.invalidToken()));
        Integer invalidInQuery = null;
        if (config.auth().queryParameter() != null) {
            URI q = URI.create(uri + "?" + config.auth().queryParameter() + "="
                    + URLEncoder.encode(p.invalidToken(), StandardCharsets.UTF_8));
            invalidInQuery = WsRawSocket.status(q, headers("Origin", service.allowedOrigin()));
        }
        Integer invalidInCookie = null;
        if (config.auth().cookieName() != null) {
            invalidInCookie = WsRawSocket.status(uri, headers("Origin", service.allowedOrigin(), "Cookie", cookie + "=" + p.invalidToken()));
        }

        ClientTransport transport = WsSupport.transport(ctx, "cs13-clients", 4);
        WsRecorder legit = new WsRecorder("x");
        ReconnectingClient good = ctx.closeAfter(WsSupport.client(transport, service, uri).listener(legit).build());
        ReconnectingClient forged = ctx.closeAfter(ReconnectingClient.builder(transport, uri).origin(service.allowedOrigin())
                .bearerToken(p::invalidToken).build());
        good.start();
        forged.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> good.isConnected() && forged.hasGivenUp());

        ctx.figure("foreignOriginWithValidToken", foreignWithToken);
        ctx.figure("foreignOriginWithoutToken", foreignWithout);
        ctx.figure("crossSiteHijackWithCookie", hijack);
        ctx.figure("tokenVerificationsForOriginRejections", verificationsByOriginRejections);
        ctx.figure("allowedOriginMissingToken", missing);
        ctx.figure("allowedOriginInvalidToken", invalid);
        ctx.figure("forgedClientAttempts", forged.stats().attempts());
        assertThat(foreignWithToken).as("CS-13: a disallowed origin gets 403, even with a valid token").isEqualTo(403);
        assertThat(foreignWithout).as("CS-13: a disallowed origin gets 403").isEqualTo(403);
        assertThat(hijack).as("CS-13: a cross-site hijack with cookie credentials from a foreign origin is refused").isEqualTo(403);
        assertThat(verificationsByOriginRejections).as("CS-13: 403 before any auth work (token verifications)").isZero();
        assertThat(missing).as("CS-13: a missing token gets 401").isEqualTo(401);
        assertThat(invalid).as("CS-13: an invalid token gets 401").isEqualTo(401);
        if (invalidInQuery != null) {
            assertThat(invalidInQuery).as("CS-13: an invalid token in the query gets 401").isEqualTo(401);
        }
        if (invalidInCookie != null) {
            assertThat(invalidInCookie).as("CS-13: an invalid token in the cookie gets 401").isEqualTo(401);
        }
        assertThat(good.isConnected()).as("CS-13: the allowed origin with a valid token connects").isTrue();
        assertThat(legit.welcomes).isNotEmpty();
        assertThat(forged.stats().rejectedOther()).as("CS-13: the library client with an invalid token got 401 ...").isEqualTo(1);
        assertThat(forged.stats().attempts()).as("CS-13: ... and did not retry").isEqualTo(1);

        assertThatThrownBy(() -> OriginPolicy.builder().allowAnyOrigin().allowCredentials(true).build())
                .as("CS-13: a wildcard origin with credentials is rejected as a configuration error")
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("allowCredentials");
        assertThatThrownBy(() -> config.toBuilder().originPolicy(OriginPolicy.builder().allowAnyOrigin().build())
                .auth(UpgradeAuth.bearer(config.auth().verifier()).cookie(cookie).build()).build())
                .as("CS-13: a wildcard origin with cookie credentials fails at startup")
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("wildcard origin");
        ctx.figure("wildcardWithCredentials", "ConfigurationException at build");
    }

    private static Map<String, String> headers(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
