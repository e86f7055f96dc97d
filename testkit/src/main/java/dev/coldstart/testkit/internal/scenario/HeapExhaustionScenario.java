package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.resources.MemoryPressureConfig;
import dev.coldstart.testkit.ResourceProfile;
import dev.coldstart.testkit.ResourceScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.fault.ChildJvm;
import dev.coldstart.testkit.fault.ChildJvmConfig;
import java.time.Duration;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/** CS-27 memory_allocation_failures: see {@code ResourceScenarios}. */
public final class HeapExhaustionScenario {
    private static final Pattern READY = Pattern.compile(
            "READY ready=(\\w+) degraded=\\[(.*)] settled=(\\w+) loaded=(\\d+) loadedBytes=(\\d+) stopped=(\\w+) max=(\\d+)");

    private final ScenarioContext ctx;
    private final ResourceProfile profile;
    private final ResourceScenarioParameters p;

    /**
     * Creates the scenario.
     *
     * @param ctx the context
     * @param profile the user's resource configuration
     * @param p the figures
     */
    public HeapExhaustionScenario(ScenarioContext ctx, ResourceProfile profile, ResourceScenarioParameters p) {
        this.ctx = ctx;
        this.profile = profile;
        this.p = p;
    }

    /**
     * Runs the scenario on the JVM's default collector and on the serial one (the collector a
     * container with one CPU gets), and asserts its pass criteria.
     */
    public void run() {
        runWith("default", null);
        runWith("serial", "-XX:+UseSerialGC");
    }

    private void runWith(String label, String gcFlag) {
        MemoryPressureConfig m = profile.memoryPressure();
        ChildJvmConfig.Builder b = ChildJvmConfig.builder(HeapScenarioChild.class).name("cs27-" + label)
                .maxHeapBytes(p.cs27MaxHeapBytes())
                .systemProperty("cs27.cacheBytes", String.valueOf(p.cs27CacheBytes()))
                .systemProperty("cs27.entryBytes", String.valueOf(p.cs27EntryBytes()))
                .systemProperty("cs27.pressureRatio", String.valueOf(m.pressureRatio()))
                .systemProperty("cs27.shedRatio", String.valueOf(m.shedRatio()))
                .systemProperty("cs27.interval", m.interval().toString());
        if (gcFlag != null) {
            b.jvmArgs(gcFlag);
        }
        ChildJvm child = ctx.closeAfter(ChildJvm.start(b.build()));
        int exit = child.awaitExit(Duration.ofSeconds(90));
        String out = String.join("\n", child.output());
        assertThat(out).as("no OutOfMemoryError (%s collector)", label).doesNotContain("OutOfMemoryError");
        assertThat(exit).as(out).isZero();
        MatchResult r = child.awaitMatch(READY, Duration.ofSeconds(1));
        long loaded = Long.parseLong(r.group(5));
        long max = Long.parseLong(r.group(7));
        ctx.figure(label + "GcLoadedMiB", loaded / 1048576.0);
        ctx.figure(label + "GcMaxHeapMiB", max / 1048576.0);
        assertThat(out).as("headroom checked before the warm-up").contains("exceeds the heap headroom");
        assertThat(r.group(3)).as("the warm-up settled").isEqualTo("true");
        assertThat(r.group(1)).as("READY").isEqualTo("true");
        assertThat(r.group(2)).as("degraded mode, only the warm-up").isEqualTo("cache");
        assertThat(r.group(6)).as("stopped at the threshold").isEqualTo("true");
        assertThat(out).contains("warm-up stopped at the memory threshold");
        assertThat(loaded).as("stopped at the limit, below the cache's size").isLessThan(p.cs27CacheBytes())
                .isLessThanOrEqualTo((long) (max * m.pressureRatio()));
        assertThat(out).contains("SERVED 2000 ready=true").contains("DONE");
    }
}
