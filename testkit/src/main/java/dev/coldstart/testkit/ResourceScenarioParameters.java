package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of the resource scenarios CS-26 to CS-30, defaulting to those of SCENARIOS.md, so that
 * you can replay the scenarios with your own limits ({@link ResourceScenarios#resourceScenarioParameters()}).
 *
 * <p>Built parameters are immutable and thread-safe; builders are not thread-safe.
 */
public final class ResourceScenarioParameters {
    private static final ResourceScenarioParameters DEFAULTS = builder().build();
    private final int cs26OpenFilesLimit;
    private final int cs26PoolConnections;
    private final int cs26ServerConnections;
    private final int cs26ExtraConnections;
    private final long cs27MaxHeapBytes;
    private final long cs27CacheBytes;
    private final int cs27EntryBytes;
    private final Duration cs28StartTimeout;
    private final Duration cs28SlowStart;
    private final Duration cs29ThresholdFloor;
    private final double cs29ThresholdOverIdle;
    private final long cs29WriterMaxBytes;
    private final Duration cs29WriterMaxTime;
    private final long cs30LinkBytesPerSecond;
    private final long cs30DownloadBytes;
    private final Duration cs30ProbeDeadline;
    private final Duration cs30ProbeInterval;

    private ResourceScenarioParameters(Builder b) {
        this.cs26OpenFilesLimit = b.cs26OpenFilesLimit;
        this.cs26PoolConnections = b.cs26PoolConnections;
        this.cs26ServerConnections = b.cs26ServerConnections;
        this.cs26ExtraConnections = b.cs26ExtraConnections;
        this.cs27MaxHeapBytes = b.cs27MaxHeapBytes;
        this.cs27CacheBytes = b.cs27CacheBytes;
        this.cs27EntryBytes = b.cs27EntryBytes;
        this.cs28StartTimeout = b.cs28StartTimeout;
        this.cs28SlowStart = b.cs28SlowStart;
        this.cs29ThresholdFloor = b.cs29ThresholdFloor;
        this.cs29ThresholdOverIdle = b.cs29ThresholdOverIdle;
        this.cs29WriterMaxBytes = b.cs29WriterMaxBytes;
        this.cs29WriterMaxTime = b.cs29WriterMaxTime;
        this.cs30LinkBytesPerSecond = b.cs30LinkBytesPerSecond;
        this.cs30DownloadBytes = b.cs30DownloadBytes;
        this.cs30ProbeDeadline = b.cs30ProbeDeadline;
        this.cs30ProbeInterval = b.cs30ProbeInterval;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared default parameters
     */
    public static ResourceScenarioParameters ofDefaults() {
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
     * A builder holding these values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.cs26OpenFilesLimit = cs26OpenFilesLimit;
        b.cs26PoolConnections = cs26PoolConnections;
        b.cs26ServerConnections = cs26ServerConnections;
        b.cs26ExtraConnections = cs26ExtraConnections;
        b.cs27MaxHeapBytes = cs27MaxHeapBytes;
        b.cs27CacheBytes = cs27CacheBytes;
        b.cs27EntryBytes = cs27EntryBytes;
        b.cs28StartTimeout = cs28StartTimeout;
        b.cs28SlowStart = cs28SlowStart;
        b.cs29ThresholdFloor = cs29ThresholdFloor;
        b.cs29ThresholdOverIdle = cs29ThresholdOverIdle;
        b.cs29WriterMaxBytes = cs29WriterMaxBytes;
        b.cs29WriterMaxTime = cs29WriterMaxTime;
        b.cs30LinkBytesPerSecond = cs30LinkBytesPerSecond;
        b.cs30DownloadBytes = cs30DownloadBytes;
        b.cs30ProbeDeadline = cs30ProbeDeadline;
        b.cs30ProbeInterval = cs30ProbeInterval;
        return b;
    }

    /**
     * CS-26: the child JVM's open-files limit ({@code ulimit -n}); default 256.
     *
     * @return the value
     */
    public int cs26OpenFilesLimit() {
        return cs26OpenFilesLimit;
    }

    /**
     * CS-26: the pool size in the budget; default 60.
     *
     * @return the value
     */
    public int cs26PoolConnections() {
        return cs26PoolConnections;
    }

    /**
     * CS-26: the server's connection limit in the budget; default 200 (with the pool and headroom more than 256).
     *
     * @return the value
     */
    public int cs26ServerConnections() {
        return cs26ServerConnections;
    }

    /**
     * CS-26: connections opened while the monitor sheds, all of which must be shed; default 30.
     *
     * @return the value
     */
    public int cs26ExtraConnections() {
        return cs26ExtraConnections;
    }

    /**
     * CS-27: the child JVM's {@code -Xmx}; default 64 MiB.
     *
     * @return the value
     */
    public long cs27MaxHeapBytes() {
        return cs27MaxHeapBytes;
    }

    /**
     * CS-27: the size of the cache the child warms; default 128 MiB (twice the heap).
     *
     * @return the value
     */
    public long cs27CacheBytes() {
        return cs27CacheBytes;
    }

    /**
     * CS-27: bytes per cache entry; default 16 KiB.
     *
     * @return the value
     */
    public int cs27EntryBytes() {
        return cs27EntryBytes;
    }

    /**
     * CS-28: the start deadline of the slow component; default 400 ms.
     *
     * @return the value
     */
    public Duration cs28StartTimeout() {
        return cs28StartTimeout;
    }

    /**
     * CS-28: how long the throttled start takes; default 550 ms: past the 400 ms deadline, and 250 ms inside twice it so a stalled machine does not turn the stretched start into a failure.
     *
     * @return the value
     */
    public Duration cs28SlowStart() {
        return cs28SlowStart;
    }

    /**
     * CS-29: the smallest latency threshold; default 2 ms.
     *
     * @return the value
     */
    public Duration cs29ThresholdFloor() {
        return cs29ThresholdFloor;
    }

    /**
     * CS-29: the threshold as a multiple of the disk's idle write+fsync median (at least the floor); default 8.
     *
     * @return the value
     */
    public double cs29ThresholdOverIdle() {
        return cs29ThresholdOverIdle;
    }

    /**
     * CS-29: the most the saturating writers write together (into 256 MiB files, flushed every 64 MiB);
     * default 16 GiB, about 5 s of two writers on a disk that takes 3 GB/s. The writers stop as soon
     * as the deferred write has been checked, usually well before this bound.
     *
     * @return the value
     */
    public long cs29WriterMaxBytes() {
        return cs29WriterMaxBytes;
    }

    /**
     * CS-29: the longest the saturating writer runs; default 30 s.
     *
     * @return the value
     */
    public Duration cs29WriterMaxTime() {
        return cs29WriterMaxTime;
    }

    /**
     * CS-30: the link's capacity (the proxy's bandwidth limit); default 1 MB/s.
     *
     * @return the value
     */
    public long cs30LinkBytesPerSecond() {
        return cs30LinkBytesPerSecond;
    }

    /**
     * CS-30: the bulk warm-up download; default 20 MB.
     *
     * @return the value
     */
    public long cs30DownloadBytes() {
        return cs30DownloadBytes;
    }

    /**
     * CS-30: the latency every health check and dependency probe must stay under; default 100 ms.
     *
     * @return the value
     */
    public Duration cs30ProbeDeadline() {
        return cs30ProbeDeadline;
    }

    /**
     * CS-30: the interval of probes during the download; default 200 ms.
     *
     * @return the value
     */
    public Duration cs30ProbeInterval() {
        return cs30ProbeInterval;
    }

    /** Builder of {@link ResourceScenarioParameters}; not thread-safe. */
    public static final class Builder {
        private int cs26OpenFilesLimit = 256;
        private int cs26PoolConnections = 60;
        private int cs26ServerConnections = 200;
        private int cs26ExtraConnections = 30;
        private long cs27MaxHeapBytes = 64L << 20;
        private long cs27CacheBytes = 128L << 20;
        private int cs27EntryBytes = 16 << 10;
        private Duration cs28StartTimeout = Duration.ofMillis(400);
        private Duration cs28SlowStart = Duration.ofMillis(550);
        private Duration cs29ThresholdFloor = Duration.ofMillis(2);
        private double cs29ThresholdOverIdle = 8.0;
        private long cs29WriterMaxBytes = 16L << 30;
        private Duration cs29WriterMaxTime = Duration.ofSeconds(30);
        private long cs30LinkBytesPerSecond = 1_000_000;
        private long cs30DownloadBytes = 20_000_000;
        private Duration cs30ProbeDeadline = Duration.ofMillis(100);
        private Duration cs30ProbeInterval = Duration.ofMillis(200);

        private Builder() {
        }

        /**
         * Sets the figure of CS-26: the child JVM's open-files limit ({@code ulimit -n}); default 256.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs26OpenFilesLimit(int value) {
            this.cs26OpenFilesLimit = Checks.positive(value, "cs26OpenFilesLimit");
            return this;
        }

        /**
         * Sets the figure of CS-26: the pool size in the budget; default 60.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs26PoolConnections(int value) {
            this.cs26PoolConnections = Checks.positive(value, "cs26PoolConnections");
            return this;
        }

        /**
         * Sets the figure of CS-26: the server's connection limit in the budget; default 200 (with the pool and headroom more than 256).
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs26ServerConnections(int value) {
            this.cs26ServerConnections = Checks.positive(value, "cs26ServerConnections");
            return this;
        }

        /**
         * Sets the figure of CS-26: connections opened while the monitor sheds, all of which must be shed; default 30.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs26ExtraConnections(int value) {
            this.cs26ExtraConnections = Checks.positive(value, "cs26ExtraConnections");
            return this;
        }

        /**
         * Sets the figure of CS-27: the child JVM's {@code -Xmx}; default 64 MiB.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs27MaxHeapBytes(long value) {
            this.cs27MaxHeapBytes = Checks.positive(value, "cs27MaxHeapBytes");
            return this;
        }

        /**
         * Sets the figure of CS-27: the size of the cache the child warms; default 128 MiB (twice the heap).
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs27CacheBytes(long value) {
            this.cs27CacheBytes = Checks.positive(value, "cs27CacheBytes");
            return this;
        }

        /**
         * Sets the figure of CS-27: bytes per cache entry; default 16 KiB.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs27EntryBytes(int value) {
            this.cs27EntryBytes = Checks.positive(value, "cs27EntryBytes");
            return this;
        }

        /**
         * Sets the figure of CS-28: the start deadline of the slow component; default 400 ms.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs28StartTimeout(Duration value) {
            this.cs28StartTimeout = Checks.positive(value, "cs28StartTimeout");
            return this;
        }

        /**
         * Sets the figure of CS-28: how long the throttled start takes; default 550 ms: past the 400 ms deadline, and 250 ms inside twice it so a stalled machine does not turn the stretched start into a failure.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs28SlowStart(Duration value) {
            this.cs28SlowStart = Checks.positive(value, "cs28SlowStart");
            return this;
        }

        /**
         * Sets the figure of CS-29: the smallest latency threshold; default 2 ms.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs29ThresholdFloor(Duration value) {
            this.cs29ThresholdFloor = Checks.positive(value, "cs29ThresholdFloor");
            return this;
        }

        /**
         * Sets the figure of CS-29: the threshold as a multiple of the disk's idle write+fsync median (at least the floor); default 8.
         *
         * @param value between 1 and 1000
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not between 1 and 1000
         */
        public Builder cs29ThresholdOverIdle(double value) {
            this.cs29ThresholdOverIdle = Checks.inRange(value, 1.0, 1000.0, "cs29ThresholdOverIdle");
            return this;
        }

        /**
         * Sets the figure of CS-29: the most the saturating writers write together; default 16 GiB.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs29WriterMaxBytes(long value) {
            this.cs29WriterMaxBytes = Checks.positive(value, "cs29WriterMaxBytes");
            return this;
        }

        /**
         * Sets the figure of CS-29: the longest the saturating writer runs; default 30 s.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs29WriterMaxTime(Duration value) {
            this.cs29WriterMaxTime = Checks.positive(value, "cs29WriterMaxTime");
            return this;
        }

        /**
         * Sets the figure of CS-30: the link's capacity (the proxy's bandwidth limit); default 1 MB/s.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs30LinkBytesPerSecond(long value) {
            this.cs30LinkBytesPerSecond = Checks.positive(value, "cs30LinkBytesPerSecond");
            return this;
        }

        /**
         * Sets the figure of CS-30: the bulk warm-up download; default 20 MB.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs30DownloadBytes(long value) {
            this.cs30DownloadBytes = Checks.positive(value, "cs30DownloadBytes");
            return this;
        }

        /**
         * Sets the figure of CS-30: the latency every health check and dependency probe must stay under; default 100 ms.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs30ProbeDeadline(Duration value) {
            this.cs30ProbeDeadline = Checks.positive(value, "cs30ProbeDeadline");
            return this;
        }

        /**
         * Sets the figure of CS-30: the interval of probes during the download; default 200 ms.
         *
         * @param value positive
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder cs30ProbeInterval(Duration value) {
            this.cs30ProbeInterval = Checks.positive(value, "cs30ProbeInterval");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         * @throws dev.coldstart.core.ConfigurationException if the slow start does not outlast its deadline
         */
        public ResourceScenarioParameters build() {
            Checks.check(cs28SlowStart.compareTo(cs28StartTimeout) > 0, "cs28SlowStart must be longer than cs28StartTimeout ("
                    + cs28StartTimeout + "), but was " + cs28SlowStart);
            return new ResourceScenarioParameters(this);
        }
    }
}
