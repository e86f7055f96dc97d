package dev.coldstart.testkit;

import dev.coldstart.testkit.internal.scenario.BandwidthScenario;
import dev.coldstart.testkit.internal.scenario.CpuThrottleScenario;
import dev.coldstart.testkit.internal.scenario.DiskSaturationScenario;
import dev.coldstart.testkit.internal.scenario.FdExhaustionScenario;
import dev.coldstart.testkit.internal.scenario.HeapExhaustionScenario;
import org.junit.jupiter.api.Test;

/**
 * The resource scenarios CS-26 to CS-30, run with your resource configuration against real limits:
 * child JVMs under {@code ulimit -n} and a small {@code -Xmx}, cgroup trees and this machine's real
 * cgroup files, a real writer saturating the disk, a real 1 MB/s link through the testkit's TCP fault
 * proxy. Implement this interface in a test class and return your {@link ResourceProfile}; each
 * scenario runs as a JUnit test named after it and asserts every pass criterion with the figures of
 * {@link ResourceScenarioParameters}.
 *
 * <pre>{@code
 * class OrdersResourceScenariosIT implements ResourceScenarios {
 *     public ResourceProfile resourceProfile() {
 *         return ResourceProfile.builder()
 *                 .fileDescriptorHeadroom(96)
 *                 .memoryPressure(MemoryPressureConfig.builder().pressureRatio(0.75).build())
 *                 .build();
 *     }
 * }
 * }</pre>
 *
 * <p>The services the scenarios start are built from the resources module's mechanisms
 * ({@code FileDescriptorPreflight}, {@code FileDescriptorMonitor}, {@code HeapGuardedWarmup},
 * {@code CpuThrottleMonitor}, {@code DiskLatencyMonitor}, {@code TokenBucket}) configured by your
 * profile, so a profile that would let your service fail makes the scenario fail.
 */
@ColdstartScenarios
public interface ResourceScenarios {

    /**
     * How your service configures the resources module.
     *
     * @return the profile
     */
    ResourceProfile resourceProfile();

    /**
     * The figures of the scenarios.
     *
     * @return by default {@link ResourceScenarioParameters#ofDefaults()}
     */
    default ResourceScenarioParameters resourceScenarioParameters() {
        return ResourceScenarioParameters.ofDefaults();
    }

    /**
     * CS-26: a child JVM under {@code ulimit -n 256} with a pool and a server whose budget needs more.
     * Pass: the preflight fails fast naming the budget and the limit, or scales the budgets down when so
     * configured; at runtime the monitor warns at 80 % and sheds new connections at 95 %; "Too many
     * open files" never surfaces.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs26_file_descriptor_exhaustion_startup(ScenarioContext ctx) throws Exception {
        new FdExhaustionScenario(ctx, resourceProfile(), resourceScenarioParameters()).run();
    }

    /**
     * CS-27: a child JVM with a 64 MiB heap warms a 128 MiB cache. Pass: heap headroom is checked
     * before the warm-up; the memory pool thresholds stop it at the limit; the service is READY in
     * degraded mode; no {@code OutOfMemoryError}.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs27_memory_allocation_failures(ScenarioContext ctx) throws Exception {
        new HeapExhaustionScenario(ctx, resourceProfile(), resourceScenarioParameters()).run();
    }

    /**
     * CS-28: the CPU quota is read from cgroup v2 and v1 fixture trees and from this machine's real
     * files; executors are sized from the quota, not the visible cores; throttling during startup
     * ({@code nr_throttled} growing) is detected and reported and start deadlines stretch instead of
     * failing.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs28_cpu_throttling_detection(ScenarioContext ctx) throws Exception {
        new CpuThrottleScenario(ctx, resourceProfile(), resourceScenarioParameters()).run();
    }

    /**
     * CS-29: write+fsync latency of the data directory is measured at startup and at intervals; under
     * a real concurrent writer saturating the disk, and under an injectable slow probe, the service
     * reports disk pressure and defers non-critical writes instead of blocking startup.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs29_disk_io_saturation_handling(ScenarioContext ctx) throws Exception {
        new DiskSaturationScenario(ctx, resourceProfile(), resourceScenarioParameters()).run();
    }

    /**
     * CS-30: a 20 MB warm-up download over a link limited to 1 MB/s (the TCP fault proxy). Pass: the
     * warm-up goes through a token bucket below the link's capacity so health checks and dependency
     * probes stay under 100 ms; critical probes run before the bulk warm-up; progress and an estimate
     * are reported.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs30_network_bandwidth_limitations(ScenarioContext ctx) throws Exception {
        new BandwidthScenario(ctx, resourceProfile(), resourceScenarioParameters()).run();
    }
}
