package dev.coldstart.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import dev.coldstart.auth.metrics.IdentityProviderMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CS-17's mechanism: unknown kid, single-flight and rate-limited refresh, cool-down, withdrawn keys. */
class KeyRotationIT {
    private final TestIdp idp = new TestIdp("rotation");
    private final List<IdentityProvider> providers = new ArrayList<>();

    @AfterEach
    void close() {
        providers.forEach(IdentityProvider::close);
        idp.close();
    }

    private IdentityProvider started(IdentityProviderConfig.Builder config) throws Exception {
        IdentityProvider p = IdentityProvider.create(config.build());
        providers.add(p);
        p.component().start();
        return p;
    }

    @Test
    void oneThousandConcurrentVerificationsWithANewKidCauseExactlyOneFetch() throws Exception {
        ECKey k1 = TestIdp.ecKey("k1");
        idp.publish(k1);
        IdentityProvider p = started(idp.config("idp"));
        assertThat(idp.jwksRequests()).isEqualTo(1);

        ECKey k2 = TestIdp.ecKey("k2");
        idp.publishSlowly(Duration.ofMillis(200), k1, k2); // rotation just after the cache was filled
        String newToken = idp.sign(k2);
        var outcome = Concurrently.run(1000, Duration.ofSeconds(30), () -> p.verify(newToken).subject());

        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.results()).hasSize(1000).containsOnly("alice");
        assertThat(idp.jwksRequests()).as("JWKS requests in WireMock's journal").isEqualTo(2);
        assertThat(p.stats().unknownKeyRefreshes()).isEqualTo(1);
        // the old key is still published, so its tokens stay valid
        assertThat(p.verify(idp.sign(k1)).subject()).isEqualTo("alice");
        assertThat(idp.jwksRequests()).isEqualTo(2);
    }

    @Test
    void newKidAndStillUnknownKidTogetherCauseOneFetchAndTheUnknownOneIsRefusedWithoutFetchingAfterwards()
            throws Exception {
        ECKey k1 = TestIdp.ecKey("k1");
        ECKey k2 = TestIdp.ecKey("k2");
        ECKey forged = TestIdp.ecKey("never-published");
        idp.publish(k1);
        IdentityProvider p = started(idp.config("idp"));
        idp.publishSlowly(Duration.ofMillis(100), k1, k2);
        String good = idp.sign(k2);
        String unknown = idp.sign(forged);
        AtomicInteger n = new AtomicInteger();

        var outcome = Concurrently.run(1000, Duration.ofSeconds(30),
                () -> p.verify(n.incrementAndGet() % 2 == 0 ? good : unknown).subject());

        assertThat(idp.jwksRequests()).isEqualTo(2);
        assertThat(outcome.results()).hasSize(500);
        assertThat(outcome.failures()).hasSize(500).allSatisfy(f -> assertThat(f)
                .isInstanceOf(JwtRejectedException.class)
                .extracting(e -> ((JwtRejectedException) e).reason()).isEqualTo(JwtRejectedException.Reason.UNKNOWN_KEY));

        var again = Concurrently.run(200, Duration.ofSeconds(30), () -> p.verify(unknown));
        assertThat(again.failures()).hasSize(200);
        assertThat(idp.jwksRequests()).as("no fetch during the cool-down").isEqualTo(2);
    }

    @Test
    void unknownKidIsRefusedWithoutFetchingUntilItsCooldownEnds() throws Exception {
        MutableClock clock = new MutableClock();
        idp.publish(TestIdp.ecKey("k1"));
        IdentityProvider p = started(idp.config("idp").clock(clock)
                .unknownKeyRefreshInterval(Duration.ZERO).unknownKeyCooldown(Duration.ofSeconds(60)));
        String unknown = idp.sign(TestIdp.ecKey("k9"));

        assertThatThrownBy(() -> p.verify(unknown)).isInstanceOf(JwtRejectedException.class)
                .hasMessageContaining("UNKNOWN_KEY").hasMessageContaining("'k9'");
        assertThat(idp.jwksRequests()).isEqualTo(2);
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(() -> p.verify(unknown)).isInstanceOf(JwtRejectedException.class);
        }
        clock.advance(Duration.ofSeconds(59));
        assertThatThrownBy(() -> p.verify(unknown)).isInstanceOf(JwtRejectedException.class);
        assertThat(idp.jwksRequests()).isEqualTo(2);
        assertThat(p.stats().unknownKeyRejections()).isEqualTo(51);

        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> p.verify(unknown)).isInstanceOf(JwtRejectedException.class);
        assertThat(idp.jwksRequests()).as("one fetch once the cool-down is over").isEqualTo(3);

        // The same figures through Micrometer, counted by the provider and read at scrape time.
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IdentityProviderMetrics.bind(p, registry, Tags.of("service", "it"));
        assertThat(registry.get("coldstart.auth.jwks.fetches").tags("provider", "idp", "outcome", "all", "service", "it")
                .functionCounter().count()).isEqualTo(p.stats().fetches()).isPositive();
        assertThat(registry.get("coldstart.auth.jwks.fetches").tags("outcome", "failure").functionCounter().count()).isZero();
        assertThat(registry.get("coldstart.auth.unknown.kid").tags("outcome", "rejected").functionCounter().count())
                .isEqualTo(p.stats().unknownKeyRejections());
        assertThat(registry.get("coldstart.auth.unknown.kid").tags("outcome", "refresh").functionCounter().count())
                .isEqualTo(p.stats().unknownKeyRefreshes());
    }

    @Test
    void refreshesForDifferentUnknownKidsAreRateLimited() throws Exception {
        MutableClock clock = new MutableClock();
        ECKey k1 = TestIdp.ecKey("k1");
        idp.publish(k1);
        IdentityProvider p = started(idp.config("idp").clock(clock)
                .unknownKeyRefreshInterval(Duration.ofSeconds(10)));
        for (int i = 0; i < 100; i++) {
            String t = idp.sign(TestIdp.ecKey("invented-" + i));
            assertThatThrownBy(() -> p.verify(t)).isInstanceOf(JwtRejectedException.class);
        }
        assertThat(idp.jwksRequests()).as("100 invented kids within 10 s: one refresh").isEqualTo(2);

        ECKey k2 = TestIdp.ecKey("k2");
        idp.publish(k1, k2);
        clock.advance(Duration.ofSeconds(10));
        assertThat(p.verify(idp.sign(k2)).subject()).isEqualTo("alice");
        assertThat(idp.jwksRequests()).isEqualTo(3);
    }

    @Test
    void keyStaysValidWhilePublishedAndIsRefusedOnceWithdrawn() throws Exception {
        ECKey k1 = TestIdp.ecKey("k1");
        ECKey k2 = TestIdp.ecKey("k2");
        idp.publish(k1, k2);
        IdentityProvider p = started(idp.config("idp"));
        String old = idp.sign(k1);
        assertThat(p.verify(old).subject()).isEqualTo("alice");

        idp.publish(k2);
        p.refresh();

        assertThatThrownBy(() -> p.verify(old)).isInstanceOf(JwtRejectedException.class)
                .extracting(e -> ((JwtRejectedException) e).reason()).isEqualTo(JwtRejectedException.Reason.UNKNOWN_KEY);
        assertThat(p.verify(idp.sign(k2)).subject()).isEqualTo("alice");
        assertThat(p.health().keyIds()).containsExactly("k2");
    }
}
