package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MemoryPressureMonitorTest {

    @Test
    void setsTheTenuredPoolThresholdsAndResetsThemWhenStopped() {
        List<MemoryPoolMXBean> tenured = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isUsageThresholdSupported() && p.getUsage().getMax() > 0)
                .collect(Collectors.toList());
        assertThat(tenured).isNotEmpty();
        MemoryPressureMonitor monitor = MemoryPressureMonitor.of(MemoryPressureConfig.ofDefaults(), LoadShedder.create());
        monitor.start();
        try {
            for (MemoryPoolMXBean p : tenured) {
                assertThat(p.getUsageThreshold()).isEqualTo((long) (p.getUsage().getMax() * 0.80));
                assertThat(p.getCollectionUsageThreshold()).isEqualTo((long) (p.getUsage().getMax() * 0.90));
            }
            assertThat(monitor.checkNow()).isFalse();
            assertThat(monitor.isUnderPressure()).isFalse();
            assertThat(monitor.probe().isUp()).isTrue();
        } finally {
            monitor.stop(Duration.ZERO);
        }
        for (MemoryPoolMXBean p : tenured) {
            assertThat(p.getUsageThreshold()).isZero();
        }
    }

    @Test
    void warmupThatFitsCompletesAndIsHealthy() throws Exception {
        MemoryPressureMonitor monitor = MemoryPressureMonitor.of(MemoryPressureConfig.ofDefaults(), LoadShedder.disabled());
        monitor.start();
        try {
            int[] left = {100};
            HeapGuardedWarmup warmup = HeapGuardedWarmup.builder("small", monitor, () -> left[0]-- > 0)
                    .estimatedBytes(1024).build();
            assertThat(warmup.required()).isFalse();
            warmup.start();
            assertThat(warmup.completed()).isTrue();
            assertThat(warmup.loadedSteps()).isEqualTo(100);
            assertThat(warmup.probe().isUp()).isTrue();
        } finally {
            monitor.stop(Duration.ZERO);
        }
    }

    @Test
    void rejectsAShedRatioBelowThePressureRatio() {
        assertThatThrownBy(() -> MemoryPressureConfig.builder().pressureRatio(0.9).shedRatio(0.8).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("shedRatio must be greater than or equal to pressureRatio (0.9), but was 0.8");
        assertThatThrownBy(() -> MemoryPressureConfig.builder().pressureRatio(1.5))
                .isInstanceOf(ConfigurationException.class).hasMessage("pressureRatio must be between 0.1 and 0.99, but was 1.5");
    }
}
