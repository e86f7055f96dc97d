package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.ConfigurationException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * CS-29 with an injectable probe: deterministic latencies. The threshold is far above anything a
 * stalled test thread could make a real measurement take, as the monitor also counts a measurement
 * still running past the threshold as pressure.
 */
class DiskLatencyMonitorTest {
    private static final DiskLatencyConfig FAST = DiskLatencyConfig.builder().interval(Duration.ofMillis(20))
            .threshold(Duration.ofSeconds(2)).clearAfterSamples(3).build();

    @Test
    void reportsPressureDefersNonCriticalWritesAndRunsThemInOrderWhenItEnds() throws Exception {
        AtomicReference<Duration> latency = new AtomicReference<>(Duration.ofMillis(1));
        DiskLatencyMonitor monitor = DiskLatencyMonitor.of("disk-monitor", FAST, latency::get, "/data");
        List<String> writes = new CopyOnWriteArrayList<>();
        monitor.start();
        try {
            assertThat(monitor.underPressure()).isFalse();
            assertThat(monitor.lastLatency()).isEqualTo(Duration.ofMillis(1));
            assertThat(monitor.submitNonCritical("w0", () -> writes.add("w0"))).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> monitor.completedWrites() == 1);

            latency.set(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(monitor::underPressure);
            for (int i = 1; i <= 3; i++) {
                String w = "w" + i;
                assertThat(monitor.submitNonCritical(w, () -> writes.add(w))).isFalse();
            }
            assertThat(monitor.pendingWrites()).isEqualTo(3);
            assertThat(monitor.deferredWrites()).isEqualTo(3);
            assertThat(writes).containsExactly("w0");
            assertThat(monitor.maxLatency()).isEqualTo(Duration.ofSeconds(10));

            latency.set(Duration.ofMillis(2));
            await().atMost(Duration.ofSeconds(5)).until(() -> !monitor.underPressure());
            await().atMost(Duration.ofSeconds(5)).until(() -> monitor.completedWrites() == 4);
            assertThat(writes).containsExactly("w0", "w1", "w2", "w3");
            assertThat(monitor.probe().isUp()).isTrue();
        } finally {
            monitor.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void aHangingFsyncIsReportedAsPressureWithoutBlockingStartup() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DiskLatencyMonitor monitor = DiskLatencyMonitor.of("disk-monitor", DiskLatencyConfig.builder()
                .threshold(Duration.ofMillis(100)).interval(Duration.ofMillis(20)).build(), () -> {
                    long t0 = System.nanoTime();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("probe interrupted");
                    }
                    return Duration.ofNanos(System.nanoTime() - t0);
                }, "/data");
        long t0 = System.nanoTime();
        try {
            monitor.start();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            assertThat(monitor.underPressure()).isTrue();
            assertThat(monitor.submitNonCritical("snapshot", () -> { })).isFalse();
        } finally {
            release.countDown();
            monitor.stop(Duration.ofSeconds(1));
        }
        assertThat(monitor.droppedWrites()).isEqualTo(1);
    }

    @Test
    void dropsTheOldestDeferredWriteWhenTheQueueIsFull() throws Exception {
        DiskLatencyMonitor monitor = DiskLatencyMonitor.of("disk-monitor", FAST.toBuilder().maxDeferredWrites(2).build(),
                () -> Duration.ofSeconds(10), "/data");
        monitor.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(monitor::underPressure);
            monitor.submitNonCritical("a", () -> { });
            monitor.submitNonCritical("b", () -> { });
            monitor.submitNonCritical("c", () -> { });
            assertThat(monitor.pendingWrites()).isEqualTo(2);
            assertThat(monitor.droppedWrites()).isEqualTo(1);
        } finally {
            monitor.stop(Duration.ZERO);
        }
    }

    @Test
    void rejectsInvalidSettingsWithTheFieldAndValue() {
        assertThatThrownBy(() -> DiskLatencyConfig.builder().threshold(Duration.ZERO)).isInstanceOf(ConfigurationException.class)
                .hasMessage("threshold must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> DiskProbe.fsync(java.nio.file.Paths.get("/tmp"), 0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("bytes must be between 1 and 1048576, but was 0");
    }
}
