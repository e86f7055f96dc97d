package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.resources.internal.Daemons;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the cgroup CPU quota at start and watches {@code nr_throttled} while the service starts
 * (CS-28): when the counter grows by {@link CpuThrottleConfig#minThrottledPeriods()}, the monitor
 * reports the throttling (WARN with periods and throttled time) and its {@link #deadlineStretch()}
 * starts returning {@link CpuThrottleConfig#stretchFactor()}, so that an orchestrator built with
 * {@code StartupOrchestrator.builder().startDeadlineStretch(monitor.deadlineStretch())} gives slowed
 * starts more time instead of failing them.
 *
 * <pre>{@code
 * CpuThrottleMonitor cpu = CpuThrottleMonitor.of(CpuThrottleConfig.ofDefaults());
 * ExecutorService workers = Executors.newFixedThreadPool(cpu.quota().threads(2.0, 2, 64));
 * StartupOrchestrator orchestrator = StartupOrchestrator.builder()
 *         .component(cpu)
 *         .maxParallelStarts(cpu.quota().threads(1.0, 1, 8))
 *         .startDeadlineStretch(cpu.deadlineStretch())
 *         ...
 * }</pre>
 *
 * <p>The quota and the baseline of the counters are read when the monitor is created (so executors
 * can be sized, and throttling counted, before anything starts); the quota is read again at
 * {@link #start()}. The stretch reads a volatile flag set by the sampler, so it
 * lags real throttling by at most one interval. As a {@link Component} it is optional and up while
 * {@code cpu.stat} can be read. Thread-safe.
 */
public final class CpuThrottleMonitor implements Component {
    /** Default component name: {@code "cpu-monitor"}. */
    public static final String DEFAULT_NAME = "cpu-monitor";

    private static final Logger log = LoggerFactory.getLogger(CpuThrottleMonitor.class);

    private final String name;
    private final CpuThrottleConfig config;
    private final CgroupCpu cgroup;
    private final DoubleSupplier stretch = this::currentStretch;
    private volatile CpuQuota quota;
    private final CpuThrottling baseline;
    private volatile CpuThrottling sinceStart = new CpuThrottling(0, 0, 0);
    private volatile boolean throttled;
    private volatile String samplingError;
    private ScheduledExecutorService scheduler;

    private CpuThrottleMonitor(String name, CpuThrottleConfig config, CgroupCpu cgroup) {
        this.name = Checks.notBlank(name, "name");
        this.config = Checks.notNull(config, "config");
        this.cgroup = Checks.notNull(cgroup, "cgroup");
        this.quota = cgroup.quota();
        this.baseline = cgroup.throttling();
    }

    /**
     * Creates a monitor named {@value #DEFAULT_NAME} of this process's cgroup.
     *
     * @param config the settings; not null
     * @return a new monitor
     */
    public static CpuThrottleMonitor of(CpuThrottleConfig config) {
        return of(DEFAULT_NAME, config, CgroupCpu.detect());
    }

    /**
     * Creates a monitor of a given cgroup reader (a fixture tree in tests).
     *
     * @param name the component name; not blank
     * @param config the settings; not null
     * @param cgroup the reader; not null
     * @return a new monitor
     * @throws java.io.UncheckedIOException if the quota files exist but cannot be read
     */
    public static CpuThrottleMonitor of(String name, CpuThrottleConfig config, CgroupCpu cgroup) {
        return new CpuThrottleMonitor(name, config, cgroup);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean required() {
        return false;
    }

    /**
     * Reads the quota again and starts sampling. Throttling counts from the monitor's creation, so
     * that what happens while other components start before this one is not missed.
     */
    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        quota = cgroup.quota();
        CpuQuota q = quota;
        log.info("{} - CPU quota {} ({}), {} CPU(s) visible: size executors from {} CPU(s); {} since created", name,
                q.quotaCpus().isPresent() ? String.format(Locale.ROOT, "%.2f CPU(s)", q.quotaCpus().getAsDouble()) : "unlimited",
                q.source(), q.visibleCpus(), q.effectiveCpus(), cgroup.throttling().since(baseline));
        scheduler = Daemons.scheduler(name);
        long every = config.interval().toNanos();
        scheduler.scheduleWithFixedDelay(this::sampleQuietly, every, every, TimeUnit.NANOSECONDS);
    }

    @Override
    public Health probe() {
        String err = samplingError;
        return err == null ? Health.up() : Health.down("cannot read cpu.stat: " + err);
    }

    /**
     * Stops sampling; the stretch keeps its last value.
     *
     * @param drainTimeout unused
     */
    @Override
    public synchronized void stop(Duration drainTimeout) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /**
     * Reads {@code cpu.stat} now and updates the throttling state; works before {@link #start()} too.
     *
     * @return the growth since the monitor was created
     * @throws java.io.UncheckedIOException if {@code cpu.stat} cannot be read
     */
    public CpuThrottling sampleNow() {
        CpuThrottling delta = cgroup.throttling().since(baseline);
        samplingError = null;
        sinceStart = delta;
        if (!throttled && delta.throttledPeriods() >= config.minThrottledPeriods()) {
            throttled = true;
            log.warn("{} - CPU throttled during startup: {} since the monitor was created, with a quota of {}; start deadlines "
                    + "stretch x{}. Raise the CPU limit or lower startup parallelism", name, delta,
                    quota.quotaCpus().isPresent() ? String.format(Locale.ROOT, "%.2f CPU(s)", quota.quotaCpus().getAsDouble())
                            : "none (a parent cgroup throttles)",
                    String.format(Locale.ROOT, "%.1f", config.stretchFactor()));
        }
        return delta;
    }

    private void sampleQuietly() {
        try {
            sampleNow();
        } catch (RuntimeException e) {
            if (samplingError == null) {
                log.warn("{} - cannot read cpu.stat: {}", name, e.toString());
            }
            samplingError = e.toString();
        }
    }

    private double currentStretch() {
        return throttled ? config.stretchFactor() : 1.0;
    }

    /**
     * The factor for {@code StartupOrchestrator.Builder#startDeadlineStretch}: 1.0 until throttling
     * is detected, then {@link CpuThrottleConfig#stretchFactor()}. One volatile read.
     *
     * @return the shared supplier
     */
    public DoubleSupplier deadlineStretch() {
        return stretch;
    }

    /**
     * Whether throttling was detected since the monitor was created.
     *
     * @return true once {@code nr_throttled} grew by the configured periods
     */
    public boolean throttled() {
        return throttled;
    }

    /**
     * The counters' growth since the monitor was created, as of the last sample.
     *
     * @return the growth
     */
    public CpuThrottling throttlingSinceStart() {
        return sinceStart;
    }

    /**
     * The quota, read at creation and again at start.
     *
     * @return the quota
     */
    public CpuQuota quota() {
        return quota;
    }

    @Override
    public String toString() {
        return "CpuThrottleMonitor[" + name + ", " + quota + (throttled ? ", throttled" : "") + "]";
    }
}
