package dev.coldstart.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.event.ComponentTransitionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StartupOrchestratorTest {

    private static final StartPolicy FAST = StartPolicy.of(Duration.ofSeconds(10), RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(40)).circuitBreakerFailureThreshold(0).build());

    private final List<StartupOrchestrator> toStop = new ArrayList<>();

    @AfterEach
    void stopAll() {
        toStop.forEach(StartupOrchestrator::stop);
    }

    private StartupOrchestrator build(StartupOrchestrator.Builder b) {
        StartupOrchestrator o = b.defaultStartPolicy(FAST).build();
        toStop.add(o);
        return o;
    }

    /** Fails its first {@code failures} starts with a transient error. */
    private static Component flaky(String name, int failures, String... deps) {
        AtomicInteger calls = new AtomicInteger();
        return Component.builder(name).dependsOn(deps).onStart(() -> {
            if (calls.incrementAndGet() <= failures) {
                throw new java.net.ConnectException("Connection refused (attempt " + calls.get() + ")");
            }
        }).build();
    }

    @Test
    void startsDependentsOnlyAfterTheirDependenciesAreHealthyAndIndependentOnesInParallel() {
        CountDownLatch releaseA = new CountDownLatch(1);
        // b and c can only pass this barrier if they run at the same time.
        CyclicBarrier together = new CyclicBarrier(2);
        Component a = Component.builder("a").onStart(() -> releaseA.await(5, TimeUnit.SECONDS)).build();
        Component b = Component.builder("b").dependsOn("a").onStart(() -> together.await(5, TimeUnit.SECONDS)).build();
        Component c = Component.builder("c").dependsOn("a").onStart(() -> together.await(5, TimeUnit.SECONDS)).build();
        Component d = Component.builder("d").dependsOn("b", "c").build();
        StartupOrchestrator o = build(StartupOrchestrator.builder().component(d).component(c).component(b).component(a));

        var future = o.startAsync();
        await().atMost(Duration.ofSeconds(5)).until(() -> o.availability().component("a").state() == ComponentState.STARTING);
        assertThat(o.availability().component("b").state()).isEqualTo(ComponentState.WAITING);
        releaseA.countDown();
        StartupReport report = future.join();

        assertThat(report.state()).isEqualTo(ServiceState.READY);
        for (String dependent : List.of("b", "c")) {
            assertThat(report.component(dependent).firstAttemptAt()).isAfterOrEqualTo(report.component("a").readyAt());
        }
        assertThat(report.component("d").firstAttemptAt())
                .isAfterOrEqualTo(report.component("b").readyAt())
                .isAfterOrEqualTo(report.component("c").readyAt());
        assertThat(report.component("b").attempts()).isEqualTo(1);
        assertThat(report.component("c").attempts()).isEqualTo(1);
        assertThat(o.isReady()).isTrue();
    }

    @Test
    void retriesWithBackoffDelaysWithinTheFullJitterBounds() {
        RetryPolicy policy = RetryPolicy.builder().initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(80)).circuitBreakerFailureThreshold(0).build();
        StartupOrchestrator o = build(StartupOrchestrator.builder()
                .component(flaky("db", 5), StartPolicy.of(Duration.ofSeconds(10), policy)));

        StartupReport report = o.start();

        ComponentReport db = report.component("db");
        assertThat(db.attempts()).isEqualTo(6);
        assertThat(db.attemptHistory()).hasSize(6);
        for (int i = 0; i < 5; i++) {
            AttemptRecord a = db.attemptHistory().get(i);
            assertThat(a.error()).contains("Connection refused");
            assertThat(a.backoffAfter()).isBetween(Duration.ZERO, policy.backoffCeiling(i + 1));
        }
        assertThat(db.attemptHistory().get(5).succeeded()).isTrue();
        assertThat(db.transitions()).extracting(TransitionRecord::to).contains(ComponentState.BACKOFF);
    }

    @Test
    void circuitBreakerHoldsOffAttemptsAfterConsecutiveFailures() {
        RetryPolicy policy = RetryPolicy.builder().initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(5))
                .circuitBreakerFailureThreshold(3).circuitBreakerOpenDuration(Duration.ofMillis(400)).build();
        StartupOrchestrator o = build(StartupOrchestrator.builder()
                .component(flaky("db", 3), StartPolicy.of(Duration.ofSeconds(10), policy)));

        ComponentReport db = o.start().component("db");

        assertThat(db.attempts()).isEqualTo(4);
        // The 4th attempt had to wait for the open breaker, far longer than the 5 ms backoff.
        Duration gap = Duration.between(db.attemptHistory().get(2).endedAt(), db.attemptHistory().get(3).startedAt());
        assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(350));
    }

    @Test
    void requiredFailureEndsStartWithAnExceptionCarryingTheReport() {
        Component db = Component.builder("db").onStart(() -> {
            throw new java.net.ConnectException("Connection refused");
        }).build();
        Component api = Component.builder("api").dependsOn("db").build();
        // A bounded number of attempts rather than a short deadline: the count does not depend on machine load.
        StartupOrchestrator o = build(StartupOrchestrator.builder()
                .component(db, FAST.withRetryPolicy(FAST.retryPolicy().toBuilder().maxAttempts(3).build()))
                .component(api));

        assertThatThrownBy(o::start)
                .isInstanceOfSatisfying(StartupFailedException.class, e -> {
                    assertThat(e.failedComponents()).containsExactly("db");
                    assertThat(e.report().state()).isEqualTo(ServiceState.FAILED);
                    assertThat(e.report().component("db").attempts()).isEqualTo(3);
                    assertThat(e.report().component("db").lastError()).contains("Connection refused");
                    assertThat(e.report().component("api").attempts()).isZero();
                    assertThat(e.getMessage()).contains("db (FAILED after").contains("Connection refused");
                });
        assertThat(o.isReady()).isFalse();
        assertThat(o.availability().isLive()).isFalse();
        assertThat(o.availability().isStarted()).isFalse();
    }

    @Test
    void nonRetryableFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        Component guard = Component.builder("schema").onStart(() -> {
            calls.incrementAndGet();
            throw new NonRetryableException("schema is at version 7, this build supports up to 5");
        }).build();
        StartupOrchestrator o = build(StartupOrchestrator.builder().component(guard));

        assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("schema is at version 7");
        assertThat(calls).hasValue(1);
    }

    @Test
    void deadlineInterruptsAHungAttempt() {
        AtomicBoolean interrupted = new AtomicBoolean();
        Component hung = Component.builder("hung").onStart(() -> {
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        }).build();
        StartupOrchestrator o = build(StartupOrchestrator.builder()
                .component(hung, FAST.withStartTimeout(Duration.ofMillis(200))));

        long t0 = System.nanoTime();
        assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("still running at the start deadline");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
    }

    @Test
    void optionalFailureGivesDegradedReadyAndBackgroundRetryBringsItBack() {
        AtomicBoolean cacheUp = new AtomicBoolean();
        Component cache = Component.builder("cache").optional().onStart(() -> {
            if (!cacheUp.get()) {
                throw new java.net.ConnectException("cache: Connection refused");
            }
        }).build();
        Component db = Component.builder("db").build();
        StartupOrchestrator o = build(StartupOrchestrator.builder()
                .component(db).component(cache, FAST.withStartTimeout(Duration.ofMillis(200))));

        StartupReport report = o.start();
        assertThat(report.state()).isEqualTo(ServiceState.READY);
        await().atMost(Duration.ofSeconds(5)).until(() -> o.availability().component("cache").state() == ComponentState.DEGRADED);
        Availability a = o.availability();
        assertThat(a.isReady()).isTrue();
        assertThat(a.degradedComponents()).containsExactly("cache");
        assertThat(a.isHealthy("cache")).isFalse();
        assertThat(a.component("cache").lastError()).contains("Connection refused");
        assertThat(a.toJson()).contains("\"degraded\":[\"cache\"]").contains("Connection refused");

        cacheUp.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> o.availability().isHealthy("cache"));
        assertThat(o.availability().isDegraded()).isFalse();
        assertThat(o.isReady()).isTrue();
    }

    @Test
    void failingProbeKeepsReadinessDownEvenThoughStartReturned() {
        AtomicBoolean probeUp = new AtomicBoolean();
        AtomicInteger starts = new AtomicInteger();
        Component pool = Component.builder("pool").onStart(starts::incrementAndGet)
                .probe(() -> probeUp.get() ? Health.up() : Health.down("SELECT 1 failed")).build();
        StartupOrchestrator o = build(StartupOrchestrator.builder().component(pool));

        var future = o.startAsync();
        await().atMost(Duration.ofSeconds(5)).until(() -> o.report().component("pool").attempts() >= 3);
        assertThat(o.isReady()).isFalse();
        assertThat(o.availability().isLive()).isTrue();
        assertThat(o.availability().isStarted()).isFalse();
        probeUp.set(true);
        future.join();
        assertThat(o.isReady()).isTrue();
        assertThat(starts).as("a retry after a successful start only probes again").hasValue(1);
    }

    @Test
    void periodicProbeTakesReadinessDownAndBackUp() {
        AtomicBoolean probeUp = new AtomicBoolean(true);
        Component pool = Component.builder("pool").probe(() -> probeUp.get() ? Health.up() : Health.down("gone")).build();
        StartupOrchestrator o = build(StartupOrchestrator.builder().probeInterval(Duration.ofMillis(20)).component(pool));
        o.start();

        probeUp.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !o.isReady());
        assertThat(o.availability().component("pool").state()).isEqualTo(ComponentState.UNHEALTHY);
        assertThat(o.availability().isStarted()).as("the startup signal never flips back").isTrue();
        assertThat(o.availability().isLive()).isTrue();
        probeUp.set(true);
        await().atMost(Duration.ofSeconds(5)).until(o::isReady);
    }

    @Test
    void stopsInReverseDependencyOrderOnceAndIdempotently() {
        List<String> stopped = Collections.synchronizedList(new ArrayList<>());
        StartupOrchestrator.Builder b = StartupOrchestrator.builder();
        for (String[] spec : new String[][] {{"db"}, {"migrations", "db"}, {"api", "migrations"}, {"cache"}}) {
            String name = spec[0];
            String[] deps = java.util.Arrays.copyOfRange(spec, 1, spec.length);
            b.component(Component.builder(name).dependsOn(deps).onStop(() -> stopped.add(name)).build());
        }
        StartupOrchestrator o = build(b);
        o.start();

        StartupReport first = o.stop();
        StartupReport second = o.stop();

        assertThat(stopped).hasSize(4);
        assertThat(stopped.indexOf("api")).isLessThan(stopped.indexOf("migrations"));
        assertThat(stopped.indexOf("migrations")).isLessThan(stopped.indexOf("db"));
        assertThat(first.state()).isEqualTo(ServiceState.STOPPED);
        assertThat(second.state()).isEqualTo(ServiceState.STOPPED);
        assertThat(o.isReady()).isFalse();
        assertThat(first.components()).allSatisfy(c -> assertThat(c.state()).isEqualTo(ComponentState.STOPPED));
    }

    @Test
    void stopWaitsNoLongerThanTheDrainTimeout() {
        Component stuck = Component.builder("stuck").onStop(() -> new CountDownLatch(1).await(30, TimeUnit.SECONDS)).build();
        StartupOrchestrator o = build(StartupOrchestrator.builder().drainTimeout(Duration.ofMillis(200)).component(stuck));
        o.start();

        long t0 = System.nanoTime();
        StartupReport report = o.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(report.component("stuck").lastError()).contains("did not stop within the drain timeout");
    }

    @Test
    void listenersSeeEveryTransitionInOrderAndCannotBreakTheStart() {
        List<ComponentTransitionEvent> seen = new CopyOnWriteArrayList<>();
        StartupListener recording = new StartupListener() {
            @Override
            public void onTransition(ComponentTransitionEvent event) {
                seen.add(event);
            }
        };
        StartupListener throwing = new StartupListener() {
            @Override
            public void onTransition(ComponentTransitionEvent event) {
                throw new IllegalStateException("listener bug");
            }
        };
        StartupOrchestrator o = build(StartupOrchestrator.builder().listener(throwing).listener(recording)
                .component(flaky("db", 1)));

        assertThat(o.start().state()).isEqualTo(ServiceState.READY);

        assertThat(seen).extracting(ComponentTransitionEvent::to).containsExactly(
                ComponentState.WAITING, ComponentState.STARTING, ComponentState.BACKOFF,
                ComponentState.STARTING, ComponentState.RUNNING);
        assertThat(seen.get(2).error()).contains("Connection refused");
    }

    @Test
    void reportRendersAsAlignedTableAndJson() {
        StartupOrchestrator o = build(StartupOrchestrator.builder()
                .component(flaky("orders-db", 1)).component(Component.builder("api").dependsOn("orders-db").build()));
        StartupReport report = o.start();

        String table = report.toTable();
        String[] lines = table.split("\n");
        assertThat(lines[0]).startsWith("COMPONENT").contains("ATTEMPTS");
        assertThat(lines[1]).startsWith("orders-db").contains("RUNNING");
        assertThat(lines[0].indexOf("STATE")).isEqualTo(lines[1].indexOf("RUNNING"));
        assertThat(table).contains("service: READY, READY after");
        String json = report.toJson();
        assertThat(json).startsWith("{\"formatVersion\":1,\"state\":\"READY\"")
                .contains("\"name\":\"orders-db\"").contains("\"attempts\":2")
                .contains("\"dependsOn\":[\"orders-db\"]").contains("\"backoffAfterMillis\":");
    }

    @Test
    void startTwiceIsRejected() {
        StartupOrchestrator o = build(StartupOrchestrator.builder().component(Component.builder("a").build()));
        o.start();
        assertThatThrownBy(o::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("start() was already called");
    }

    @Test
    void aComponentRetriedForeverKeepsABoundedHistory() {
        AtomicInteger calls = new AtomicInteger();
        Component flapping = Component.builder("cache").optional().onStart(() -> {
            calls.incrementAndGet();
            throw new java.net.ConnectException("cache: Connection refused");
        }).build();
        RetryPolicy fast = RetryPolicy.builder().initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(1))
                .circuitBreakerFailureThreshold(0).build();
        StartupOrchestrator o = build(StartupOrchestrator.builder()
                .component(flapping, StartPolicy.of(Duration.ofMillis(50), fast)));
        o.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() > 600);

        ComponentReport cache = o.report().component("cache");
        assertThat(cache.attempts()).isGreaterThan(600);
        assertThat(cache.attemptHistory()).hasSizeLessThanOrEqualTo(256);
        assertThat(cache.attemptHistory().get(cache.attemptHistory().size() - 1).number())
                .as("the newest attempts are the ones kept").isGreaterThan(600);
    }
}
