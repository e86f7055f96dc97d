package dev.coldstart.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** CS-17's own-keys criterion: a new key is published before anything is signed with it. */
class SigningKeysIT {

    private static String kidOf(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

    @Test
    void rotationPublishesTheNewKeyBeforeSigningWithItAndKeepsTheOldOneForTheRetention() throws Exception {
        MutableClock clock = new MutableClock();
        SigningKeys keys = SigningKeys.create(SigningKeysConfig.builder().publishLead(Duration.ofMinutes(10))
                .retention(Duration.ofHours(1)).clock(clock).build());
        String first = keys.activeKeyId();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("svc").build();
        assertThat(kidOf(keys.sign(claims))).isEqualTo(first);

        String second = keys.rotate();
        assertThat(keys.publishedKeyIds()).containsExactly(first, second);
        assertThat(kidOf(keys.sign(claims))).as("not signing with the new key yet").isEqualTo(first);
        assertThatThrownBy(keys::rotate).isInstanceOf(IllegalStateException.class).hasMessageContaining("in progress");

        clock.advance(Duration.ofMinutes(10));
        assertThat(kidOf(keys.sign(claims))).isEqualTo(second);
        assertThat(keys.publishedKeyIds()).containsExactly(first, second);

        clock.advance(Duration.ofMinutes(59));
        assertThat(keys.publishedKeyIds()).containsExactly(first, second);
        clock.advance(Duration.ofMinutes(1));
        assertThat(keys.publishedKeyIds()).containsExactly(second);
        assertThat(keys.jwksJson()).doesNotContain("\"d\"");
    }

    @Test
    void verifiersThatRefreshWithinTheLeadNeverMeetAnUnknownKid() throws Exception {
        MutableClock clock = new MutableClock();
        SigningKeys keys = SigningKeys.create(SigningKeysConfig.builder().algorithm("RS256")
                .publishLead(Duration.ofMinutes(10)).clock(clock).build());
        try (TestIdp idp = new TestIdp("own")) {
            idp.serveJwks(WireMock.okJson(keys.jwksJson()));
            IdentityProviderConfig config = idp.config("peer").clock(clock).build();
            try (IdentityProvider verifier = IdentityProvider.create(config)) {
                verifier.component().start();
                String kid = keys.rotate();
                idp.serveJwks(WireMock.okJson(keys.jwksJson()));
                verifier.refresh(); // the verifier's scheduled refresh, which runs more often than the lead
                long fetches = idp.jwksRequests();

                clock.advance(Duration.ofMinutes(10));
                JWTClaimsSet claims = idp.claims().expirationTime(Date.from(clock.instant().plusSeconds(60)))
                        .issueTime(Date.from(clock.instant())).build();
                String token = keys.sign(claims);
                assertThat(kidOf(token)).isEqualTo(kid);
                assertThat(verifier.verify(token).subject()).isEqualTo("alice");
                assertThat(idp.jwksRequests()).isEqualTo(fetches);
                assertThat(verifier.stats().unknownKeyRefreshes()).isZero();
            }
        }
    }
}
