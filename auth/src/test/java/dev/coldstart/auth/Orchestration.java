package dev.coldstart.auth;

import dev.coldstart.core.Component;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import java.time.Duration;
import java.util.Collection;

/** Orchestrators with short deadlines and quick retries for tests. */
final class Orchestration {
    private Orchestration() {
    }

    static StartPolicy quick(Duration deadline) {
        return StartPolicy.of(deadline, RetryPolicy.builder().initialBackoff(Duration.ofMillis(50))
                .maxBackoff(Duration.ofMillis(200)).circuitBreakerFailureThreshold(0).build());
    }

    static StartupOrchestrator of(Duration deadline, Collection<Component> components) {
        return StartupOrchestrator.builder().serviceName("auth-test").probeInterval(Duration.ofMillis(100))
                .defaultStartPolicy(quick(deadline)).drainTimeout(Duration.ofSeconds(5)).components(components).build();
    }
}
