/**
 * Resource preflights and runtime monitors for coldstart: file descriptors, heap, cgroup CPU quota and
 * throttling, disk latency and bandwidth, with one {@link dev.coldstart.resources.LoadShedder} shared
 * by every monitor and admission point (scenarios CS-26 to CS-30).
 *
 * <p>Everything is read from what the JVM and the kernel report rather than estimated:
 * {@code com.sun.management.UnixOperatingSystemMXBean} and {@code /proc/self/limits} for descriptors,
 * {@link java.lang.management.MemoryPoolMXBean} thresholds and
 * {@link java.lang.management.MemoryMXBean} notifications for the heap, {@code /proc/self/cgroup},
 * {@code /proc/self/mountinfo} and the cgroup v1/v2 files for the CPU, a timed write+fsync for the
 * disk. Every preflight and monitor is a {@link dev.coldstart.core.Component}, so it appears in the
 * startup report and its probe in readiness.
 *
 * <p>Why no third-party library: Micrometer's binders ({@code FileDescriptorMetrics},
 * {@code JvmMemoryMetrics}, {@code ProcessorMetrics}) publish the same MXBean values as gauges into a
 * {@code MeterRegistry}, but make no decision (no preflight, thresholds, shedding) and do not read
 * cgroup quotas or {@code nr_throttled}; OSHI reads rlimits and open files through JNA (a native
 * dependency of a few MB) and offers no cgroup CPU quota or throttling either. What this package reads
 * is a few lines over JDK APIs and kernel files, so the module keeps depending on {@code core} only.
 * Users who export metrics can keep Micrometer's binders beside it: the numbers agree, since they come
 * from the same beans.
 *
 * <pre>{@code
 * LoadShedder shedder = LoadShedder.create();
 * FileDescriptorPreflight fds = FileDescriptorPreflight.of(FileDescriptorBudget.builder()
 *         .entry("orders-db", 20).entry("http", 200).headroom(64)
 *         .onExceeded(FileDescriptorBudget.OnExceeded.SCALE_DOWN).build());
 * CpuThrottleMonitor cpu = CpuThrottleMonitor.of(CpuThrottleConfig.ofDefaults());
 * MemoryPressureMonitor memory = MemoryPressureMonitor.of(MemoryPressureConfig.ofDefaults(), shedder);
 * StartupOrchestrator orchestrator = StartupOrchestrator.builder()
 *         .maxParallelStarts(cpu.quota().threads(1.0, 1, 8))
 *         .startDeadlineStretch(cpu.deadlineStretch())
 *         .component(fds).component(cpu).component(memory)
 *         .component(FileDescriptorMonitor.of(FileDescriptorMonitorConfig.ofDefaults(), shedder))
 *         .component(DiskLatencyMonitor.of(dataDir, DiskLatencyConfig.ofDefaults()))
 *         .build();
 * }</pre>
 *
 * <p>Arguments and return values are non-null unless a method says otherwise.
 */
package dev.coldstart.resources;
