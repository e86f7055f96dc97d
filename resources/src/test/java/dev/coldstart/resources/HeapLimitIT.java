package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.resources.child.HeapServiceMain;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** CS-27 at module level: a child JVM with -Xmx64m warms a 128 MB cache. */
class HeapLimitIT {
    private static final Pattern READY = Pattern.compile(
            "READY ready=(\\w+) degraded=\\[(.*)] loaded=(\\d+) loadedBytes=(\\d+) stopped=(\\w+) max=(\\d+)");

    @Test
    void stopsTheWarmupAtTheThresholdAndIsReadyDegradedWithoutOutOfMemoryError() throws Exception {
        for (String gc : List.of("-XX:+UseG1GC", "-XX:+UseSerialGC")) {
            try (ChildJvmProcess child = ChildJvmProcess.start(0, List.of("-Xmx64m", gc), HeapServiceMain.class, "128", "16")) {
                int exit = child.awaitExit(Duration.ofSeconds(60));
                String out = child.output();
                assertThat(exit).as(gc + "\n" + out).isZero();
                assertThat(out).doesNotContain("OutOfMemoryError").contains("SERVED 2000").contains("DONE");
                Matcher m = READY.matcher(out);
                assertThat(m.find()).as(out).isTrue();
                assertThat(m.group(1)).isEqualTo("true");
                assertThat(m.group(2)).isEqualTo("cache");
                assertThat(m.group(5)).isEqualTo("true");
                long loaded = Long.parseLong(m.group(4));
                long max = Long.parseLong(m.group(6));
                // Stopped at the 80 % threshold: more than half the heap loaded, never the whole cache.
                assertThat(loaded).as(gc).isGreaterThan(max / 2).isLessThan((long) (max * 0.85));
                assertThat(out).contains("exceeds the heap headroom").contains("warm-up stopped at the memory threshold");
            }
        }
    }
}
