package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.Component;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.Health;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CS-10: an optional component down at startup gives degraded READY and a flag that follows it. */
class FeatureFlagsTest {
    private static final RetryPolicy FAST = RetryPolicy.builder().initialBackoff(Duration.ofMillis(10))
            .maxBackoff(Duration.ofMillis(50)).circuitBreakerFailureThreshold(100_000).build();

    private final AtomicBoolean recommendationsUp = new AtomicBoolean(false);
    private final StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName("cs10")
            .probeInterval(Duration.ofMillis(50))
            .component(Component.builder("db").build())
            .component(Component.builder("recommendations").optional()
                    .probe(() -> recommendationsUp.get() ? Health.up()
                            : Health.down("recommendations at 127.0.0.1:9 refused the connection"))
                    .build(), StartPolicy.of(Duration.ofMillis(300), FAST))
            .build();

    @AfterEach
    void stop() {
        orchestrator.stop();
    }

    @Test
    void flagIsOffInDegradedReadyAndFollowsTheBackgroundRetryBothWays() {
        FeatureFlags flags = FeatureFlags.attach(orchestrator);
        FeatureFlag recommendations = flags.flag("recommendations");
        assertThat(recommendations.isOn()).as("before start").isFalse();

        orchestrator.start();
        assertThat(orchestrator.isReady()).isTrue();
        // READY does not wait for the optional component; its first failure lands soon after.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> flags.availability().component("recommendations").lastError() != null);
        assertThat(flags.availability().state()).isEqualTo(ServiceState.READY);
        assertThat(flags.availability().degradedComponents()).containsExactly("recommendations");
        assertThat(flags.availability().component("recommendations").lastError())
                .contains("recommendations at 127.0.0.1:9 refused the connection");
        assertThat(recommendations.isOn()).isFalse();
        assertThat(recommendations.getAsBoolean()).isFalse();
        assertThat(flags.isOn("db")).isTrue();

        recommendationsUp.set(true);
        await().atMost(Duration.ofSeconds(10)).until(recommendations::isOn);
        assertThat(flags.availability().isDegraded()).isFalse();
        assertThat(flags.availability().component("recommendations").state()).isEqualTo(ComponentState.RUNNING);

        // The periodic probe fails again: the flag goes off, readiness stays up (optional component).
        recommendationsUp.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !recommendations.isOn());
        assertThat(orchestrator.isReady()).isTrue();
        assertThat(recommendations.toString()).isEqualTo("FeatureFlag{recommendations=off}");
    }

    @Test
    void unknownComponentsAreRejectedForFlagsAndReadOff() {
        FeatureFlags flags = FeatureFlags.attach(orchestrator);
        assertThatThrownBy(() -> flags.flag("recomendations")).isInstanceOf(ConfigurationException.class)
                .hasMessage("component must be one of [db, recommendations], but was \"recomendations\"");
        assertThat(flags.isOn("nothing")).isFalse();
    }
}
