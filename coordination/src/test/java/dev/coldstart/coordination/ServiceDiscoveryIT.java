package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.Availability;
import dev.coldstart.core.Component;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupListener;
import dev.coldstart.core.StartupOrchestrator;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CS-08 and CS-09 together on the real Redis: service A's port is taken, so it serves on an
 * ephemeral port, registers that port once READY, and deregisters and drains before it stops; B
 * looks A up while A is still starting and waits for it.
 */
class ServiceDiscoveryIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final StartPolicy FAST = StartPolicy.of(Duration.ofSeconds(20), RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20))
            .circuitBreakerFailureThreshold(100_000).build());

    private RedisKeys keys;

    @BeforeEach
    void setUp() {
        keys = new RedisKeys();
    }

    @AfterEach
    void tearDown() {
        keys.close();
    }

    private RedisServiceRegistry registry() {
        return RedisServiceRegistry.builder().redisUri(RedisKeys.URI).keyPrefix(keys.prefix())
                .ttl(Duration.ofSeconds(2)).build();
    }

    @Test
    void bFindsAOnlyOnceReadyOnItsFallbackPortAndLosesItBeforeAStopsServing() throws Exception {
        PortAllocator ports = PortAllocator.builder().bindAddress(LOOPBACK).policy(PortPolicy.EPHEMERAL_FALLBACK).build();
        try (BoundPort squatter = PortAllocator.builder().bindAddress(LOOPBACK).build().bind(0);
                RedisServiceRegistry registryA = registry();
                RedisServiceRegistry registryB = registry()) {
            // A: its configured port is taken, so it listens elsewhere; probes answer from the start.
            ProbeEndpoint http = ProbeEndpoint.builder().port(squatter.port()).portAllocator(ports).build().start();
            assertThat(http.port()).isNotEqualTo(squatter.port());
            SlowProbeComponent db = new SlowProbeComponent("db", true);
            AtomicReference<Boolean> servingWhenApiStopped = new AtomicReference<>();
            AtomicReference<Integer> instancesWhenApiStopped = new AtomicReference<>();
            Component api = Component.builder("api").dependsOn("db").onStop(() -> {
                instancesWhenApiStopped.set(registryB.lookup("orders").size());
                servingWhenApiStopped.set(new Http(http.uri()).status("/health/live") == 200);
            }).build();
            ServiceRegistration registration = ServiceRegistration
                    .builder(registryA, ServiceInstance.of("orders", "a-1", "127.0.0.1", http.port()))
                    .dependsOn("db", "api").drainDelay(Duration.ofMillis(300)).build();
            AtomicLong readyAt = new AtomicLong();
            StartupOrchestrator a = registration.installInto(StartupOrchestrator.builder().serviceName("orders")
                    .defaultStartPolicy(FAST).component(db).component(api)
                    .listener(new StartupListener() {
                        @Override
                        public void onAvailabilityChanged(Availability availability) {
                            if (availability.isReady()) {
                                readyAt.compareAndSet(0, System.nanoTime());
                            }
                        }
                    })).build();
            http.availability(a::availability);

            // B looks A up before A starts.
            AtomicLong foundAt = new AtomicLong();
            CompletableFuture<ServiceInstance> lookup = CompletableFuture.supplyAsync(() -> {
                ServiceInstance found = registryB.awaitInstance("orders", Duration.ofSeconds(15));
                foundAt.set(System.nanoTime());
                return found;
            });
            CompletableFuture<?> starting = a.startAsync();
            await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(3)).until(() -> !lookup.isDone());
            assertThat(new Http(http.uri()).status("/health/ready")).isEqualTo(503);

            db.release();
            starting.get(10, TimeUnit.SECONDS);
            ServiceInstance found = lookup.get(10, TimeUnit.SECONDS);
            assertThat(found.port()).as("the registered port is the one bound").isEqualTo(http.port());
            assertThat(foundAt.get()).as("found only after READY").isGreaterThan(readyAt.get());
            // A real call to what B found, at the moment it found it.
            assertThat(new Http(URI.create("http://" + found.authority())).status("/health/ready")).isEqualTo(200);

            a.stop();
            assertThat(instancesWhenApiStopped.get()).as("B no longer finds A when A's api stops").isZero();
            assertThat(servingWhenApiStopped.get()).as("A still served while draining").isTrue();
            http.stop();
            assertThat(registryB.lookup("orders")).isEmpty();
        }
    }
}
