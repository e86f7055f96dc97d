package dev.coldstart.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.ECKey;
import dev.coldstart.core.StartupOrchestrator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Last-known-good keys: a restart while the provider is down verifies with the saved key set, up to its maximum age. */
class LastKnownGoodIT {
    private static final URI REDIS = URI.create("redis://127.0.0.1:6379");

    @TempDir
    Path dir;

    /** Runs the provider once while the provider is up, so its key set is saved, then takes the provider down. */
    private static String fillStoreThenTakeProviderDown(TestIdp idp, KeySetStore store, ECKey key) throws Exception {
        idp.publish(key);
        try (IdentityProvider first = IdentityProvider.create(idp.config("idp").keySetStore(store).build())) {
            first.component().start();
        }
        String token = idp.sign(key);
        idp.close();
        return token;
    }

    private static void restartWhileDownVerifiesKnownKeysAndReportsDegraded(KeySetStore store, TestIdp idp,
            String token) throws Exception {
        try (IdentityProvider second = IdentityProvider.create(idp.config("idp").keySetStore(store).build());
                StartupOrchestrator o = Orchestration.of(Duration.ofSeconds(1), second.components())) {
            o.start();
            assertThat(o.isReady()).isTrue();
            assertThat(second.verify(token).subject()).isEqualTo("alice");
            ProviderHealth h = second.health();
            assertThat(h.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
            assertThat(h.keySource()).isEqualTo(ProviderHealth.KeySource.LAST_KNOWN_GOOD);
            assertThat(h.keyIds()).containsExactly("k1");
            assertThat(h.lastError()).startsWith("ProviderUnreachableException");
            await().atMost(Duration.ofSeconds(5)).until(() -> o.availability().degradedComponents().contains("idp-refresh"));
        }
    }

    @Test
    void restartWhileTheProviderIsDownVerifiesWithTheKeySetSavedOnDisk() throws Exception {
        TestIdp idp = new TestIdp("lkg");
        KeySetStore store = KeySetStore.file(dir);
        String token = fillStoreThenTakeProviderDown(idp, store, TestIdp.ecKey("k1"));
        assertThat(Files.readString(dir.resolve("idp.jwks.json"))).contains("\"fetchedAt\"").contains("\"k1\"")
                .doesNotContain("\"d\"");
        restartWhileDownVerifiesKnownKeysAndReportsDegraded(store, idp, token);
    }

    @Test
    void restartWhileTheProviderIsDownVerifiesWithTheKeySetSavedInRedis() throws Exception {
        String prefix = "cs:auth-lkg:" + UUID.randomUUID() + ":";
        RedisClient client = RedisClient.create(REDIS.toString());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            TestIdp idp = new TestIdp("lkg-redis");
            try (KeySetStore store = KeySetStore.redis(REDIS, prefix)) {
                String token = fillStoreThenTakeProviderDown(idp, store, TestIdp.ecKey("k1"));
                assertThat(c.sync().hget(prefix + "jwks:idp", "fetchedAt")).isNotBlank();
                restartWhileDownVerifiesKnownKeysAndReportsDegraded(store, idp, token);
            } finally {
                c.sync().del(prefix + "jwks:idp");
            }
            assertThat(c.sync().keys(prefix + "*")).isEmpty();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void keySetOlderThanTheMaximumAgeIsNotUsedAtStart() throws Exception {
        TestIdp idp = new TestIdp("lkg-old");
        KeySetStore store = KeySetStore.file(dir);
        fillStoreThenTakeProviderDown(idp, store, TestIdp.ecKey("k1"));
        MutableClock clock = new MutableClock();
        clock.advance(Duration.ofHours(2));
        try (IdentityProvider p = IdentityProvider.create(idp.config("idp").keySetStore(store)
                .maxKeySetAge(Duration.ofHours(1)).clock(clock).build())) {
            assertThatThrownBy(() -> p.component().start()).isInstanceOf(ProviderUnreachableException.class);
            assertThat(p.health().status()).isEqualTo(ProviderHealth.Status.DOWN);
        }
    }

    @Test
    void lastKnownGoodKeysStopCountingOnceTheyPassTheMaximumAgeAndFreshKeysReplaceThemWhenTheProviderIsBack()
            throws Exception {
        ECKey k1 = TestIdp.ecKey("k1");
        KeySetStore store = KeySetStore.file(dir);
        try (TestIdp idp = new TestIdp("lkg-age")) {
            idp.publish(k1);
            try (IdentityProvider first = IdentityProvider.create(idp.config("idp").keySetStore(store).build())) {
                first.component().start();
            }
            idp.serveJwks(TestIdp.status(503)); // provider in trouble at our restart
            MutableClock clock = new MutableClock();
            try (IdentityProvider p = IdentityProvider.create(idp.config("idp").keySetStore(store)
                    .maxKeySetAge(Duration.ofHours(1)).clock(clock).build())) {
                p.component().start();
                assertThat(p.component().probe().isUp()).isTrue();
                assertThat(p.health().status()).isEqualTo(ProviderHealth.Status.DEGRADED);

                clock.advance(Duration.ofMinutes(61));
                assertThat(p.component().probe().isUp()).isFalse();
                assertThat(p.component().probe().reason()).contains("older than maxKeySetAge");
                assertThat(p.health().status()).isEqualTo(ProviderHealth.Status.DOWN);

                idp.publish(k1);
                assertThat(p.refreshComponent().probe().isUp()).isTrue();
                assertThat(p.component().probe().isUp()).isTrue();
                assertThat(p.health().status()).isEqualTo(ProviderHealth.Status.UP);
                assertThat(p.health().keySource()).isEqualTo(ProviderHealth.KeySource.PROVIDER);
            }
        }
    }
}
