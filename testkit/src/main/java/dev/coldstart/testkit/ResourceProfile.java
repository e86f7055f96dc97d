package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import dev.coldstart.resources.CpuThrottleConfig;
import dev.coldstart.resources.DiskLatencyConfig;
import dev.coldstart.resources.FileDescriptorMonitorConfig;
import dev.coldstart.resources.MemoryPressureConfig;

/**
 * How your service configures the resources module, handed to the {@link ResourceScenarios}: the
 * file-descriptor headroom and monitor thresholds, the memory thresholds, the CPU throttle settings,
 * the disk monitor and the share of a link that bulk warm-up traffic may use. The scenarios run the
 * resources mechanisms with exactly these settings, in child JVMs under real OS limits (CS-26,
 * CS-27) and in-process against real sockets, files and cgroup files (CS-28 to CS-30).
 *
 * <p>Defaults are the resources module's defaults ({@link #ofDefaults()}). Built profiles are
 * immutable and thread-safe; builders are not thread-safe.
 */
public final class ResourceProfile {
    /** Default file-descriptor headroom: 64, as {@code FileDescriptorBudget.DEFAULT_HEADROOM}. */
    public static final int DEFAULT_FILE_DESCRIPTOR_HEADROOM = 64;
    /** Default share of the link's capacity for bulk warm-up traffic: 0.8. */
    public static final double DEFAULT_BULK_SHARE_OF_LINK = 0.8;

    private static final ResourceProfile DEFAULTS = builder().build();

    private final int fileDescriptorHeadroom;
    private final FileDescriptorMonitorConfig fileDescriptorMonitor;
    private final MemoryPressureConfig memoryPressure;
    private final CpuThrottleConfig cpuThrottle;
    private final DiskLatencyConfig diskLatency;
    private final double bulkShareOfLink;

    private ResourceProfile(Builder b) {
        this.fileDescriptorHeadroom = b.fileDescriptorHeadroom;
        this.fileDescriptorMonitor = b.fileDescriptorMonitor;
        this.memoryPressure = b.memoryPressure;
        this.cpuThrottle = b.cpuThrottle;
        this.diskLatency = b.diskLatency;
        this.bulkShareOfLink = b.bulkShareOfLink;
    }

    /**
     * The resources module's defaults.
     *
     * @return the shared default profile
     */
    public static ResourceProfile ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this profile's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().fileDescriptorHeadroom(fileDescriptorHeadroom).fileDescriptorMonitor(fileDescriptorMonitor)
                .memoryPressure(memoryPressure).cpuThrottle(cpuThrottle).diskLatency(diskLatency).bulkShareOfLink(bulkShareOfLink);
    }

    /**
     * Descriptors your budget keeps free beyond pools and servers.
     *
     * @return zero or more; default 64
     */
    public int fileDescriptorHeadroom() {
        return fileDescriptorHeadroom;
    }

    /**
     * Your file-descriptor monitor's thresholds.
     *
     * @return default {@link FileDescriptorMonitorConfig#ofDefaults()}
     */
    public FileDescriptorMonitorConfig fileDescriptorMonitor() {
        return fileDescriptorMonitor;
    }

    /**
     * Your memory thresholds.
     *
     * @return default {@link MemoryPressureConfig#ofDefaults()}
     */
    public MemoryPressureConfig memoryPressure() {
        return memoryPressure;
    }

    /**
     * Your CPU throttle settings; CS-28 needs a stretch factor of at least 2.
     *
     * @return default {@link CpuThrottleConfig#ofDefaults()}
     */
    public CpuThrottleConfig cpuThrottle() {
        return cpuThrottle;
    }

    /**
     * Your disk monitor's settings; CS-29 keeps your interval, clear count and queue bound and sets the
     * threshold from the disk's measured idle latency (see {@link ResourceScenarioParameters}).
     *
     * @return default {@link DiskLatencyConfig#ofDefaults()}
     */
    public DiskLatencyConfig diskLatency() {
        return diskLatency;
    }

    /**
     * The share of a link's capacity your bulk warm-up limiter allows.
     *
     * @return in [0.1, 0.95]; default 0.8
     */
    public double bulkShareOfLink() {
        return bulkShareOfLink;
    }

    @Override
    public String toString() {
        return "ResourceProfile{fileDescriptorHeadroom=" + fileDescriptorHeadroom + ", fileDescriptorMonitor=" + fileDescriptorMonitor
                + ", memoryPressure=" + memoryPressure + ", cpuThrottle=" + cpuThrottle + ", diskLatency=" + diskLatency
                + ", bulkShareOfLink=" + bulkShareOfLink + '}';
    }

    /** Builder of {@link ResourceProfile}; not thread-safe. */
    public static final class Builder {
        private int fileDescriptorHeadroom = DEFAULT_FILE_DESCRIPTOR_HEADROOM;
        private FileDescriptorMonitorConfig fileDescriptorMonitor = FileDescriptorMonitorConfig.ofDefaults();
        private MemoryPressureConfig memoryPressure = MemoryPressureConfig.ofDefaults();
        private CpuThrottleConfig cpuThrottle = CpuThrottleConfig.ofDefaults();
        private DiskLatencyConfig diskLatency = DiskLatencyConfig.ofDefaults();
        private double bulkShareOfLink = DEFAULT_BULK_SHARE_OF_LINK;

        private Builder() {
        }

        /**
         * Sets the file-descriptor headroom.
         *
         * @param headroom zero or more; default 64
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if negative
         */
        public Builder fileDescriptorHeadroom(int headroom) {
            this.fileDescriptorHeadroom = Checks.notNegative(headroom, "fileDescriptorHeadroom");
            return this;
        }

        /**
         * Sets the file-descriptor monitor's thresholds.
         *
         * @param config not null
         * @return this builder
         */
        public Builder fileDescriptorMonitor(FileDescriptorMonitorConfig config) {
            this.fileDescriptorMonitor = Checks.notNull(config, "fileDescriptorMonitor");
            return this;
        }

        /**
         * Sets the memory thresholds.
         *
         * @param config not null
         * @return this builder
         */
        public Builder memoryPressure(MemoryPressureConfig config) {
            this.memoryPressure = Checks.notNull(config, "memoryPressure");
            return this;
        }

        /**
         * Sets the CPU throttle settings.
         *
         * @param config not null
         * @return this builder
         */
        public Builder cpuThrottle(CpuThrottleConfig config) {
            this.cpuThrottle = Checks.notNull(config, "cpuThrottle");
            return this;
        }

        /**
         * Sets the disk monitor's settings.
         *
         * @param config not null
         * @return this builder
         */
        public Builder diskLatency(DiskLatencyConfig config) {
            this.diskLatency = Checks.notNull(config, "diskLatency");
            return this;
        }

        /**
         * Sets the share of a link for bulk warm-up traffic.
         *
         * @param share between 0.1 and 0.95; default 0.8
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder bulkShareOfLink(double share) {
            this.bulkShareOfLink = Checks.inRange(share, 0.1, 0.95, "bulkShareOfLink");
            return this;
        }

        /**
         * Builds the profile.
         *
         * @return an immutable profile
         */
        public ResourceProfile build() {
            return new ResourceProfile(this);
        }
    }
}
