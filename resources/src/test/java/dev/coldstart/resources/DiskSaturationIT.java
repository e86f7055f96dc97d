package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CS-29 with real concurrent writers saturating the disk under the data directory. They write as a
 * database checkpoint does (buffered, fdatasync every 64 MiB): on a virtual disk with a host
 * write-back cache, {@code O_DSYNC} writers barely move a 4 KiB write+fsync probe.
 */
class DiskSaturationIT {
    private static final long MAX_WRITTEN_BYTES = 16L << 30;
    private static final long FILE_SPAN_BYTES = 256L << 20;
    private static final long CHECKPOINT_BYTES = 64L << 20;
    private static final int WRITERS = 2;
    private static final Duration MAX_WRITER_TIME = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void realSaturatingWriterRaisesDiskPressureAndDefersCachePersistence() throws Exception {
        DiskProbe probe = DiskProbe.fsync(dataDir, 4096);
        long[] idle = new long[25];
        for (int i = 0; i < idle.length; i++) {
            idle[i] = probe.measure().toNanos();
        }
        Arrays.sort(idle);
        // The threshold sits well above this disk's idle write+fsync latency (median of 25).
        Duration threshold = Duration.ofNanos(Math.max(2_000_000L, idle[12] * 8));
        DiskLatencyMonitor monitor = DiskLatencyMonitor.of("disk-monitor", DiskLatencyConfig.builder()
                .interval(Duration.ofMillis(25)).threshold(threshold).clearAfterSamples(40).build(), probe, dataDir.toString());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Path file = dataDir.resolve("saturate-" + w + ".bin");
            writers.add(new Thread(() -> saturate(file, stop, written), "saturating-writer-" + w));
        }
        monitor.start();
        AtomicLong persisted = new AtomicLong();
        try {
            writers.forEach(Thread::start);
            await().atMost(Duration.ofSeconds(20)).until(monitor::underPressure);
            // Pressure ends only after 40 calm samples (1 s), so a calm gap between slow samples does not race this check.
            assertThat(monitor.submitNonCritical("cache snapshot", persisted::incrementAndGet)).isFalse();
            assertThat(monitor.pendingWrites()).isEqualTo(1);
            assertThat(persisted.get()).isZero();
            stopAll(stop, writers);
            await().atMost(Duration.ofSeconds(20)).until(() -> !monitor.underPressure());
            await().atMost(Duration.ofSeconds(5)).until(() -> persisted.get() == 1);
            assertThat(monitor.maxLatency()).isGreaterThan(threshold);
            assertThat(written.get()).isPositive().isLessThanOrEqualTo(MAX_WRITTEN_BYTES);
        } finally {
            stopAll(stop, writers);
            monitor.stop(Duration.ofSeconds(1));
        }
    }

    private static void stopAll(AtomicBoolean stop, List<Thread> writers) throws InterruptedException {
        stop.set(true);
        for (Thread writer : writers) {
            writer.join(MAX_WRITER_TIME.toMillis());
        }
    }

    /** Buffered 1 MiB writes over a 256 MiB span, fdatasync every 64 MiB, bounded in bytes (shared) and time. */
    private static void saturate(Path file, AtomicBoolean stop, AtomicLong written) {
        long deadline = System.nanoTime() + MAX_WRITER_TIME.toNanos();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        long position = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (!stop.get() && System.nanoTime() < deadline) {
                // Reserve the chunk before writing it, so the writers together never pass the byte bound.
                if (written.addAndGet(chunk.capacity()) > MAX_WRITTEN_BYTES) {
                    written.addAndGet(-chunk.capacity());
                    break;
                }
                chunk.clear();
                while (chunk.hasRemaining()) {
                    position += ch.write(chunk, position);
                }
                if (position % CHECKPOINT_BYTES == 0) {
                    ch.force(false);
                }
                position %= FILE_SPAN_BYTES;
            }
        } catch (Exception e) {
            throw new IllegalStateException("saturating writer failed", e);
        }
    }
}
