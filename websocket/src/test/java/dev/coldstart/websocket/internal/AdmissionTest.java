package dev.coldstart.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.websocket.AdmissionConfig;
import dev.coldstart.websocket.internal.Admission.Decision;
import dev.coldstart.websocket.internal.Admission.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private Admission admission(double rate, int burst, int inFlight) {
        return new Admission(AdmissionConfig.builder().permitsPerSecond(rate).burstPermits(burst)
                .maxHandshakesInFlight(inFlight).maxRetryAfter(Duration.ofSeconds(30)).build(), clock::get);
    }

    @Test
    void admitsTheBurstAtOnceThenRejectsByRate() {
        Admission a = admission(10, 5, 100);
        for (int i = 0; i < 5; i++) {
            assertThat(a.tryAdmit().outcome()).isEqualTo(Outcome.ADMITTED);
        }
        Decision d = a.tryAdmit();
        assertThat(d.outcome()).isEqualTo(Outcome.REJECTED_RATE);
        assertThat(d.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void refillsAtTheConfiguredRate() {
        Admission a = admission(10, 5, 100);
        for (int i = 0; i < 5; i++) {
            a.tryAdmit();
            a.release();
        }
        clock.addAndGet(300_000_000L);
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            if (a.tryAdmit().outcome() == Outcome.ADMITTED) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(3);
    }

    @Test
    void capsHandshakesInFlightUntilReleased() {
        Admission a = admission(1000, 100, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(a.tryAdmit().outcome()).isEqualTo(Outcome.ADMITTED);
        }
        Decision d = a.tryAdmit();
        assertThat(d.outcome()).isEqualTo(Outcome.REJECTED_IN_FLIGHT);
        assertThat(d.retryAfterSeconds()).isEqualTo(1);
        a.release();
        assertThat(a.tryAdmit().outcome()).isEqualTo(Outcome.ADMITTED);
        assertThat(a.peakInFlight()).isEqualTo(3);
        assertThat(a.inFlight()).isEqualTo(3);
    }

    @Test
    void spreadsRetryAfterHintsSoRejectedClientsReturnAtTheAdmittedRate() {
        Admission a = admission(100, 10, 10_000);
        for (int i = 0; i < 10; i++) {
            a.tryAdmit();
        }
        List<Long> hints = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            hints.add(a.tryAdmit().retryAfterSeconds());
        }
        assertThat(hints).isSorted();
        assertThat(hints.get(0)).isEqualTo(1);
        assertThat(hints.get(999)).isEqualTo(10);
        assertThat(hints.stream().filter(h -> h == 5).count()).isEqualTo(100);
    }

    @Test
    void capsTheHintAtMaxRetryAfter() {
        Admission a = new Admission(AdmissionConfig.builder().permitsPerSecond(1).burstPermits(1)
                .maxRetryAfter(Duration.ofSeconds(3)).build(), clock::get);
        a.tryAdmit();
        long last = 0;
        for (int i = 0; i < 20; i++) {
            last = a.tryAdmit().retryAfterSeconds();
        }
        assertThat(last).isEqualTo(3);
    }
}
