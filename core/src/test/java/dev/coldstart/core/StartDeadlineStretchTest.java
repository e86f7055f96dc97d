package dev.coldstart.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The start-deadline stretch hook used by the resources module when the CPU quota is throttled. */
class StartDeadlineStretchTest {
    private static final StartPolicy SHORT = StartPolicy.of(Duration.ofMillis(300), RetryPolicy.fixed(Duration.ofMillis(50)));

    @Test
    void stretchedDeadlineLetsASlowStartFinish() throws Exception {
        CountDownLatch deadlinePassed = new CountDownLatch(1);
        Component slow = Component.builder("slow").onStart(() -> {
            // Finishes only after the original 300 ms deadline, well within 300 ms x 4.
            assertThat(deadlinePassed.await(5, TimeUnit.SECONDS)).isTrue();
        }).build();
        try (StartupOrchestrator o = StartupOrchestrator.builder().component(slow, SHORT)
                .startDeadlineStretch(() -> {
                    deadlinePassed.countDown();
                    return 4.0;
                }).build()) {
            StartupReport report = o.start();
            assertThat(report.component("slow").state()).isEqualTo(ComponentState.RUNNING);
            assertThat(deadlinePassed.getCount()).isZero();
        }
    }

    @Test
    void withoutStretchTheSameStartFailsAtItsDeadline() {
        CountDownLatch never = new CountDownLatch(1);
        Component slow = Component.builder("slow").onStart(() -> never.await(5, TimeUnit.SECONDS)).build();
        try (StartupOrchestrator o = StartupOrchestrator.builder().component(slow, SHORT)
                .startDeadlineStretch(() -> 1.0).build()) {
            assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class)
                    .hasMessageContaining("slow");
        }
    }
}
