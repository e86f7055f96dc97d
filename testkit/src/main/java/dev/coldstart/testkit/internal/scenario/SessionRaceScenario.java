package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.auth.CasResult;
import dev.coldstart.auth.Session;
import dev.coldstart.auth.SessionLease;
import dev.coldstart.auth.SessionStore;
import dev.coldstart.testkit.AuthEnvironment;
import dev.coldstart.testkit.AuthScenarios;
import dev.coldstart.testkit.AuthService;
import dev.coldstart.testkit.Cs18Parameters;
import dev.coldstart.testkit.ScenarioContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CS-18: concurrent requests create, refresh and invalidate the same session in the service's
 * store (real Redis when the service uses it). No lost update, invalidation wins, and a crashed
 * lock holder's lease expires.
 */
public final class SessionRaceScenario {
    private static final Duration TTL = Duration.ofMinutes(5);

    private SessionRaceScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(AuthScenarios scenarios, ScenarioContext ctx, Cs18Parameters p) throws Exception {
        ScenarioIdp idp = AuthScenarioSupport.idp(ctx, "cs18");
        idp.serveDiscovery();
        idp.publish(Duration.ZERO, ScenarioIdp.newKey("cs18"));
        AuthEnvironment env = AuthScenarioSupport.env(ctx, "cs18", AuthEnvironment.Role.SERVICE, idp, null,
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1));
        AuthService s = AuthScenarioSupport.service(ctx, scenarios, env);
        s.orchestrator().startAsync().get(20, TimeUnit.SECONDS);
        SessionStore store = s.sessionStore();
        assertThat(store).as("CS-18 needs AuthService.sessionStore()").isNotNull();
        ctx.figure("store", store.getClass().getSimpleName());

        Session counter = store.create(Map.of("count", "0"), TTL);
        Parallel.Outcome increments = Parallel.run(p.concurrentIncrements(), Duration.ofSeconds(60),
                () -> store.update(counter.id(), a -> {
                    a.put("count", Integer.toString(Integer.parseInt(a.get("count")) + 1));
                    return a;
                }, TTL).orElseThrow());
        int count = Integer.parseInt(store.get(counter.id()).orElseThrow().attribute("count"));
        ctx.figure("concurrentIncrements", p.concurrentIncrements());
        ctx.figure("finalCount", count);
        assertThat(increments.failures()).isEmpty();
        assertThat(count).as("CS-18: no lost update").isEqualTo(p.concurrentIncrements());

        int lateRefreshes = 0;
        int revived = 0;
        for (int round = 0; round < p.invalidationRounds(); round++) {
            Session session = store.create(Map.of("refreshes", "0"), TTL);
            CountDownLatch refreshing = new CountDownLatch(p.refreshersPerRound());
            AtomicBoolean invalidated = new AtomicBoolean();
            AtomicInteger late = new AtomicInteger();
            Thread invalidator = new Thread(() -> {
                try {
                    if (refreshing.await(10, TimeUnit.SECONDS)) {
                        invalidated.set(store.invalidate(session.id()));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "coldstart-cs18-invalidator");
            invalidator.start();
            Parallel.Outcome refreshers = Parallel.run(p.refreshersPerRound(), Duration.ofSeconds(30), () -> {
                boolean counted = false;
                for (int i = 0; i < 10_000; i++) {
                    boolean after = invalidated.get();
                    Optional<Session> r = store.update(session.id(), a -> {
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
                    if (after) {
                        late.incrementAndGet();
                    }
                }
                throw new IllegalStateException("10000 refreshes never saw the invalidation");
            });
            invalidator.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(refreshers.failures()).isEmpty();
            assertThat(invalidated).as("CS-18: the invalidation happened").isTrue();
            lateRefreshes += late.get();
            if (store.get(session.id()).isPresent()
                    || store.compareAndSet(session.id(), 1, Map.of("revived", "yes"), TTL).outcome()
                            != CasResult.Outcome.NOT_FOUND) {
                revived++;
            }
        }
        ctx.figure("invalidationRounds", p.invalidationRounds());
        ctx.figure("refreshesAfterInvalidation", lateRefreshes);
        ctx.figure("sessionsRevived", revived);
        assertThat(lateRefreshes).as("CS-18: no refresh succeeds after the invalidation").isZero();
        assertThat(revived).as("CS-18: invalidation wins over concurrent refreshes").isZero();

        Session locked = store.create(Map.of(), TTL);
        store.tryLock(locked.id(), p.leaseTtl()).orElseThrow(); // the holder crashes: never renews, never releases
        long t0 = System.nanoTime();
        assertThat(store.tryLock(locked.id(), p.leaseTtl())).as("CS-18: the lock is held").isEmpty();
        SessionLease lease = store.lock(locked.id(), p.leaseTtl(), p.leaseTtl().multipliedBy(5).plusSeconds(2));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        ctx.figure("leaseTtlMillis", p.leaseTtl().toMillis());
        ctx.figure("crashedHolderBlockedMillis", waited);
        assertThat(waited).as("CS-18: a crashed holder blocks no longer than its lease")
                .isLessThanOrEqualTo(p.leaseTtl().toMillis() + 2000);
        assertThat(lease.release()).isTrue();
    }
}
