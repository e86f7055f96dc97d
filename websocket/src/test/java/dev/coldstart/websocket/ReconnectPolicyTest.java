package dev.coldstart.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

    @Test
    void neverRetriesBeforeRetryAfterAndSpreadsOverItsWholeSecond() {
        ReconnectPolicy p = ReconnectPolicy.ofDefaults();
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            Duration d = p.delayBeforeNextAttempt(1, Duration.ofSeconds(3));
            assertThat(d).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(4));
            max = Math.max(max, d.toMillis());
        }
        assertThat(max).isGreaterThan(3800);
        Duration later = p.delayBeforeNextAttempt(8, Duration.ofSeconds(3));
        assertThat(later).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(13));
    }

    @Test
    void backsOffExponentiallyWithFullJitterWithoutAHint() {
        ReconnectPolicy p = ReconnectPolicy.ofDefaults();
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 2000; i++) {
            long ms = p.delayBeforeNextAttempt(4, null).toMillis();
            max = Math.max(max, ms);
            min = Math.min(min, ms);
        }
        assertThat(max).isLessThanOrEqualTo(2000).isGreaterThan(1500);
        assertThat(min).isLessThan(500);
        assertThat(p.delayBeforeNextAttempt(30, null)).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void capsAnAbsurdRetryAfter() {
        ReconnectPolicy p = ReconnectPolicy.builder().maxRetryAfter(Duration.ofSeconds(5))
                .backoff(RetryPolicy.builder().initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(1)).build())
                .build();
        assertThat(p.delayBeforeNextAttempt(1, Duration.ofHours(1))).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
    }

    @Test
    void treatsAuthAndNotFoundAsPermanentButNotServiceUnavailable() {
        ReconnectPolicy p = ReconnectPolicy.ofDefaults();
        assertThat(p.isPermanent(401)).isTrue();
        assertThat(p.isPermanent(403)).isTrue();
        assertThat(p.isPermanent(503)).isFalse();
        assertThat(p.isPermanent(429)).isFalse();
    }
}
