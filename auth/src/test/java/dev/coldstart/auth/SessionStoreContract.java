package dev.coldstart.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CS-18's mechanism, the same rules for every {@link SessionStore}. */
abstract class SessionStoreContract {
    static final Duration TTL = Duration.ofMinutes(5);

    abstract SessionStore store();

    @Test
    void oneHundredConcurrentIncrementsGiveOneHundred() throws Exception {
        SessionStore store = store();
        Session s = store.create(Map.of("count", "0"), TTL);

        var outcome = Concurrently.run(100, Duration.ofSeconds(60), () -> store.update(s.id(), a -> {
            a.put("count", Integer.toString(Integer.parseInt(a.get("count")) + 1));
            return a;
        }, TTL).orElseThrow());

        assertThat(outcome.failures()).isEmpty();
        Session after = store.get(s.id()).orElseThrow();
        assertThat(after.attribute("count")).isEqualTo("100");
        assertThat(after.version()).isEqualTo(101);
    }

    @Test
    void compareAndSetWritesOnlyTheExpectedVersionAndNeverCreates() {
        SessionStore store = store();
        Session s = store.create(Map.of("user", "alice"), TTL);
        CasResult first = store.compareAndSet(s.id(), 1, Map.of("user", "alice", "cart", "1"), TTL);
        assertThat(first.outcome()).isEqualTo(CasResult.Outcome.UPDATED);
        assertThat(first.session().version()).isEqualTo(2);
        assertThat(store.compareAndSet(s.id(), 1, Map.of("user", "mallory"), TTL).outcome())
                .isEqualTo(CasResult.Outcome.CONFLICT);
        assertThat(store.get(s.id()).orElseThrow().attributes()).containsEntry("user", "alice").containsEntry("cart", "1");
        assertThat(store.compareAndSet("no-such-session", 1, Map.of(), TTL).outcome())
                .isEqualTo(CasResult.Outcome.NOT_FOUND);
        assertThat(store.get("no-such-session")).isEmpty();
    }

    @Test
    void invalidationWinsOverConcurrentRefreshes() throws Exception {
        SessionStore store = store();
        for (int round = 0; round < 20; round++) {
            Session s = store.create(Map.of("refreshes", "0"), TTL);
            int refreshers = 6;
            CountDownLatch refreshing = new CountDownLatch(refreshers);
            AtomicInteger refreshesAfterInvalidation = new AtomicInteger();
            AtomicInteger invalidated = new AtomicInteger();
            Thread invalidator = new Thread(() -> {
                try {
                    if (refreshing.await(10, TimeUnit.SECONDS) && store.invalidate(s.id())) {
                        invalidated.set(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            invalidator.start();
            var outcome = Concurrently.run(refreshers, Duration.ofSeconds(30), () -> {
                boolean counted = false;
                // Bounded in time, not in count: a fast store may loop many times before the invalidator runs.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                for (int i = 0; System.nanoTime() < deadline; i++) {
                    boolean invalidatedBefore = invalidated.get() == 1;
                    Optional<Session> r = store.update(s.id(), a -> {
                        a.put("refreshes", Integer.toString(Integer.parseInt(a.get("refreshes")) + 1));
                        return a;
                    }, TTL);
                    if (!counted) {
                        refreshing.countDown();
                        counted = true;
                    }
                    if (r.isEmpty()) {
                        return i;
                    }
                    if (invalidatedBefore) {
                        refreshesAfterInvalidation.incrementAndGet();
                    }
                }
                throw new IllegalStateException("refresh never saw the invalidation");
            });
            invalidator.join(10_000);
            assertThat(outcome.failures()).isEmpty();
            assertThat(invalidated.get()).isEqualTo(1);
            assertThat(refreshesAfterInvalidation.get()).as("refreshes that succeeded after invalidate returned").isZero();
            assertThat(store.get(s.id())).isEmpty();
            assertThat(store.compareAndSet(s.id(), 1, Map.of("revived", "yes"), TTL).outcome())
                    .isEqualTo(CasResult.Outcome.NOT_FOUND);
            assertThat(store.update(s.id(), a -> a, TTL)).isEmpty();
            assertThat(store.invalidate(s.id())).isFalse();
        }
    }

    @Test
    void onlyTheOwnerRenewsOrReleasesALease() {
        SessionStore store = store();
        Session s = store.create(Map.of(), TTL);
        SessionLease a = store.tryLock(s.id(), Duration.ofSeconds(30)).orElseThrow();
        assertThat(store.tryLock(s.id(), Duration.ofSeconds(30))).isEmpty();
        assertThat(a.renew(Duration.ofSeconds(30))).isTrue();
        assertThat(a.release()).isTrue();
        assertThat(a.release()).isFalse();
        SessionLease b = store.tryLock(s.id(), Duration.ofSeconds(30)).orElseThrow();
        assertThat(a.release()).as("a released lease cannot release the next owner's lock").isFalse();
        assertThat(a.renew(Duration.ofSeconds(30))).isFalse();
        assertThat(store.tryLock(s.id(), Duration.ofSeconds(30))).isEmpty();
        assertThat(b.ownerToken()).isNotEqualTo(a.ownerToken());
        b.close();
        assertThat(store.tryLock(s.id(), Duration.ofSeconds(30))).isPresent();
    }

    @Test
    void lockWaitEndsWithLockTimeoutExceptionWhileTheHolderRenews() {
        SessionStore store = store();
        Session s = store.create(Map.of(), TTL);
        try (SessionLease held = store.tryLock(s.id(), Duration.ofMinutes(1)).orElseThrow()) {
            assertThatThrownBy(() -> store.lock(s.id(), Duration.ofSeconds(5), Duration.ofMillis(200)))
                    .isInstanceOf(LockTimeoutException.class)
                    .hasMessageContaining("still held by another owner");
            assertThat(held.sessionId()).isEqualTo(s.id());
        }
    }

    @Test
    void rejectsInvalidArgumentsWithTheFieldName() {
        SessionStore store = store();
        assertThatThrownBy(() -> store.create(Map.of("a", "b"), Duration.ZERO))
                .hasMessage("ttl must be greater than 0, but was PT0S");
        Map<String, String> blank = new HashMap<>();
        blank.put(" ", "x");
        assertThatThrownBy(() -> store.create(blank, TTL)).hasMessageContaining("attribute name must not be blank");
        assertThat(List.of(store.create(Map.of(), TTL).id(), store.create(Map.of(), TTL).id()))
                .doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).hasSize(22));
    }
}
