package dev.coldstart.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.coldstart.core.Component;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.NonRetryableException;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import dev.coldstart.core.TransitionRecord;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MicrometerStartupListenerTest {

    private static final StartPolicy FAST = StartPolicy.of(Duration.ofSeconds(10), RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(40)).circuitBreakerFailureThreshold(0).build());

    private static Component flakyDb(int failures) {
        AtomicInteger calls = new AtomicInteger();
        return Component.builder("db").onStart(() -> {
            if (calls.incrementAndGet() <= failures) {
                throw new java.net.ConnectException("Connection refused (attempt " + calls.get() + ")");
            }
        }).build();
    }

    /** An optional cache whose configuration is wrong: degraded at once, never retried in the foreground. */
    private static Component brokenCache() {
        return Component.builder("cache").optional().onStart(() -> {
            throw new NonRetryableException("cache URL is malformed");
        }).build();
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private static double attempts(SimpleMeterRegistry registry, String component, String outcome) {
        return registry.get(MicrometerStartupListener.COMPONENT_ATTEMPTS)
                .tags("component", component, "outcome", outcome).counter().count();
    }

    @Test
    void publishesAttemptsStartDurationsSignalsAndDegradedComponentsOfARealStart() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StartupOrchestrator o = StartupOrchestrator.builder().defaultStartPolicy(FAST)
                .component(flakyDb(2))
                .component(Component.builder("migrations").dependsOn("db").build())
                .component(brokenCache())
                .listener(new MicrometerStartupListener(registry, Tags.of("service", "orders")))
                .build();
        assertThat(gauge(registry, MicrometerStartupListener.READY, "service", "orders")).isZero();
        assertThat(gauge(registry, MicrometerStartupListener.TIME_TO_READY)).isNaN();

        StartupReport report = o.start();
        try {
            assertThat(attempts(registry, "db", "failure")).isEqualTo(2);
            assertThat(attempts(registry, "db", "success")).isEqualTo(1);
            assertThat(attempts(registry, "migrations", "success")).isEqualTo(1);
            assertThat(attempts(registry, "migrations", "failure")).isZero();
            assertThat(attempts(registry, "cache", "failure")).isEqualTo(1);

            Timer dbStart = registry.get(MicrometerStartupListener.COMPONENT_START).tags("component", "db", "service", "orders").timer();
            assertThat(dbStart.count()).isEqualTo(1);
            // Measured between the recorded transitions: first STARTING to first RUNNING.
            List<TransitionRecord> db = report.component("db").transitions();
            Instant firstStarting = db.stream().filter(t -> t.to() == ComponentState.STARTING).findFirst().orElseThrow().at();
            Instant firstRunning = db.stream().filter(t -> t.to() == ComponentState.RUNNING).findFirst().orElseThrow().at();
            assertThat(dbStart.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(Duration.between(firstStarting, firstRunning).toNanos());
            assertThat(registry.get(MicrometerStartupListener.COMPONENT_START).tags("component", "cache").timer().count())
                    .as("a component that never became healthy has no start sample").isZero();

            assertThat(gauge(registry, MicrometerStartupListener.READY)).isEqualTo(1);
            assertThat(gauge(registry, MicrometerStartupListener.LIVE)).isEqualTo(1);
            assertThat(gauge(registry, MicrometerStartupListener.STARTED)).isEqualTo(1);
            assertThat(gauge(registry, MicrometerStartupListener.DEGRADED_COMPONENTS)).isEqualTo(1);
            assertThat(gauge(registry, MicrometerStartupListener.COMPONENT_DEGRADED, "component", "cache")).isEqualTo(1);
            assertThat(gauge(registry, MicrometerStartupListener.COMPONENT_HEALTHY, "component", "cache")).isZero();
            assertThat(gauge(registry, MicrometerStartupListener.COMPONENT_HEALTHY, "component", "db")).isEqualTo(1);
            assertThat(gauge(registry, MicrometerStartupListener.COMPONENT_DEGRADED, "component", "db")).isZero();
            assertThat(gauge(registry, MicrometerStartupListener.TIME_TO_READY))
                    .as("seconds to READY, on the orchestrator's clock")
                    .isCloseTo(report.timeToReady().toNanos() / 1e9, within(0.05));
            assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("service")).isEqualTo("orders"));
        } finally {
            o.stop();
        }
        assertThat(gauge(registry, MicrometerStartupListener.READY)).isZero();
        assertThat(gauge(registry, MicrometerStartupListener.LIVE)).isZero();
    }

    @Test
    void bindsToAnOrchestratorThatAlreadyStarted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StartupOrchestrator o = StartupOrchestrator.builder().defaultStartPolicy(FAST).component(flakyDb(1)).build()) {
            StartupReport report = o.start();

            MicrometerStartupListener.bindTo(o, registry, Tags.empty());

            assertThat(gauge(registry, MicrometerStartupListener.READY)).isEqualTo(1);
            assertThat(gauge(registry, MicrometerStartupListener.COMPONENT_HEALTHY, "component", "db")).isEqualTo(1);
            assertThat(gauge(registry, MicrometerStartupListener.TIME_TO_READY))
                    .isEqualTo(report.timeToReady().toNanos() / 1e9);
            assertThat(registry.get(MicrometerStartupListener.COMPONENT_START).tags("component", "db").timer().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void namesFollowMicrometersConventions() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StartupOrchestrator o = StartupOrchestrator.builder().defaultStartPolicy(FAST).component(flakyDb(0)).build()) {
            o.start();
            MicrometerStartupListener.bindTo(o, registry, Tags.empty());
        }

        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m -> assertThat(m.getId().getName())
                .matches("coldstart(\\.[a-z]+)+"));
    }
}
