package dev.coldstart.resources;

import java.util.Locale;

/**
 * The throttling counters of a cgroup's {@code cpu.stat}: CFS periods elapsed, periods in which the
 * cgroup was throttled, and the time it spent throttled. Counters grow from the cgroup's creation;
 * compare two readings with {@link #since(CpuThrottling)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class CpuThrottling {
    private final long periods;
    private final long throttledPeriods;
    private final long throttledNanos;

    CpuThrottling(long periods, long throttledPeriods, long throttledNanos) {
        this.periods = periods;
        this.throttledPeriods = throttledPeriods;
        this.throttledNanos = throttledNanos;
    }

    /**
     * {@code nr_periods}: CFS periods with runnable tasks.
     *
     * @return zero or more
     */
    public long periods() {
        return periods;
    }

    /**
     * {@code nr_throttled}: periods in which the quota ran out.
     *
     * @return zero or more
     */
    public long throttledPeriods() {
        return throttledPeriods;
    }

    /**
     * {@code throttled_usec} (v2) or {@code throttled_time} (v1), in nanoseconds.
     *
     * @return zero or more
     */
    public long throttledNanos() {
        return throttledNanos;
    }

    /**
     * The growth since an earlier reading.
     *
     * @param earlier an earlier reading of the same cgroup; not null
     * @return the differences, never negative
     */
    public CpuThrottling since(CpuThrottling earlier) {
        return new CpuThrottling(Math.max(0, periods - earlier.periods), Math.max(0, throttledPeriods - earlier.throttledPeriods),
                Math.max(0, throttledNanos - earlier.throttledNanos));
    }

    /**
     * The throttled share of the periods.
     *
     * @return {@code throttledPeriods / periods}, 0 when no period elapsed
     */
    public double throttledRatio() {
        return periods == 0 ? 0 : (double) throttledPeriods / periods;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "throttled in %d of %d periods (%.0f %%), %.3f s throttled", throttledPeriods, periods,
                throttledRatio() * 100, throttledNanos / 1e9);
    }
}
