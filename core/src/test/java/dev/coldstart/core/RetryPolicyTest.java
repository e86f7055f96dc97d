package dev.coldstart.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void ceilingGrowsExponentiallyUpToTheCap() {
        RetryPolicy p = RetryPolicy.builder().initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(1000)).multiplier(2).build();
        assertThat(p.backoffCeiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoffCeiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoffCeiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(p.backoffCeiling(5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(p.backoffCeiling(60)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void fullJitterDrawsUniformlyBetweenZeroAndTheCeiling() {
        RetryPolicy p = RetryPolicy.builder().initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(1000)).build();
        long min = Long.MAX_VALUE;
        long max = 0;
        double sum = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            long d = p.intervalFunction().apply(4);
            assertThat(d).isBetween(0L, 800L);
            min = Math.min(min, d);
            max = Math.max(max, d);
            sum += d;
        }
        assertThat(min).isLessThan(40);
        assertThat(max).isGreaterThan(760);
        assertThat(sum / n).isBetween(380.0, 420.0);
    }

    @Test
    void fixedPolicyHasNoJitterAndNoBreaker() {
        RetryPolicy p = RetryPolicy.fixed(Duration.ofMillis(500));
        assertThat(p.intervalFunction().apply(1)).isEqualTo(500);
        assertThat(p.intervalFunction().apply(9)).isEqualTo(500);
        assertThat(p.circuitBreakerFailureThreshold()).isZero();
    }

    @Test
    void rejectsCapBelowInitialBackoffNamingBothValues() {
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(50)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("maxBackoff must be greater than or equal to initialBackoff (PT0.1S), but was PT0.05S");
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheField() {
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5))
                .hasMessage("multiplier must be between 1.0 and 10.0, but was 0.5");
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(-3))
                .hasMessage("maxAttempts must be greater than or equal to 0, but was -3");
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ZERO))
                .hasMessage("initialBackoff must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> StartPolicy.of(Duration.ofSeconds(-1), RetryPolicy.ofDefaults()))
                .hasMessage("startTimeout must be greater than 0, but was PT-1S");
        assertThatThrownBy(() -> StartupOrchestrator.builder().maxParallelStarts(0))
                .hasMessage("maxParallelStarts must be greater than 0, but was 0");
    }

    @Test
    void toBuilderKeepsEveryValue() {
        RetryPolicy p = RetryPolicy.builder().initialBackoff(Duration.ofMillis(7)).maxBackoff(Duration.ofMillis(70))
                .multiplier(3).maxAttempts(4).jitter(RetryPolicy.Jitter.NONE).circuitBreakerFailureThreshold(2)
                .circuitBreakerOpenDuration(Duration.ofSeconds(2)).build();
        assertThat(p.toBuilder().build()).hasToString(p.toString());
    }
}
