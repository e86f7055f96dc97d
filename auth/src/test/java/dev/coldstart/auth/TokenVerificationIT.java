package dev.coldstart.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.coldstart.auth.JwtRejectedException.Reason;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.core.VerifiedToken;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The security basics of token verification, against a real HTTP provider. */
class TokenVerificationIT {
    private static TestIdp idp;
    private static RSAKey rsa;
    private static ECKey ec;
    private static MutableClock clock;
    private static IdentityProvider provider;

    @BeforeAll
    static void start() throws Exception {
        idp = new TestIdp("security");
        rsa = TestIdp.rsaKey("rsa-1");
        ec = TestIdp.ecKey("ec-1");
        idp.publish(rsa, ec);
        clock = new MutableClock(Instant.now());
        provider = IdentityProvider.create(idp.config("idp").audiences("orders-api")
                .clockSkew(Duration.ofSeconds(30)).clock(clock).build());
        provider.component().start();
    }

    @AfterAll
    static void stop() {
        provider.close();
        idp.close();
    }

    private static void refused(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOf(JwtRejectedException.class)
                .satisfies(e -> assertThat(((JwtRejectedException) e).reason()).isEqualTo(reason))
                .hasMessageStartingWith("idp - token refused (" + reason + ")");
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(idp.issuer).subject("alice").audience("orders-api")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).claim("scope", "orders:read");
    }

    @Test
    void acceptsRsaAndEcTokensAndReturnsSubjectExpiryAndClaims() {
        VerifiedToken t = provider.verify(idp.sign(rsa, claims().build()));
        assertThat(t.subject()).isEqualTo("alice");
        assertThat(t.expiresAt()).isAfter(clock.instant());
        assertThat(t.claim("scope")).isEqualTo("orders:read");
        assertThat(provider.verify(idp.sign(ec, claims().build())).subject()).isEqualTo("alice");
    }

    @Test
    void refusesUnsignedAlgNoneToken() {
        refused(() -> provider.verify(new PlainJWT(claims().build()).serialize()), Reason.UNSIGNED);
    }

    @Test
    void refusesHmacTokenMadeWithThePublicRsaKeyAsSecret() throws Exception {
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
        confused.sign(new MACSigner(rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
        refused(() -> provider.verify(confused.serialize()), Reason.ALGORITHM_NOT_ALLOWED);
        SignedJWT confusedDer = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
        confusedDer.sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()));
        refused(() -> provider.verify(confusedDer.serialize()), Reason.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void refusesTokenWhoseAlgorithmDoesNotMatchItsKey() throws Exception {
        SignedJWT wrong = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1").build(), claims().build());
        wrong.sign(new com.nimbusds.jose.crypto.ECDSASigner(ec));
        refused(() -> provider.verify(wrong.serialize()), Reason.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void refusesTamperedSignatureAndMalformedTokens() {
        String good = idp.sign(rsa, claims().build());
        String[] parts = good.split("\\.");
        String other = idp.sign(rsa, claims().subject("mallory").build());
        String tampered = other.split("\\.")[0] + "." + other.split("\\.")[1] + "." + parts[2];
        refused(() -> provider.verify(tampered), Reason.BAD_SIGNATURE);
        refused(() -> provider.verify("not-a-jwt"), Reason.MALFORMED);
        refused(() -> provider.verify(""), Reason.MALFORMED);
        refused(() -> provider.verify("x".repeat(20_000)), Reason.MALFORMED);
    }

    @Test
    void checksExpiryWithTheConfiguredClockSkew() {
        Instant now = clock.instant();
        String expired40s = idp.sign(ec, claims().expirationTime(Date.from(now.minusSeconds(40))).build());
        String expired20s = idp.sign(ec, claims().expirationTime(Date.from(now.minusSeconds(20))).build());
        refused(() -> provider.verify(expired40s), Reason.EXPIRED);
        assertThat(provider.verify(expired20s).subject()).isEqualTo("alice");
        refused(() -> provider.verify(idp.sign(ec, claims().expirationTime(null).build())), Reason.EXPIRED);
    }

    @Test
    void checksNotBeforeAndIssuedAtWithTheConfiguredClockSkew() {
        Instant now = clock.instant();
        refused(() -> provider.verify(idp.sign(ec, claims().notBeforeTime(Date.from(now.plusSeconds(40))).build())),
                Reason.NOT_YET_VALID);
        assertThat(provider.verify(idp.sign(ec, claims().notBeforeTime(Date.from(now.plusSeconds(20))).build())))
                .isNotNull();
        refused(() -> provider.verify(idp.sign(ec, claims().issueTime(Date.from(now.plusSeconds(40))).build())),
                Reason.ISSUED_IN_FUTURE);
        assertThat(provider.verify(idp.sign(ec, claims().issueTime(Date.from(now.plusSeconds(20))).build())))
                .isNotNull();
    }

    @Test
    void checksIssuerAndAudience() {
        refused(() -> provider.verify(idp.sign(ec, claims().issuer("http://evil.example").build())), Reason.WRONG_ISSUER);
        refused(() -> provider.verify(idp.sign(ec, claims().audience("billing-api").build())), Reason.WRONG_AUDIENCE);
        refused(() -> provider.verify(idp.sign(ec, claims().audience((String) null).build())), Reason.WRONG_AUDIENCE);
    }

    @Test
    void routesTokensByIssuerToTheRightProvider() {
        TokenVerifier v = IdentityProvider.byIssuer(provider);
        assertThat(v.verify(idp.sign(ec, claims().build())).subject()).isEqualTo("alice");
        assertThatThrownBy(() -> v.verify(idp.sign(ec, claims().issuer("http://other").build())))
                .isInstanceOf(JwtRejectedException.class).hasMessageContaining("WRONG_ISSUER");
    }

    @Test
    void neverWritesTokensOrKeyMaterialToTheLog() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String good = idp.sign(rsa, claims().build());
        String expired = idp.sign(rsa, claims().expirationTime(Date.from(clock.instant().minusSeconds(600))).build());
        String unknownKid = idp.sign(TestIdp.ecKey("unknown-kid"), claims().build());
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            provider.verify(good);
            for (String t : new String[] {expired, unknownKid, new PlainJWT(claims().build()).serialize()}) {
                assertThatThrownBy(() -> provider.verify(t)).isInstanceOf(JwtRejectedException.class);
            }
            provider.refresh();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("debug logging was on").contains("token refused");
        for (String t : new String[] {good, expired, unknownKid}) {
            for (String part : t.split("\\.")) {
                assertThat(log).doesNotContain(part);
            }
        }
        assertThat(log).doesNotContain(rsa.getModulus().toString()).doesNotContain(ec.getX().toString())
                .doesNotContain(rsa.getPrivateExponent().toString());
    }
}
