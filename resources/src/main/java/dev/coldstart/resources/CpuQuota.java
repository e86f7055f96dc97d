package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The CPU a process may use, read from its cgroup by {@link CgroupCpu}: the CFS quota as a number of
 * CPUs ({@code quota / period}), the CPUs the JVM sees, and the effective count that executors should
 * be sized from (CS-28).
 *
 * <p>Immutable and thread-safe.
 */
public final class CpuQuota {
    /** Where the quota was read. */
    public enum Source {
        /** cgroup v2 ({@code cpu.max}). */
        CGROUP_V2,
        /** cgroup v1 ({@code cpu.cfs_quota_us} / {@code cpu.cfs_period_us}). */
        CGROUP_V1,
        /** No cgroup CPU controller found (not Linux, or no cgroup mounted). */
        NONE
    }

    private final Source source;
    private final double quotaCpus;
    private final long periodMicros;
    private final int visibleCpus;
    private final Path cgroupDirectory;

    CpuQuota(Source source, double quotaCpus, long periodMicros, int visibleCpus, Path cgroupDirectory) {
        this.source = source;
        this.quotaCpus = quotaCpus;
        this.periodMicros = periodMicros;
        this.visibleCpus = visibleCpus;
        this.cgroupDirectory = cgroupDirectory;
    }

    /**
     * Where the quota was read.
     *
     * @return the source
     */
    public Source source() {
        return source;
    }

    /**
     * The CFS quota in CPUs: {@code quota / period}, the most restrictive along the cgroup path.
     *
     * @return the quota, for example 1.5; empty when unlimited ({@code max} or {@code -1})
     */
    public OptionalDouble quotaCpus() {
        return quotaCpus > 0 ? OptionalDouble.of(quotaCpus) : OptionalDouble.empty();
    }

    /**
     * The CFS period.
     *
     * @return microseconds; 0 when no cgroup was found
     */
    public long periodMicros() {
        return periodMicros;
    }

    /**
     * The CPUs the JVM sees ({@link Runtime#availableProcessors()} unless given otherwise): the host's
     * cores or the cpuset.
     *
     * @return at least 1
     */
    public int visibleCpus() {
        return visibleCpus;
    }

    /**
     * The cgroup directory the quota was read from.
     *
     * @return the directory, or null when {@link Source#NONE}
     */
    public Path cgroupDirectory() {
        return cgroupDirectory;
    }

    /**
     * The CPUs to size executors from: the quota rounded up (as the JVM does), never above the visible
     * CPUs and never below 1; the visible CPUs when there is no quota.
     *
     * @return at least 1
     */
    public int effectiveCpus() {
        if (quotaCpus <= 0) {
            return visibleCpus;
        }
        return (int) Math.max(1, Math.min(visibleCpus, Math.ceil(quotaCpus)));
    }

    /**
     * A thread count for an executor sized from the quota, for example 2 threads per CPU for
     * blocking work or 1 for CPU-bound work.
     *
     * @param threadsPerCpu threads per effective CPU; between 0.1 and 1000
     * @param min the smallest result; at least 1
     * @param max the largest result; at least {@code min}
     * @return {@code ceil(effectiveCpus() x threadsPerCpu)} clamped to {@code [min, max]}
     * @throws dev.coldstart.core.ConfigurationException if an argument breaks its rule
     */
    public int threads(double threadsPerCpu, int min, int max) {
        Checks.inRange(threadsPerCpu, 0.1, 1000, "threadsPerCpu");
        Checks.positive(min, "min");
        Checks.check(max >= min, "max must be greater than or equal to min (" + min + "), but was " + max);
        long n = (long) Math.ceil(effectiveCpus() * threadsPerCpu);
        return (int) Math.max(min, Math.min(max, n));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CpuQuota{source=%s, quota=%s, period=%d us, visible=%d, effective=%d, dir=%s}", source,
                quotaCpus > 0 ? String.format(Locale.ROOT, "%.2f CPUs", quotaCpus) : "unlimited", periodMicros, visibleCpus,
                effectiveCpus(), cgroupDirectory);
    }
}
