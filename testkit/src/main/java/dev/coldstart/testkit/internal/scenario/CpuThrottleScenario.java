package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.Component;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import dev.coldstart.resources.CgroupCpu;
import dev.coldstart.resources.CpuQuota;
import dev.coldstart.resources.CpuThrottleConfig;
import dev.coldstart.resources.CpuThrottleMonitor;
import dev.coldstart.resources.CpuThrottling;
import dev.coldstart.testkit.ResourceProfile;
import dev.coldstart.testkit.ResourceScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CS-28 cpu_throttling_detection: see {@code ResourceScenarios}. The fixture trees are laid out like
 * a root filesystem in a temporary directory: a cgroup v2 container limited to 1.5 CPUs by its parent
 * on an 8-CPU host, and a cgroup v1 container (own cgroup namespace) limited to 0.5 CPU on 16 CPUs.
 */
public final class CpuThrottleScenario {
    private static final int V2_VISIBLE = 8;
    private static final int V1_VISIBLE = 16;

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
    public CpuThrottleScenario(ScenarioContext ctx, ResourceProfile profile, ResourceScenarioParameters p) {
        this.ctx = ctx;
        this.profile = profile;
        this.p = p;
    }

    /**
     * Runs the scenario and asserts its pass criteria.
     *
     * @throws Exception when it cannot run
     */
    public void run() throws Exception {
        Path root = Files.createTempDirectory("cs28-cgroups");
        ctx.closeAfter(() -> deleteTree(root));
        Path v2 = v2Tree(root.resolve("v2"));
        Path v1 = v1Tree(root.resolve("v1"));

        CpuQuota q2 = CgroupCpu.at(v2, V2_VISIBLE).quota();
        assertThat(q2.source()).isEqualTo(CpuQuota.Source.CGROUP_V2);
        assertThat(q2.quotaCpus()).hasValueCloseTo(1.5, within(1e-9));
        assertThat(q2.effectiveCpus()).isEqualTo(2);
        CpuQuota q1 = CgroupCpu.at(v1, V1_VISIBLE).quota();
        assertThat(q1.source()).isEqualTo(CpuQuota.Source.CGROUP_V1);
        assertThat(q1.quotaCpus()).hasValueCloseTo(0.5, within(1e-9));
        assertThat(q1.effectiveCpus()).isEqualTo(1);
        ctx.figure("v2QuotaCpus", q2.quotaCpus().getAsDouble());
        ctx.figure("v1QuotaCpus", q1.quotaCpus().getAsDouble());

        // Executors sized from the quota, not the visible cores.
        ThreadPoolExecutor workers = new ThreadPoolExecutor(q2.threads(2.0, 1, 64), q2.threads(2.0, 1, 64), 1,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        ctx.closeAfter(workers::shutdownNow);
        assertThat(workers.getMaximumPoolSize()).isEqualTo(4).isLessThan(V2_VISIBLE * 2);
        ctx.figure("v2PoolThreads", workers.getMaximumPoolSize());

        // This machine's real files, read as the JVM reads them.
        CgroupCpu real = CgroupCpu.detect();
        CpuQuota rq = real.quota();
        assertThat(rq.source()).isNotEqualTo(CpuQuota.Source.NONE);
        assertThat(rq.cgroupDirectory()).isDirectory();
        assertThat(rq.effectiveCpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        CpuThrottling r1 = real.throttling();
        CpuThrottling r2 = real.throttling();
        assertThat(r2.throttledPeriods()).isGreaterThanOrEqualTo(r1.throttledPeriods());
        ctx.figure("realSource", rq.source());
        ctx.figure("realQuota", rq.quotaCpus().isPresent() ? String.valueOf(rq.quotaCpus().getAsDouble()) : "unlimited");
        ctx.figure("realEffectiveCpus", rq.effectiveCpus());
        ctx.figure("realThrottledPeriods", r2.throttledPeriods());

        throttledStartStretches(v1, v2);
    }

    private void throttledStartStretches(Path v1, Path v2) throws Exception {
        CpuThrottleConfig config = profile.cpuThrottle().toBuilder().interval(Duration.ofMillis(20)).build();
        double needed = (double) p.cs28SlowStart().toNanos() / p.cs28StartTimeout().toNanos();
        assertThat(config.stretchFactor()).as("the profile's stretch factor covers the slowed start")
                .isGreaterThan(needed);
        StartPolicy policy = StartPolicy.of(p.cs28StartTimeout(), RetryPolicy.fixed(Duration.ofMillis(50)));

        // Not throttled: the slow start fails at its deadline, as it would without the monitor.
        CpuThrottleMonitor calm = CpuThrottleMonitor.of("cpu-monitor", config, CgroupCpu.at(v2, V2_VISIBLE));
        calm.start();
        try (StartupOrchestrator o = StartupOrchestrator.builder().startDeadlineStretch(calm.deadlineStretch())
                .component(slowStart(() -> { }), policy).build()) {
            assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class).hasMessageContaining("slow-start");
            assertThat(calm.throttled()).isFalse();
        } finally {
            calm.stop(Duration.ZERO);
        }

        // Throttled during startup: nr_throttled grows while the slow component starts, as the kernel
        // counts it when the quota runs out.
        CpuThrottleMonitor monitor = CpuThrottleMonitor.of("cpu-monitor", config, CgroupCpu.at(v1, V1_VISIBLE));
        Path stat = v1.resolve("sys/fs/cgroup/cpu,cpuacct/cpu.stat");
        CpuThrottling before = CgroupCpu.at(v1, V1_VISIBLE).throttling();
        Component throttledStart = slowStart(() -> writeAtomically(stat, "nr_periods " + (before.periods() + 25)
                + "\nnr_throttled " + (before.throttledPeriods() + 9)
                + "\nthrottled_time " + (before.throttledNanos() + 450_000_000L) + "\n"));
        long t0 = System.nanoTime();
        try (StartupOrchestrator o = StartupOrchestrator.builder().startDeadlineStretch(monitor.deadlineStretch())
                .component(monitor).component(throttledStart, policy).build()) {
            StartupReport report = o.start();
            assertThat(report.component("slow-start").state()).isEqualTo(ComponentState.RUNNING);
        }
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(monitor.throttled()).isTrue();
        CpuThrottling seen = monitor.throttlingSinceStart();
        assertThat(seen.throttledPeriods()).isEqualTo(9);
        ctx.figure("throttledPeriodsDetected", seen.throttledPeriods());
        ctx.figure("throttledSecondsDetected", seen.throttledNanos() / 1e9);
        ctx.figure("stretchFactor", config.stretchFactor());
        ctx.figure("stretchedStartMillis", tookMillis);
        assertThat(Duration.ofMillis(tookMillis)).isGreaterThan(p.cs28StartTimeout());
    }

    /** An I/O step a slowed start runs first. */
    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    /** A start slowed down past its deadline, as a throttled CPU slows class loading and JIT. */
    private Component slowStart(Step first) {
        long nanos = p.cs28SlowStart().toNanos();
        return Component.builder("slow-start").onStart(() -> {
            long t0 = System.nanoTime();
            first.run();
            await().atMost(p.cs28SlowStart().multipliedBy(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> System.nanoTime() - t0 >= nanos);
        }).build();
    }

    private static Path v2Tree(Path root) throws IOException {
        write(root.resolve("proc/self/cgroup"), "0::/kubepods.slice/pod1.slice/ctr.scope\n");
        write(root.resolve("proc/self/mountinfo"), "22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
                + "30 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n");
        Path cg = root.resolve("sys/fs/cgroup");
        write(cg.resolve("cpu.max"), "max 100000\n");
        write(cg.resolve("kubepods.slice/cpu.max"), "max 100000\n");
        write(cg.resolve("kubepods.slice/pod1.slice/cpu.max"), "150000 100000\n");
        write(cg.resolve("kubepods.slice/pod1.slice/ctr.scope/cpu.max"), "max 100000\n");
        write(cg.resolve("kubepods.slice/pod1.slice/ctr.scope/cpu.stat"),
                "usage_usec 2451000\nnr_periods 120\nnr_throttled 7\nthrottled_usec 350000\n");
        return root;
    }

    private static Path v1Tree(Path root) throws IOException {
        write(root.resolve("proc/self/cgroup"), "12:pids:/docker/3f2a\n5:cpu,cpuacct:/docker/3f2a\n0::/docker/3f2a\n");
        write(root.resolve("proc/self/mountinfo"), "600 500 0:50 / / rw,relatime - overlay overlay rw\n"
                + "625 620 0:30 /docker/3f2a /sys/fs/cgroup/cpu,cpuacct ro,nosuid,relatime - cgroup cgroup rw,cpu,cpuacct\n");
        Path cg = root.resolve("sys/fs/cgroup/cpu,cpuacct");
        write(cg.resolve("cpu.cfs_quota_us"), "50000\n");
        write(cg.resolve("cpu.cfs_period_us"), "100000\n");
        write(cg.resolve("cpu.stat"), "nr_periods 40\nnr_throttled 12\nthrottled_time 812000000\n");
        return root;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
