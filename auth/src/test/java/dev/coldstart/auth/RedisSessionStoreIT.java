package dev.coldstart.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.StartupOrchestrator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session store against the real Redis at 127.0.0.1:6379, under a key prefix of its own. */
class RedisSessionStoreIT extends SessionStoreContract {
    private static final URI REDIS = URI.create("redis://127.0.0.1:6379");
    private final String prefix = "cs:auth-sessions:" + UUID.randomUUID() + ":";
    private final RedisSessionStoreConfig config = RedisSessionStoreConfig.builder(REDIS).keyPrefix(prefix).build();
    private final SessionStore store = SessionStore.redis(config);

    @Override
    SessionStore store() {
        return store;
    }

    @AfterEach
    void cleanUp() {
        store.close();
        RedisClient client = RedisClient.create(REDIS.toString());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> keys = c.sync().keys(prefix + "*");
            if (!keys.isEmpty()) {
                c.sync().del(keys.toArray(String[]::new));
            }
            assertThat(c.sync().keys(prefix + "*")).isEmpty();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void crashedHoldersLeaseExpiresAfterItsTtl() {
        Session s = store.create(Map.of(), TTL);
        SessionStore crashing = SessionStore.redis(config);
        crashing.tryLock(s.id(), Duration.ofMillis(800)).orElseThrow();
        // Timed from the lock, not from the close: a slow client shutdown must not eat into the lease.
        long t0 = System.nanoTime();
        crashing.close(); // the holder's process dies without releasing
        assertThat(store.tryLock(s.id(), Duration.ofSeconds(5))).isEmpty();

        SessionLease lease = store.lock(s.id(), Duration.ofSeconds(5), Duration.ofSeconds(10));

        Duration waited = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(lease.sessionId()).isEqualTo(s.id());
        assertThat(waited).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        assertThat(lease.release()).isTrue();
    }

    @Test
    void componentConnectsAndProbesWithPing() {
        try (StartupOrchestrator o = StartupOrchestrator.builder().serviceName("sessions")
                .probeInterval(Duration.ofMillis(100)).component(store.component()).build()) {
            o.start();
            assertThat(o.isReady()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> o.report().component("session-store").attempts() >= 1);
        }
    }
}
