package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.Component;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuThrottleMonitorTest {
    private static final StartPolicy DEADLINE_400MS = StartPolicy.of(Duration.ofMillis(400), RetryPolicy.fixed(Duration.ofMillis(50)));

    @TempDir
    Path tree;

    private Path statFile() {
        return tree.resolve("sys/fs/cgroup/cpu,cpuacct/cpu.stat");
    }

    private void copyFixture() throws Exception {
        Path from = CgroupCpuTest.fixture("v1");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = tree.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }

    private void writeStat(long periods, long throttled) throws IOException {
        Path tmp = statFile().resolveSibling("cpu.stat.tmp");
        Files.writeString(tmp, "nr_periods " + periods + "\nnr_throttled " + throttled + "\nthrottled_time " + throttled * 50_000_000L + "\n");
        Files.move(tmp, statFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private CpuThrottleMonitor monitor(double factor) {
        return CpuThrottleMonitor.of("cpu-monitor", CpuThrottleConfig.builder().interval(Duration.ofMillis(20))
                .stretchFactor(factor).build(), CgroupCpu.at(tree, 16));
    }

    /** A start that takes 800 ms: twice its 400 ms deadline, well within 400 ms x 3. */
    private static Component slowStart() {
        return Component.builder("slow").onStart(() -> {
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> System.nanoTime() - t0 >= 800_000_000L);
        }).build();
    }

    @Test
    void detectsGrowingNrThrottledAndReportsIt() throws Exception {
        copyFixture();
        CpuThrottleMonitor monitor = monitor(2.0);
        assertThat(monitor.quota().effectiveCpus()).isEqualTo(1);
        monitor.start();
        try {
            assertThat(monitor.sampleNow().throttledPeriods()).isZero();
            assertThat(monitor.deadlineStretch().getAsDouble()).isEqualTo(1.0);
            writeStat(60, 20);
            await().atMost(Duration.ofSeconds(5)).until(monitor::throttled);
            assertThat(monitor.throttlingSinceStart().throttledPeriods()).isEqualTo(8);
            assertThat(monitor.throttlingSinceStart().periods()).isEqualTo(20);
            assertThat(monitor.deadlineStretch().getAsDouble()).isEqualTo(2.0);
        } finally {
            monitor.stop(Duration.ZERO);
        }
    }

    @Test
    void stretchesTheStartDeadlineInsteadOfFailingWhenThrottled() throws Exception {
        copyFixture();
        CpuThrottleMonitor monitor = monitor(3.0);
        monitor.start();
        writeStat(80, 30);
        await().atMost(Duration.ofSeconds(5)).until(monitor::throttled);
        try (StartupOrchestrator o = StartupOrchestrator.builder().startDeadlineStretch(monitor.deadlineStretch())
                .component(slowStart(), DEADLINE_400MS).build()) {
            StartupReport report = o.start();
            assertThat(report.component("slow").state()).isEqualTo(ComponentState.RUNNING);
        } finally {
            monitor.stop(Duration.ZERO);
        }
    }

    @Test
    void withoutThrottlingTheSameStartFailsAtItsDeadline() throws Exception {
        copyFixture();
        CpuThrottleMonitor monitor = monitor(3.0);
        monitor.start();
        try (StartupOrchestrator o = StartupOrchestrator.builder().startDeadlineStretch(monitor.deadlineStretch())
                .component(slowStart(), DEADLINE_400MS).build()) {
            assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class).hasMessageContaining("slow");
            assertThat(monitor.throttled()).isFalse();
        } finally {
            monitor.stop(Duration.ZERO);
        }
    }

    @Test
    void rejectsAStretchFactorOutOfRange() {
        assertThatThrownBy(() -> CpuThrottleConfig.builder().stretchFactor(0.5)).isInstanceOf(ConfigurationException.class)
                .hasMessage("stretchFactor must be between 1.0 and 10.0, but was 0.5");
    }
}
