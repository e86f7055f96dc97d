package dev.coldstart.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A real HTTP identity provider for tests: WireMock on 127.0.0.1 (ephemeral port) serving a
 * Keycloak-style discovery document and JWKS under {@code /realms/<realm>}, keys generated per test.
 */
final class TestIdp implements AutoCloseable {
    final WireMockServer server;
    final String realm;
    final String issuer;
    final String jwksPath;
    final String discoveryPath;
    final String tokenPath;
    private final List<JWK> published = new ArrayList<>();

    TestIdp(String realm) {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(20));
        server.start();
        this.realm = realm;
        this.issuer = base() + "/realms/" + realm;
        this.discoveryPath = "/realms/" + realm + "/.well-known/openid-configuration";
        this.jwksPath = "/realms/" + realm + "/protocol/openid-connect/certs";
        this.tokenPath = "/realms/" + realm + "/protocol/openid-connect/token";
        serveDiscovery(issuer);
        warmUp();
    }

    /**
     * Pays WireMock's first-request cost (class loading, JIT, coverage instrumentation: seconds on a
     * loaded machine) before a test measures anything with sub-second timeouts, then forgets the request.
     */
    private void warmUp() {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + discoveryPath))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException("test identity provider did not answer its warm-up request", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        server.resetRequests();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    void serveDiscovery(String namedIssuer) {
        server.stubFor(get(urlPathEqualTo(discoveryPath)).willReturn(okJson("{\"issuer\":\"" + namedIssuer
                + "\",\"jwks_uri\":\"" + base() + jwksPath + "\",\"token_endpoint\":\"" + base() + tokenPath + "\"}")));
    }

    void serveDiscovery(ResponseDefinitionBuilder response) {
        server.stubFor(get(urlPathEqualTo(discoveryPath)).willReturn(response));
    }

    void serveJwks(ResponseDefinitionBuilder response) {
        server.stubFor(get(urlPathEqualTo(jwksPath)).willReturn(response));
    }

    /** Publishes exactly these keys (public parts) at the JWKS URL. */
    synchronized void publish(JWK... keys) {
        published.clear();
        published.addAll(List.of(keys));
        serveJwks(okJson(new JWKSet(published).toPublicJWKSet().toString()));
    }

    /** Publishes exactly these keys with a response delay, so concurrent callers pile up on the fetch. */
    synchronized void publishSlowly(Duration delay, JWK... keys) {
        published.clear();
        published.addAll(List.of(keys));
        serveJwks(okJson(new JWKSet(published).toPublicJWKSet().toString()).withFixedDelay((int) delay.toMillis()));
    }

    long jwksRequests() {
        return server.countRequestsMatching(getRequestedFor(urlPathEqualTo(jwksPath)).build()).getCount();
    }

    long discoveryRequests() {
        return server.countRequestsMatching(getRequestedFor(urlPathEqualTo(discoveryPath)).build()).getCount();
    }

    long tokenRequests() {
        return server.countRequestsMatching(postRequestedFor(urlPathEqualTo(tokenPath)).build()).getCount();
    }

    void serveToken(ResponseDefinitionBuilder response) {
        server.stubFor(post(urlPathEqualTo(tokenPath)).willReturn(response));
    }

    IdentityProviderConfig.Builder config(String name) {
        return IdentityProviderConfig.builder(name, issuer)
                .connectTimeout(Duration.ofMillis(500))
                .requestTimeout(Duration.ofMillis(1500));
    }

    JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("alice").audience("orders-api")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    String sign(JWK key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt;
            if (key instanceof RSAKey rsa) {
                jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
                jwt.sign(new RSASSASigner(rsa));
            } else {
                jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
                jwt.sign(new ECDSASigner((ECKey) key));
            }
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String sign(JWK key) {
        return sign(key, claims().build());
    }

    static ECKey ecKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ResponseDefinitionBuilder status(int status) {
        return aResponse().withStatus(status).withBody("oops");
    }

    @Override
    public void close() {
        server.stop();
    }
}
