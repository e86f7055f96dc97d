package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CS-29 with a real concurrent writer saturating the disk under the data directory. */
class DiskSaturationIT {
    private static final long MAX_WRITTEN_BYTES = 4L << 30;
    private static final long FILE_SPAN_BYTES = 64L << 20;
    private static final Duration MAX_WRITER_TIME = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void realSaturatingWriterRaisesDiskPressureAndDefersCachePersistence() throws Exception {
        DiskProbe probe = DiskProbe.fsync(dataDir, 4096);
        long[] idle = new long[9];
        for (int i = 0; i < idle.length; i++) {
            idle[i] = probe.measure().toNanos();
        }
        Arrays.sort(idle);
        // The threshold sits well above this disk's idle write+fsync latency (median of 9).
        Duration threshold = Duration.ofNanos(Math.max(2_000_000L, idle[4] * 8));
        DiskLatencyMonitor monitor = DiskLatencyMonitor.of("disk-monitor", DiskLatencyConfig.builder()
                .interval(Duration.ofMillis(25)).threshold(threshold).clearAfterSamples(3).build(), probe, dataDir.toString());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        Path big = dataDir.resolve("saturate.bin");
        Thread writer = new Thread(() -> saturate(big, stop, written), "saturating-writer");
        monitor.start();
        AtomicLong persisted = new AtomicLong();
        try {
            writer.start();
            await().atMost(Duration.ofSeconds(20)).until(monitor::underPressure);
            assertThat(monitor.submitNonCritical("cache snapshot", persisted::incrementAndGet)).isFalse();
            assertThat(monitor.pendingWrites()).isEqualTo(1);
            assertThat(persisted.get()).isZero();
            stop.set(true);
            writer.join(MAX_WRITER_TIME.toMillis());
            await().atMost(Duration.ofSeconds(20)).until(() -> !monitor.underPressure());
            await().atMost(Duration.ofSeconds(5)).until(() -> persisted.get() == 1);
            assertThat(monitor.maxLatency()).isGreaterThan(threshold);
            assertThat(written.get()).isPositive().isLessThanOrEqualTo(MAX_WRITTEN_BYTES);
        } finally {
            stop.set(true);
            writer.join(MAX_WRITER_TIME.toMillis());
            monitor.stop(Duration.ofSeconds(1));
            Files.deleteIfExists(big);
        }
    }

    /** Synchronous 1 MiB writes over a 64 MiB span, bounded in bytes and time. */
    private static void saturate(Path file, AtomicBoolean stop, AtomicLong written) {
        long deadline = System.nanoTime() + MAX_WRITER_TIME.toNanos();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.DSYNC)) {
            while (!stop.get() && System.nanoTime() < deadline && written.get() < MAX_WRITTEN_BYTES) {
                chunk.clear();
                written.addAndGet(ch.write(chunk, written.get() % FILE_SPAN_BYTES));
            }
        } catch (Exception e) {
            throw new IllegalStateException("saturating writer failed", e);
        }
    }
}
