package dev.coldstart.examples.demo;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.resources.CpuThrottleConfig;
import dev.coldstart.resources.DiskLatencyConfig;
import dev.coldstart.resources.FileDescriptorBudget;
import dev.coldstart.resources.FileDescriptorMonitorConfig;
import dev.coldstart.resources.MemoryPressureConfig;
import java.nio.file.Path;

/**
 * The demo's resource settings: the file-descriptor budget (pool + HTTP connections + headroom) and
 * what happens when it exceeds the process limit, the thresholds of the file-descriptor, memory,
 * CPU-throttle and disk monitors, and the share of a link that bulk warm-up traffic may use. Part of
 * {@link DemoConfig} ({@link DemoConfig#resources()}); the defaults are the resources module's.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 */
public final class DemoResourcesConfig {
    /** Default HTTP connections counted in the file-descriptor budget: 128. */
    public static final int DEFAULT_HTTP_MAX_CONNECTIONS = 128;
    /** Default share of a link's capacity for bulk warm-up traffic: 0.8. */
    public static final double DEFAULT_BULK_SHARE_OF_LINK = 0.8;

    static final String USAGE = String.join("\n",
            "  --http-max-connections N  HTTP connections counted in the file-descriptor budget (default 128)",
            "  --fd-headroom N       descriptors the budget keeps free beyond pool and HTTP (default 64)",
            "  --fd-scale-down       when pool + HTTP + headroom exceed the open-files limit, shrink the pool",
            "                        and HTTP share in proportion instead of failing the start (default fail)",
            "  --data-dir PATH       directory whose write+fsync latency the disk monitor measures (default",
            "                        none: no disk monitor)");

    private static final DemoResourcesConfig DEFAULTS = builder().build();

    private final int httpMaxConnections;
    private final int fileDescriptorHeadroom;
    private final FileDescriptorBudget.OnExceeded onFileDescriptorBudgetExceeded;
    private final Path dataDirectory;
    private final FileDescriptorMonitorConfig fileDescriptorMonitor;
    private final MemoryPressureConfig memoryPressure;
    private final CpuThrottleConfig cpuThrottle;
    private final DiskLatencyConfig diskLatency;
    private final double bulkShareOfLink;

    private DemoResourcesConfig(Builder b) {
        this.httpMaxConnections = b.httpMaxConnections;
        this.fileDescriptorHeadroom = b.fileDescriptorHeadroom;
        this.onFileDescriptorBudgetExceeded = b.onFileDescriptorBudgetExceeded;
        this.dataDirectory = b.dataDirectory;
        this.fileDescriptorMonitor = b.fileDescriptorMonitor;
        this.memoryPressure = b.memoryPressure;
        this.cpuThrottle = b.cpuThrottle;
        this.diskLatency = b.diskLatency;
        this.bulkShareOfLink = b.bulkShareOfLink;
    }

    /**
     * The defaults: 128 HTTP connections, 64 descriptors of headroom, fail fast, no disk monitor and
     * the resources module's monitor thresholds.
     *
     * @return the shared default settings
     */
    public static DemoResourcesConfig ofDefaults() {
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
     * A builder holding these settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().httpMaxConnections(httpMaxConnections).fileDescriptorHeadroom(fileDescriptorHeadroom)
                .onFileDescriptorBudgetExceeded(onFileDescriptorBudgetExceeded).dataDirectory(dataDirectory)
                .fileDescriptorMonitor(fileDescriptorMonitor).memoryPressure(memoryPressure).cpuThrottle(cpuThrottle)
                .diskLatency(diskLatency).bulkShareOfLink(bulkShareOfLink);
    }

    /**
     * Reads one resource option at {@code args[i]}.
     *
     * @return how many arguments it used (option and value), 0 if {@code args[i]} is not a resource option
     * @throws ConfigurationException naming the option and the rule, for a missing or bad value
     */
    static int parseOption(Builder b, String[] args, int i) {
        String option = args[i];
        switch (option) {
            case "--fd-scale-down":
                b.onFileDescriptorBudgetExceeded(FileDescriptorBudget.OnExceeded.SCALE_DOWN);
                return 1;
            case "--http-max-connections":
                b.httpMaxConnections(number(args, i, option));
                return 2;
            case "--fd-headroom":
                b.fileDescriptorHeadroom(number(args, i, option));
                return 2;
            case "--data-dir":
                b.dataDirectory(Path.of(value(args, i, option)));
                return 2;
            default:
                return 0;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new ConfigurationException(option + " needs a value\n" + USAGE);
        }
        return args[i + 1];
    }

