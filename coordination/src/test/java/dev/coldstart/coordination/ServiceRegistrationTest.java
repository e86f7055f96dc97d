package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** CS-09 in one process: register only once READY, deregister and drain before the service stops. */
class ServiceRegistrationTest {
    private static final StartPolicy FAST = StartPolicy.of(Duration.ofSeconds(20), RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20))
            .circuitBreakerFailureThreshold(100_000).build());
    private static final ServiceInstance ORDERS_A = ServiceInstance.of("orders", "a", "127.0.0.1", 8081);

    /** What the registry saw, and whether the service was ready at that instant. */
    record Call(String what, long nanos, boolean readyAtThatInstant) {
    }

    /** A real in-memory registry that records each call, and fails the first registrations when told to. */
    static final class RecordingRegistry implements ServiceRegistry {
        final ServiceRegistry delegate = ServiceRegistry.inMemory();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final AtomicReference<StartupOrchestrator> orchestrator = new AtomicReference<>();
        final AtomicInteger failuresLeft = new AtomicInteger();

        private boolean ready() {
            StartupOrchestrator o = orchestrator.get();
            return o != null && o.isReady();
        }

        @Override
        public void register(ServiceInstance instance) {
            calls.add(new Call("register", System.nanoTime(), ready()));
            if (failuresLeft.getAndDecrement() > 0) {
                throw new ServiceRegistryException("registry - store unreachable (test)", null);
            }
            delegate.register(instance);
        }

        @Override
        public void deregister(ServiceInstance instance) {
            calls.add(new Call("deregister", System.nanoTime(), ready()));
            delegate.deregister(instance);
        }

        @Override
        public List<ServiceInstance> lookup(String service) {
            return delegate.lookup(service);
        }

        @Override
        public void close() {
            delegate.close();
        }

        long count(String what) {
            return calls.stream().filter(c -> c.what().equals(what)).count();
        }
    }

    @Test
    void registersOnlyOnceReadyThenDeregistersAndDrainsBeforeTheApiStops() throws Exception {
        RecordingRegistry registry = new RecordingRegistry();
        SlowProbeComponent db = new SlowProbeComponent("db", true);
        AtomicLong apiStoppedAt = new AtomicLong();
        AtomicReference<List<ServiceInstance>> listedWhenApiStopped = new AtomicReference<>();
        Component api = Component.builder("api").dependsOn("db").onStop(() -> {
            apiStoppedAt.set(System.nanoTime());
            listedWhenApiStopped.set(registry.lookup("orders"));
        }).build();
        Duration drain = Duration.ofMillis(300);
        ServiceRegistration registration = ServiceRegistration.builder(registry, ORDERS_A)
                .dependsOn("db", "api").drainDelay(drain).build();
        StartupOrchestrator orchestrator = registration.installInto(StartupOrchestrator.builder()
                .defaultStartPolicy(FAST).probeInterval(Duration.ofMillis(50))
                .component(db).component(api)).build();
        registry.orchestrator.set(orchestrator);

        CompletableFuture<?> starting = orchestrator.startAsync();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> registry.lookup("orders").isEmpty() && !starting.isDone());
        assertThat(registry.calls).isEmpty();

        db.release();
        starting.get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(registration::isRegistered);
        assertThat(registry.lookup("orders")).containsExactly(ORDERS_A);
        assertThat(registry.calls).hasSize(1).allSatisfy(c -> {
            assertThat(c.what()).isEqualTo("register");
            assertThat(c.readyAtThatInstant()).as("registered while READY").isTrue();
        });

        orchestrator.stop();
        assertThat(registration.isRegistered()).isFalse();
        assertThat(listedWhenApiStopped.get()).as("gone before the api stopped").isEmpty();
        Call deregistered = registry.calls.get(registry.calls.size() - 1);
        assertThat(deregistered.what()).isEqualTo("deregister");
        assertThat(deregistered.readyAtThatInstant()).isFalse();
        long drainedMillis = TimeUnit.NANOSECONDS.toMillis(apiStoppedAt.get() - deregistered.nanos());
        assertThat(drainedMillis).as("drain between deregistration and the api's stop")
                .isGreaterThanOrEqualTo(drain.toMillis());
    }

    @Test
    void followsReadinessDownAndUpAgainWhileRunning() throws Exception {
        RecordingRegistry registry = new RecordingRegistry();
        AtomicBoolean dbUp = new AtomicBoolean(true);
        Component db = Component.builder("db").probe(() -> dbUp.get() ? Health.up() : Health.down("db gone")).build();
        ServiceRegistration registration = ServiceRegistration.builder(registry, ORDERS_A)
                .dependsOn("db").drainDelay(Duration.ZERO).build();
        StartupOrchestrator orchestrator = registration.installInto(StartupOrchestrator.builder()
                .defaultStartPolicy(FAST).probeInterval(Duration.ofMillis(30)).component(db)).build();
        try {
            orchestrator.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.lookup("orders").size() == 1);
            dbUp.set(false);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.lookup("orders").isEmpty());
            assertThat(orchestrator.isReady()).isFalse();
            dbUp.set(true);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.lookup("orders").size() == 1);
            assertThat(registry.count("register")).isEqualTo(2);
            assertThat(registry.count("deregister")).isEqualTo(1);
        } finally {
            orchestrator.stop();
        }
    }

    @Test
    void retriesAFailedRegistrationWithBackoffWhileReady() {
        RecordingRegistry registry = new RecordingRegistry();
        registry.failuresLeft.set(3);
        ServiceRegistration registration = ServiceRegistration.builder(registry, ORDERS_A)
                .drainDelay(Duration.ZERO)
                .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(10))
                        .maxBackoff(Duration.ofMillis(40)).build())
                .build();
        StartupOrchestrator orchestrator = registration.installInto(StartupOrchestrator.builder()
                .component(Component.builder("db").build())).build();
        try {
            orchestrator.start();
            await().atMost(Duration.ofSeconds(5)).until(registration::isRegistered);
            assertThat(registry.count("register")).isEqualTo(4);
            assertThat(registry.lookup("orders")).containsExactly(ORDERS_A);
            assertThat(orchestrator.isReady()).as("readiness never waited for the registry").isTrue();
        } finally {
            orchestrator.stop();
        }
        assertThat(registry.lookup("orders")).isEmpty();
    }
}
