package dev.coldstart.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemorySessionStoreTest extends SessionStoreContract {
    private final MutableClock clock = new MutableClock();
    private final SessionStore store = SessionStore.inMemory(clock);

    @Override
    SessionStore store() {
        return store;
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void crashedHoldersLeaseExpiresAfterItsTtl() {
        Session s = store.create(Map.of(), TTL);
        store.tryLock(s.id(), Duration.ofSeconds(10)).orElseThrow(); // the holder "crashes": never releases
        clock.advance(Duration.ofSeconds(9));
        assertThat(store.tryLock(s.id(), Duration.ofSeconds(10))).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.tryLock(s.id(), Duration.ofSeconds(10))).isPresent();
    }

    @Test
    void sessionExpiresAfterItsTtlUnlessWritten() {
        Session s = store.create(Map.of("user", "alice"), Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(20));
        assertThat(store.update(s.id(), a -> a, Duration.ofMinutes(30))).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(store.get(s.id())).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.get(s.id())).isEmpty();
        assertThat(store.compareAndSet(s.id(), 2, Map.of(), Duration.ofMinutes(1)).outcome())
                .isEqualTo(CasResult.Outcome.NOT_FOUND);
    }
}
