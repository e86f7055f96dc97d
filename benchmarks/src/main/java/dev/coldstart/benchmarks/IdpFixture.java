package dev.coldstart.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.coldstart.auth.IdentityProvider;
import dev.coldstart.auth.IdentityProviderConfig;
import dev.coldstart.testkit.fault.FaultyHttpPeer;
import java.net.MalformedURLException;
import java.net.URL;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * A real identity provider for B4 (the testkit's WireMock-based HTTP peer on 127.0.0.1 serving a
 * Keycloak-style discovery document and JWKS), RS256 keys, tokens, and both verifiers: coldstart's
 * {@link IdentityProvider} and plain Nimbus {@link DefaultJWTProcessor} with the default JWK source
 * of {@link JWKSourceBuilder}, checking the same issuer, audience and expiry.
 */
public final class IdpFixture implements AutoCloseable {
    /** The audience tokens are issued for and both verifiers require. */
    public static final String AUDIENCE = "orders-api";
    private static final String REALM = "/realms/bench";

    private final FaultyHttpPeer peer;
    private final String issuer;
    private final String jwksPath = REALM + "/protocol/openid-connect/certs";

    /** Starts the provider; it publishes no key until {@link #publish(JWK...)}. */
    public IdpFixture() {
        this.peer = FaultyHttpPeer.start("b4-idp");
        this.issuer = peer.baseUri() + REALM;
        peer.stubJson(REALM + "/.well-known/openid-configuration", "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\""
                + peer.uri(jwksPath) + "\"}");
    }

    /**
     * Publishes exactly these keys (their public parts) at the JWKS URL.
     *
     * @param keys the keys
     */
    public void publish(JWK... keys) {
        peer.stubJson(jwksPath, new JWKSet(List.of(keys)).toPublicJWKSet().toString());
    }

    /**
     * The number of JWKS requests the provider has answered.
     *
     * @return the count
     */
    public long jwksRequests() {
        return peer.requestCount(jwksPath);
    }

    /**
     * A new RSA 2048 key.
     *
     * @param kid its key id
     * @return the key pair
     */
    public static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }

    /**
     * A token signed with the key, valid for an hour.
     *
     * @param key the signing key
     * @return the serialised JWT
     */
    public String token(RSAKey key) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject("alice").audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
    }

    /**
     * coldstart's provider with its key component started (discovery and JWKS read: the warm-up an
     * orchestrator runs before READY).
     *
     * @return the provider; the caller closes it
     * @throws Exception if the warm-up fails
     */
    public IdentityProvider startOurs() throws Exception {
        IdentityProvider idp = IdentityProvider.create(IdentityProviderConfig.builder("b4", issuer)
                .audiences(AUDIENCE).build());
        idp.component().start();
        return idp;
    }

    /**
     * Plain Nimbus: {@link DefaultJWTProcessor} with RS256, the default JWK source of
     * {@link JWKSourceBuilder} on the JWKS URL, and a claims verifier for the same issuer, audience
     * and expiry. Not warmed: the first token fetches the JWKS.
     *
     * @return the processor
     */
    public DefaultJWTProcessor<SecurityContext> nimbus() {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        try {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                    JWKSourceBuilder.create(new URL(peer.uri(jwksPath).toString())).build()));
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(AUDIENCE,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat")));
        return processor;
    }

    @Override
    public void close() {
        peer.close();
    }
}
