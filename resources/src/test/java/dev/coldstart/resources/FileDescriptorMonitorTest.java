package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FileDescriptorMonitorTest {

    @Test
    void warnsAt80ShedsAt95AndClearsBelow90() {
        AtomicLong open = new AtomicLong(100);
        LoadShedder shedder = LoadShedder.create();
        FileDescriptorMonitor monitor = FileDescriptorMonitor.of("fd-monitor", FileDescriptorMonitorConfig.ofDefaults(),
                shedder, () -> FileDescriptorUsage.of(open.get(), 256));
        assertThat(monitor.sampleNow().open()).isEqualTo(100);
        assertThat(monitor.level()).isEqualTo(FileDescriptorMonitor.Level.NORMAL);

        open.set(204); // 79.7 %
        monitor.sampleNow();
        assertThat(monitor.level()).isEqualTo(FileDescriptorMonitor.Level.NORMAL);
        open.set(205); // 80.1 %
        monitor.sampleNow();
        assertThat(monitor.level()).isEqualTo(FileDescriptorMonitor.Level.WARN);
        assertThat(shedder.shouldShed()).isFalse();

        open.set(243); // 94.9 %
        monitor.sampleNow();
        assertThat(shedder.shouldShed()).isFalse();
        open.set(244); // 95.3 %
        monitor.sampleNow();
        assertThat(monitor.level()).isEqualTo(FileDescriptorMonitor.Level.SHED);
        assertThat(shedder.shouldShed()).isTrue();
        assertThat(shedder.reason()).contains("244 of 256 open files");

        open.set(231); // 90.2 %: still shedding, the gap keeps it from flapping
        monitor.sampleNow();
        assertThat(shedder.shouldShed()).isTrue();
        open.set(230); // 89.8 %
        monitor.sampleNow();
        assertThat(shedder.shouldShed()).isFalse();
        assertThat(monitor.level()).isEqualTo(FileDescriptorMonitor.Level.WARN);
    }

    @Test
    void samplesPeriodicallyAndClearsItsSheddingWhenStopped() {
        AtomicLong open = new AtomicLong(10);
        LoadShedder shedder = LoadShedder.create();
        FileDescriptorMonitor monitor = FileDescriptorMonitor.of("fd-monitor",
                FileDescriptorMonitorConfig.builder().interval(Duration.ofMillis(20)).build(), shedder,
                () -> FileDescriptorUsage.of(open.get(), 100));
        monitor.start();
        try {
            open.set(99);
            await().atMost(Duration.ofSeconds(5)).until(shedder::shouldShed);
            assertThat(monitor.probe().isUp()).isTrue();
        } finally {
            monitor.stop(Duration.ZERO);
        }
        assertThat(shedder.shouldShed()).isFalse();
    }

    @Test
    void reportsDownWhenSamplingFails() {
        FileDescriptorMonitor monitor = FileDescriptorMonitor.of("fd-monitor",
                FileDescriptorMonitorConfig.builder().interval(Duration.ofMillis(20)).build(), LoadShedder.disabled(),
                new java.util.function.Supplier<>() {
                    private int calls;

                    @Override
                    public FileDescriptorUsage get() {
                        if (calls++ > 0) {
                            throw new IllegalStateException("EMFILE");
                        }
                        return FileDescriptorUsage.of(1, 10);
                    }
                });
        monitor.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> !monitor.probe().isUp());
            assertThat(monitor.probe().reason()).contains("EMFILE");
        } finally {
            monitor.stop(Duration.ZERO);
        }
    }
}