    private static int number(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(option + " must be a whole number, but was " + v);
        }
    }

    /**
     * HTTP connections the file-descriptor budget counts for the demo's server.
     *
     * @return at least 1; default {@value #DEFAULT_HTTP_MAX_CONNECTIONS}
     */
    public int httpMaxConnections() {
        return httpMaxConnections;
    }

    /**
     * Descriptors the budget keeps free beyond the pool and the HTTP connections (logs, class files,
     * Redis, the JVM's own).
     *
     * @return zero or more; default {@value FileDescriptorBudget#DEFAULT_HEADROOM}
     */
    public int fileDescriptorHeadroom() {
        return fileDescriptorHeadroom;
    }

    /**
     * What the preflight does when the budget exceeds the open-files limit.
     *
     * @return default {@link FileDescriptorBudget.OnExceeded#FAIL_FAST}
     */
    public FileDescriptorBudget.OnExceeded onFileDescriptorBudgetExceeded() {
        return onFileDescriptorBudgetExceeded;
    }

    /**
     * The directory the disk monitor measures.
     *
     * @return the directory, or null (the default) for no disk monitor
     */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * The file-descriptor monitor's thresholds.
     *
     * @return default {@link FileDescriptorMonitorConfig#ofDefaults()} (warn at 80 %, shed at 95 %)
     */
    public FileDescriptorMonitorConfig fileDescriptorMonitor() {
        return fileDescriptorMonitor;
    }

    /**
     * The memory monitor's thresholds.
     *
     * @return default {@link MemoryPressureConfig#ofDefaults()}
     */
    public MemoryPressureConfig memoryPressure() {
        return memoryPressure;
    }

    /**
     * The CPU throttle monitor's settings, including the start-deadline stretch factor.
     *
     * @return default {@link CpuThrottleConfig#ofDefaults()}
     */
    public CpuThrottleConfig cpuThrottle() {
        return cpuThrottle;
    }

    /**
     * The disk monitor's settings.
     *
     * @return default {@link DiskLatencyConfig#ofDefaults()}
     */
    public DiskLatencyConfig diskLatency() {
        return diskLatency;
    }

    /**
     * The share of a link's capacity that bulk warm-up traffic may use.
     *
     * @return in [0.1, 0.95]; default {@value #DEFAULT_BULK_SHARE_OF_LINK}
     */
    public double bulkShareOfLink() {
        return bulkShareOfLink;
    }

    @Override
    public String toString() {
        return "DemoResourcesConfig{httpMaxConnections=" + httpMaxConnections + ", fileDescriptorHeadroom="
                + fileDescriptorHeadroom + ", onFileDescriptorBudgetExceeded=" + onFileDescriptorBudgetExceeded
                + ", dataDirectory=" + dataDirectory + ", fileDescriptorMonitor=" + fileDescriptorMonitor
                + ", memoryPressure=" + memoryPressure + ", cpuThrottle=" + cpuThrottle + ", diskLatency=" + diskLatency
                + ", bulkShareOfLink=" + bulkShareOfLink + '}';
    }

    /** Builder of {@link DemoResourcesConfig}; not thread-safe. */
    public static final class Builder {
        private int httpMaxConnections = DEFAULT_HTTP_MAX_CONNECTIONS;
        private int fileDescriptorHeadroom = FileDescriptorBudget.DEFAULT_HEADROOM;
        private FileDescriptorBudget.OnExceeded onFileDescriptorBudgetExceeded = FileDescriptorBudget.OnExceeded.FAIL_FAST;
        private Path dataDirectory;
        private FileDescriptorMonitorConfig fileDescriptorMonitor = FileDescriptorMonitorConfig.ofDefaults();
        private MemoryPressureConfig memoryPressure = MemoryPressureConfig.ofDefaults();
        private CpuThrottleConfig cpuThrottle = CpuThrottleConfig.ofDefaults();
        private DiskLatencyConfig diskLatency = DiskLatencyConfig.ofDefaults();
        private double bulkShareOfLink = DEFAULT_BULK_SHARE_OF_LINK;

        private Builder() {
        }

        /**
         * Sets the HTTP connections counted in the budget.
         *
         * @param httpMaxConnections at least 1; default {@value DemoResourcesConfig#DEFAULT_HTTP_MAX_CONNECTIONS}
         * @return this builder
         * @throws ConfigurationException if below 1
         */
        public Builder httpMaxConnections(int httpMaxConnections) {
            this.httpMaxConnections = Checks.positive(httpMaxConnections, "httpMaxConnections");
            return this;
        }

        /**
         * Sets the budget's headroom.
         *
         * @param headroom zero or more; default {@value FileDescriptorBudget#DEFAULT_HEADROOM}
         * @return this builder
         * @throws ConfigurationException if negative
         */
        public Builder fileDescriptorHeadroom(int headroom) {
            this.fileDescriptorHeadroom = Checks.notNegative(headroom, "fileDescriptorHeadroom");
            return this;
        }

        /**
         * Sets what the preflight does when the budget does not fit.
         *
         * @param onExceeded not null; default {@link FileDescriptorBudget.OnExceeded#FAIL_FAST}
         * @return this builder
         */
        public Builder onFileDescriptorBudgetExceeded(FileDescriptorBudget.OnExceeded onExceeded) {
            this.onFileDescriptorBudgetExceeded = Checks.notNull(onExceeded, "onFileDescriptorBudgetExceeded");
            return this;
        }

        /**
         * Sets the directory the disk monitor measures.
         *
         * @param dataDirectory an existing writable directory, or null (the default) for no disk monitor
         * @return this builder
         */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
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
         * Sets the memory monitor's thresholds.
         *
         * @param config not null
         * @return this builder
         */
        public Builder memoryPressure(MemoryPressureConfig config) {
            this.memoryPressure = Checks.notNull(config, "memoryPressure");
            return this;
        }

        /**
         * Sets the CPU throttle monitor's settings.
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
         * @param share between 0.1 and 0.95; default {@value DemoResourcesConfig#DEFAULT_BULK_SHARE_OF_LINK}
         * @return this builder
         * @throws ConfigurationException if out of range
         */
        public Builder bulkShareOfLink(double share) {
            this.bulkShareOfLink = Checks.inRange(share, 0.1, 0.95, "bulkShareOfLink");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return immutable settings
         */
        public DemoResourcesConfig build() {
            return new DemoResourcesConfig(this);
        }
    }
}
