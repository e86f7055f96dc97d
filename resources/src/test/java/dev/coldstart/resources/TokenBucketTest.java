package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coldstart.core.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void allowsTheBurstAtOnceThenPacesAtTheRate() {
        AtomicLong now = new AtomicLong(0);
        TokenBucket bucket = TokenBucket.of(1_000_000, 50_000, now::get);
        assertThat(bucket.reserve(50_000)).isZero();
        // The next 100 kB cost 0.1 s of schedule.
        assertThat(bucket.reserve(100_000)).isEqualTo(100_000_000L);
        now.set(1_000_000_000L); // after a long pause the bucket holds at most the burst again
        assertThat(bucket.reserve(50_000)).isZero();
        assertThat(bucket.reserve(1_000)).isEqualTo(1_000_000L);
    }

    @Test
    void sustainedRateOverAllReservationsMatchesTheConfiguredRate() {
        AtomicLong now = new AtomicLong(0);
        TokenBucket bucket = TokenBucket.of(800_000, 40_000, now::get);
        long bytes = 0;
        while (bytes < 20_000_000) {
            now.addAndGet(bucket.reserve(16_384));
            bytes += 16_384;
        }
        double seconds = now.get() / 1e9;
        assertThat(bytes / seconds).isCloseTo(800_000, within(8_000.0));
    }

    @Test
    void limitedStreamTakesRealTimeAtTheRate() throws Exception {
        TokenBucket bucket = TokenBucket.of(2_000_000, 50_000);
        byte[] data = new byte[1_050_000];
        long t0 = System.nanoTime();
        long read;
        try (InputStream in = bucket.limit(new ByteArrayInputStream(data))) {
            read = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(read).isEqualTo(data.length);
        // (1 050 000 - 50 000 burst) / 2 MB/s = 0.5 s; never faster, with room for a busy machine.
        assertThat(took).isBetween(Duration.ofMillis(480), Duration.ofMillis(2_000));
    }

    @Test
    void progressReportsRateAndEstimate() {
        AtomicLong now = new AtomicLong(0);
        TransferProgress p = TransferProgress.start("cache", 20_000_000, Duration.ofSeconds(2), now::get);
        assertThat(p.estimatedRemaining()).isNull();
        now.set(5_000_000_000L);
        p.record(4_000_000);
        assertThat(p.fraction()).isCloseTo(0.2, within(1e-9));
        assertThat(p.bytesPerSecond()).isCloseTo(800_000, within(1.0));
        assertThat(p.estimatedRemaining()).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.describe()).isEqualTo("cache - 4.0 MB of 20.0 MB (20 %), 0.80 MB/s, about 20 s left");
        now.set(25_000_000_000L);
        p.record(16_000_000);
        assertThat(p.estimatedRemaining()).isEqualTo(Duration.ZERO);
        assertThat(p.describe()).endsWith("done in 25.0 s");
    }

    @Test
    void rejectsANonPositiveRate() {
        assertThatThrownBy(() -> TokenBucket.of(0, 1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("bytesPerSecond must be greater than 0, but was 0");
    }
}
