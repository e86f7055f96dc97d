package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.coldstart.auth.IdentityProvider;
import dev.coldstart.auth.IdentityProviderConfig;
import dev.coldstart.auth.SigningKeys;
import dev.coldstart.core.TokenRejectedException;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.testkit.AuthEnvironment;
import dev.coldstart.testkit.AuthScenarios;
import dev.coldstart.testkit.AuthService;
import dev.coldstart.testkit.Cs17Parameters;
import dev.coldstart.testkit.ScenarioContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * CS-17: the provider rotates its key just after the service cached the JWKS. 1,000 concurrent
 * verifications of tokens with the new {@code kid} must cost one fetch (WireMock's journal); the
 * old key stays valid while published; a {@code kid} that stays unknown is refused without more
 * fetches; and the service's own keys are published before they sign.
 */
public final class KeyRotationScenario {
    private KeyRotationScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(AuthScenarios scenarios, ScenarioContext ctx, Cs17Parameters p) throws Exception {
        ScenarioIdp idp = AuthScenarioSupport.idp(ctx, "cs17");
        ECKey oldKey = ScenarioIdp.newKey("old");
        ECKey newKey = ScenarioIdp.newKey("new");
        ECKey neverPublished = ScenarioIdp.newKey("never");
        idp.serveDiscovery();
        idp.publish(Duration.ZERO, oldKey);
        AuthEnvironment env = AuthScenarioSupport.env(ctx, "cs17", AuthEnvironment.Role.SERVICE, idp, null,
                p.startTimeout(), Duration.ofSeconds(5), p.signingKeyPublishLead());
        AuthService s = AuthScenarioSupport.service(ctx, scenarios, env);
        s.orchestrator().startAsync().get(p.startTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        TokenVerifier verifier = s.verifier();
        long cached = idp.jwksRequests();
        assertThat(cached).as("CS-17: the JWKS was cached at start").isGreaterThanOrEqualTo(1);

        // The rotation, just after the cache was filled; the slow answer lets verifications pile up.
        idp.publish(p.rotationDelay(), oldKey, newKey);
        String newToken = idp.sign(newKey, Duration.ofMinutes(5));
        Parallel.Outcome rotated = Parallel.run(p.concurrentRequests(), Duration.ofSeconds(60), () -> verifier.verify(newToken));
        long rotationFetches = idp.jwksRequests() - cached;
        ctx.figure("concurrentRequests", p.concurrentRequests());
        ctx.figure("newKidAccepted", rotated.succeeded());
        ctx.figure("fetchesForNewKid", rotationFetches);
        assertThat(rotated.failures()).as("CS-17: tokens signed with the new key validate").isEmpty();
        assertThat(rotated.succeeded()).isEqualTo(p.concurrentRequests());
        assertThat(rotationFetches).as("CS-17: %d concurrent requests cause one fetch", p.concurrentRequests())
                .isEqualTo(1);

        String oldToken = idp.sign(oldKey, Duration.ofMinutes(5));
        assertThat(verifier.verify(oldToken).subject()).as("CS-17: old key valid while published")
                .isEqualTo("scenario-user");

        long beforeUnknown = idp.jwksRequests();
        String unknownToken = idp.sign(neverPublished, Duration.ofMinutes(5));
        Parallel.Outcome unknown = Parallel.run(p.concurrentRequests(), Duration.ofSeconds(60), () -> verifier.verify(unknownToken));
        long unknownFetches = idp.jwksRequests() - beforeUnknown;
        Parallel.Outcome again = Parallel.run(p.concurrentRequests(), Duration.ofSeconds(60), () -> verifier.verify(unknownToken));
        long cooldownFetches = idp.jwksRequests() - beforeUnknown - unknownFetches;
        ctx.figure("fetchesForUnknownKid", unknownFetches);
        ctx.figure("fetchesDuringCooldown", cooldownFetches);
        assertThat(unknown.succeeded()).as("CS-17: an unknown kid is refused").isZero();
        assertThat(unknown.failures()).allSatisfy(f -> assertThat(f).isInstanceOf(TokenRejectedException.class));
        assertThat(again.succeeded()).isZero();
        assertThat(unknownFetches).as("CS-17: at most one rate-limited refresh for an unknown kid").isLessThanOrEqualTo(1);
        assertThat(cooldownFetches).as("CS-17: no further fetch during the cool-down").isZero();

        ownKeysRotateWithOverlap(s, ctx, p);
    }

    private static void ownKeysRotateWithOverlap(AuthService s, ScenarioContext ctx, Cs17Parameters p) throws Exception {
        SigningKeys keys = s.signingKeys();
        assertThat(keys).as("CS-17 needs AuthService.signingKeys(): the service's own signing keys").isNotNull();
        ScenarioIdp peerView = AuthScenarioSupport.idp(ctx, "cs17-own");
        peerView.serveJwks(WireMock.okJson(keys.jwksJson()));
        // A peer verifier that fetches the service's JWKS once, right after the rotation published the new key.
        try (IdentityProvider peer = IdentityProvider.create(IdentityProviderConfig.builder("cs17-peer", "cs17-own")
                .jwksUri(peerView.jwksUri()).requireExpiry(false).build())) {
            String previous = keys.activeKeyId();
            String next = keys.rotate();
            assertThat(JWKSet.parse(keys.jwksJson()).getKeyByKeyId(next)).as("CS-17: the new key is published at once")
                    .isNotNull();
            assertThat(kid(keys.sign(claims()))).as("CS-17: nothing is signed with it yet").isEqualTo(previous);
            peerView.serveJwks(WireMock.okJson(keys.jwksJson()));
            peer.component().start();
            long peerFetches = peerView.jwksRequests();
            Instant rotatedAt = Instant.now();
            await().atMost(p.signingKeyPublishLead().plusSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> kid(keys.sign(claims())).equals(next));
            Duration lead = Duration.between(rotatedAt, Instant.now());
            String signedWithNew = keys.sign(claims());
            assertThat(peer.verify(signedWithNew).subject()).isEqualTo("cs17-service");
            assertThat(peerView.jwksRequests()).as("CS-17: the peer knew the new key before it signed").isEqualTo(peerFetches);
            assertThat(keys.publishedKeyIds()).as("CS-17: the old key stays published for its tokens").contains(previous, next);
            ctx.figure("ownKeyPublishedBeforeSigningMillis", lead.toMillis());
        }
    }

    private static JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder().issuer("cs17-own").subject("cs17-service")
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build();
    }

    private static String kid(String jwt) throws java.text.ParseException {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

}
