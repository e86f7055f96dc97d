package dev.coldstart.testkit.internal.scenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * A real HTTP identity provider for the auth scenarios: WireMock on 127.0.0.1 (ephemeral port)
 * serving a Keycloak-style realm (discovery, JWKS, client-credentials token endpoint issuing
 * ES256 JWTs signed on each request), keys generated per scenario, every request in WireMock's
 * journal so the scenarios count fetches at the provider. Thread-safe.
 */
public final class ScenarioIdp implements AutoCloseable {
    /** The client id the token endpoint accepts. */
    public static final String CLIENT_ID = "scenario-client";
    /** The client secret the token endpoint accepts. */
    public static final String CLIENT_SECRET = "scenario-secret";
    /** The audience of the tokens. */
    public static final String AUDIENCE = "coldstart-scenario-api";

    private final WireMockServer server;
    private final int port;
    private final TokenIssuer issuerExtension = new TokenIssuer();
    private final String issuer;
    private final String discoveryPath;
    private final String jwksPath;
    private final String tokenPath;

    /**
     * Starts the provider.
     *
     * @param realm the realm name, part of the issuer URL
     */
    public ScenarioIdp(String realm) {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(24)
                .extensions(issuerExtension));
        server.start();
        port = server.port();
        issuer = base() + "/realms/" + realm;
        discoveryPath = "/realms/" + realm + "/.well-known/openid-configuration";
        jwksPath = "/realms/" + realm + "/protocol/openid-connect/certs";
        tokenPath = "/realms/" + realm + "/protocol/openid-connect/token";
        warmUp();
    }

    /**
     * Pays WireMock's first-request cost (class loading, JIT: up to seconds on a loaded machine)
     * before a scenario measures anything with sub-second timeouts, then forgets the request, so the
     * provider's request counts start at zero.
     */
    private void warmUp() {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/coldstart-warm-up"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException("the scenario identity provider did not answer its warm-up request", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while warming up the scenario identity provider", e);
        }
        server.resetRequests();
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the issuer URL */
    public String issuer() {
        return issuer;
    }

    /** @return the token endpoint */
    public URI tokenEndpoint() {
        return URI.create(base() + tokenPath);
    }

    /** @return the JWKS URL */
    public URI jwksUri() {
        return URI.create(base() + jwksPath);
    }

    /** Serves a correct discovery document. */
    public void serveDiscovery() {
        serveDiscovery(issuer);
    }

    /**
     * Serves a discovery document naming an issuer.
     *
     * @param namedIssuer the issuer the document names
     */
    public void serveDiscovery(String namedIssuer) {
        serveDiscovery(okJson("{\"issuer\":\"" + namedIssuer + "\",\"jwks_uri\":\"" + base() + jwksPath
                + "\",\"token_endpoint\":\"" + base() + tokenPath + "\"}"));
    }

    /**
     * Serves any response at the discovery URL.
     *
     * @param response the response
     */
    public void serveDiscovery(ResponseDefinitionBuilder response) {
        server.stubFor(get(urlPathEqualTo(discoveryPath)).willReturn(response));
    }

    /**
     * Serves any response at the JWKS URL.
     *
     * @param response the response
     */
    public void serveJwks(ResponseDefinitionBuilder response) {
        server.stubFor(get(urlPathEqualTo(jwksPath)).willReturn(response));
    }

    /**
     * Publishes exactly these keys (public parts) at the JWKS URL.
     *
     * @param delay response delay; zero for none
     * @param keys the keys
     */
    public void publish(Duration delay, JWK... keys) {
        serveJwks(okJson(new JWKSet(List.of(keys)).toPublicJWKSet().toString()).withFixedDelay((int) delay.toMillis()));
    }

    /**
     * Serves JWKS responses in sequence: the first {@code failures} answer 503, then the keys.
     *
     * @param failures how many requests fail first
     * @param keys the keys served afterwards
     */
    public void publishAfterFailures(int failures, JWK... keys) {
        String state = com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
        for (int i = 0; i < failures; i++) {
            String next = "fail-" + i;
            server.stubFor(get(urlPathEqualTo(jwksPath)).inScenario("jwks").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(503).withBody("starting")).willSetStateTo(next));
            state = next;
        }
        server.stubFor(get(urlPathEqualTo(jwksPath)).inScenario("jwks").whenScenarioStateIs(state)
                .willReturn(okJson(new JWKSet(List.of(keys)).toPublicJWKSet().toString())));
    }

    /**
     * Serves the token endpoint: client-credentials requests get a fresh JWT signed with the key.
     *
     * @param key the signing key
     * @param lifetime the tokens' lifetime
     */
    public void serveTokens(ECKey key, Duration lifetime) {
        issuerExtension.configure(key, lifetime);
        server.stubFor(post(urlPathEqualTo(tokenPath)).willReturn(aResponse().withTransformers(TokenIssuer.NAME)));
    }

    /** Makes every request fail with a connection reset: the provider "is not started yet". */
    public void resetEverything() {
        server.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    /** Removes every stub. */
    public void clear() {
        server.resetMappings();
    }

    /**
     * A token signed with a key, for the audience, subject {@code scenario-user}.
     *
     * @param key the key
     * @param lifetime its lifetime
     * @return the compact JWT
     */
    public String sign(ECKey key, Duration lifetime) {
        return issuerExtension.sign(key, "scenario-user", lifetime);
    }

    /** @return JWKS requests in the journal */
    public long jwksRequests() {
        return server.countRequestsMatching(getRequestedFor(urlPathEqualTo(jwksPath)).build()).getCount();
    }

    /** @return token requests in the journal */
    public long tokenRequests() {
        return server.countRequestsMatching(postRequestedFor(urlPathEqualTo(tokenPath)).build()).getCount();
    }

    /** @return when the first JWKS request arrived, or null */
    public Instant firstJwksRequestAt() {
        List<LoggedRequest> all = server.findAll(getRequestedFor(urlPathEqualTo(jwksPath)));
        return all.stream().map(r -> r.getLoggedDate().toInstant()).min(Instant::compareTo).orElse(null);
    }

    /**
     * A fresh P-256 key.
     *
     * @param kid its key id
     * @return the key
     */
    public static ECKey newKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid + "-" + UUID.randomUUID().toString().substring(0, 8)).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Signs a fresh token for each token request. */
    private final class TokenIssuer implements ResponseDefinitionTransformerV2 {
        static final String NAME = "coldstart-token-issuer";
        private volatile ECKey key;
        private volatile Duration lifetime;

        void configure(ECKey key, Duration lifetime) {
            this.key = key;
            this.lifetime = lifetime;
        }

        String sign(ECKey signingKey, String subject, Duration life) {
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(AUDIENCE)
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(life))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).build(),
                    claims);
            try {
                jwt.sign(new ECDSASigner(signingKey));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return jwt.serialize();
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            String auth = serveEvent.getRequest().getHeader("Authorization");
            String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!expected.equals(auth)) {
                return aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_client\"}").build();
            }
            String token = sign(key, CLIENT_ID, lifetime);
            return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                            + lifetime.toSeconds() + "}").build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
