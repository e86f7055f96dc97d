package dev.coldstart.testkit.fault;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.time.Duration;

/**
 * Configuration of a {@link TcpFaultProxy}: where it listens, which upstream it fronts, the fault
 * it starts with, and its buffer sizes.
 *
 * <p>Built configs are immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * TcpFaultProxyConfig config = TcpFaultProxyConfig.builder()
 *         .upstream("127.0.0.1", 5432)
 *         .name("orders-db-proxy")
 *         .initialFault(TcpFault.latency(Duration.ofMillis(200), Duration.ZERO))
 *         .build();
 * }</pre>
 */
public final class TcpFaultProxyConfig {
    /** Default listening host: 127.0.0.1, so the proxy is reachable from this machine only. */
    public static final String DEFAULT_LISTEN_HOST = "127.0.0.1";
    /** Default listening port: 0, an ephemeral port chosen by the kernel. */
    public static final int DEFAULT_LISTEN_PORT = 0;
    /** Default time allowed for each upstream connect: 5 s. */
    public static final Duration DEFAULT_UPSTREAM_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default largest chunk read at once: 16 KiB. */
    public static final int DEFAULT_CHUNK_SIZE_BYTES = 16 * 1024;
    /** Default bytes held per connection and direction before the proxy stops reading: 256 KiB. */
    public static final int DEFAULT_MAX_BUFFERED_BYTES_PER_DIRECTION = 256 * 1024;
    /** Default listen backlog: 4096 (the kernel caps it at {@code net.core.somaxconn}). */
    public static final int DEFAULT_ACCEPT_BACKLOG = 4096;

    private final String name;
    private final String listenHost;
    private final int listenPort;
    private final String upstreamHost;
    private final int upstreamPort;
    private final TcpFault initialFault;
    private final Duration upstreamConnectTimeout;
    private final int chunkSizeBytes;
    private final int maxBufferedBytesPerDirection;
    private final int acceptBacklog;

    private TcpFaultProxyConfig(Builder b) {
        this.name = b.name != null ? b.name : "tcp-fault-proxy(" + b.upstreamHost + ":" + b.upstreamPort + ")";
        this.listenHost = b.listenHost;
        this.listenPort = b.listenPort;
        this.upstreamHost = b.upstreamHost;
        this.upstreamPort = b.upstreamPort;
        this.initialFault = b.initialFault;
        this.upstreamConnectTimeout = b.upstreamConnectTimeout;
        this.chunkSizeBytes = b.chunkSizeBytes;
        this.maxBufferedBytesPerDirection = b.maxBufferedBytesPerDirection;
        this.acceptBacklog = b.acceptBacklog;
    }

    /**
     * Starts a builder; {@link Builder#upstream(String, int)} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this config's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.listenHost = listenHost;
        b.listenPort = listenPort;
        b.upstreamHost = upstreamHost;
        b.upstreamPort = upstreamPort;
        b.initialFault = initialFault;
        b.upstreamConnectTimeout = upstreamConnectTimeout;
        b.chunkSizeBytes = chunkSizeBytes;
        b.maxBufferedBytesPerDirection = maxBufferedBytesPerDirection;
        b.acceptBacklog = acceptBacklog;
        return b;
    }

    /**
     * The name that starts the proxy's log messages and names its thread.
     *
     * @return the name; default {@code tcp-fault-proxy(<upstream>)}
     */
    public String name() {
        return name;
    }

    /**
     * The address the proxy listens on.
     *
     * @return the host; default {@value #DEFAULT_LISTEN_HOST}
     */
    public String listenHost() {
        return listenHost;
    }

    /**
     * The port the proxy listens on.
     *
     * @return 1-65535, or 0 (the default) for an ephemeral port
     */
    public int listenPort() {
        return listenPort;
    }

    /**
     * The upstream server's host.
     *
     * @return the host
     */
    public String upstreamHost() {
        return upstreamHost;
    }

    /**
     * The upstream server's port.
     *
     * @return 1-65535
     */
    public int upstreamPort() {
        return upstreamPort;
    }

    /**
     * The fault in force when the proxy starts.
     *
     * @return the fault; default {@link TcpFault#none()}
     */
    public TcpFault initialFault() {
        return initialFault;
    }

    /**
     * Time allowed for each upstream connect; past it the client is reset.
     *
     * @return positive; default {@link #DEFAULT_UPSTREAM_CONNECT_TIMEOUT}
     */
    public Duration upstreamConnectTimeout() {
        return upstreamConnectTimeout;
    }

    /**
     * The largest chunk read at once; chunk latency applies per chunk.
     *
     * @return bytes, 512 to 1 MiB; default {@value #DEFAULT_CHUNK_SIZE_BYTES}
     */
    public int chunkSizeBytes() {
        return chunkSizeBytes;
    }

    /**
     * Bytes held per connection and direction (delayed, throttled or blackholed) before the proxy
     * stops reading from the sender, which then sees TCP backpressure.
     *
     * @return bytes, at least {@link #chunkSizeBytes()}; default {@value #DEFAULT_MAX_BUFFERED_BYTES_PER_DIRECTION}
     */
    public int maxBufferedBytesPerDirection() {
        return maxBufferedBytesPerDirection;
    }

    /**
     * The listen backlog.
     *
     * @return positive; default {@value #DEFAULT_ACCEPT_BACKLOG}
     */
    public int acceptBacklog() {
        return acceptBacklog;
    }

    @Override
    public String toString() {
        return "TcpFaultProxyConfig(name=" + name + ", listen=" + listenHost + ":" + listenPort + ", upstream="
                + upstreamHost + ":" + upstreamPort + ", initialFault=" + initialFault + ", upstreamConnectTimeout="
                + upstreamConnectTimeout + ", chunkSizeBytes=" + chunkSizeBytes + ", maxBufferedBytesPerDirection="
                + maxBufferedBytesPerDirection + ", acceptBacklog=" + acceptBacklog + ")";
    }

    /** Builds a {@link TcpFaultProxyConfig}. Not thread-safe. */
    public static final class Builder {
        private String name;
        private String listenHost = DEFAULT_LISTEN_HOST;
        private int listenPort = DEFAULT_LISTEN_PORT;
        private String upstreamHost;
        private int upstreamPort;
        private TcpFault initialFault = TcpFault.none();
        private Duration upstreamConnectTimeout = DEFAULT_UPSTREAM_CONNECT_TIMEOUT;
        private int chunkSizeBytes = DEFAULT_CHUNK_SIZE_BYTES;
        private int maxBufferedBytesPerDirection = DEFAULT_MAX_BUFFERED_BYTES_PER_DIRECTION;
        private int acceptBacklog = DEFAULT_ACCEPT_BACKLOG;

        private Builder() {
        }

        /**
         * Sets the name used in logs and the thread's name.
         *
         * @param name not blank
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Sets the listening host.
         *
         * @param listenHost not blank; default {@value #DEFAULT_LISTEN_HOST}
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder listenHost(String listenHost) {
            this.listenHost = Checks.notBlank(listenHost, "listenHost");
            return this;
        }

        /**
         * Sets the listening port.
         *
         * @param listenPort 1-65535, or 0 for an ephemeral port (the default)
         * @return this builder
         * @throws ConfigurationException if outside 0-65535
         */
        public Builder listenPort(int listenPort) {
            Checks.check(listenPort >= 0 && listenPort <= 65535,
                    "listenPort must be between 0 and 65535, but was " + listenPort);
            this.listenPort = listenPort;
            return this;
        }

        /**
         * Sets the upstream server. Required.
         *
         * @param host not blank
         * @param port 1-65535
         * @return this builder
         * @throws ConfigurationException if the host is blank or the port out of range
         */
        public Builder upstream(String host, int port) {
            this.upstreamHost = Checks.notBlank(host, "upstreamHost");
            Checks.check(port >= 1 && port <= 65535, "upstreamPort must be between 1 and 65535, but was " + port);
            this.upstreamPort = port;
            return this;
        }

        /**
         * Sets the fault in force at start.
         *
         * @param initialFault the fault; default {@link TcpFault#none()}
         * @return this builder
         * @throws ConfigurationException if null
         */
        public Builder initialFault(TcpFault initialFault) {
            this.initialFault = Checks.notNull(initialFault, "initialFault");
            return this;
        }

        /**
         * Sets the time allowed for each upstream connect.
         *
         * @param upstreamConnectTimeout positive; default {@link #DEFAULT_UPSTREAM_CONNECT_TIMEOUT}
         * @return this builder
         * @throws ConfigurationException if null or not positive
         */
        public Builder upstreamConnectTimeout(Duration upstreamConnectTimeout) {
            this.upstreamConnectTimeout = Checks.positive(upstreamConnectTimeout, "upstreamConnectTimeout");
            return this;
        }

        /**
         * Sets the largest chunk read at once.
         *
         * @param chunkSizeBytes 512 to 1048576; default {@value #DEFAULT_CHUNK_SIZE_BYTES}
         * @return this builder
         * @throws ConfigurationException if out of range
         */
        public Builder chunkSizeBytes(int chunkSizeBytes) {
            Checks.check(chunkSizeBytes >= 512 && chunkSizeBytes <= 1024 * 1024,
                    "chunkSizeBytes must be between 512 and 1048576, but was " + chunkSizeBytes);
            this.chunkSizeBytes = chunkSizeBytes;
            return this;
        }

        /**
         * Sets the bytes held per connection and direction before reading stops.
         *
         * @param maxBufferedBytesPerDirection at least {@code chunkSizeBytes}; default
         *     {@value #DEFAULT_MAX_BUFFERED_BYTES_PER_DIRECTION}
         * @return this builder
         * @throws ConfigurationException if not positive (the rule against the chunk size is checked by {@link #build()})
         */
        public Builder maxBufferedBytesPerDirection(int maxBufferedBytesPerDirection) {
            this.maxBufferedBytesPerDirection = Checks.positive(maxBufferedBytesPerDirection,
                    "maxBufferedBytesPerDirection");
            return this;
        }

        /**
         * Sets the listen backlog.
         *
         * @param acceptBacklog positive; default {@value #DEFAULT_ACCEPT_BACKLOG}
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder acceptBacklog(int acceptBacklog) {
            this.acceptBacklog = Checks.positive(acceptBacklog, "acceptBacklog");
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         * @throws ConfigurationException if no upstream was set, or the buffer is smaller than a chunk
         */
        public TcpFaultProxyConfig build() {
            Checks.check(upstreamHost != null, "upstream must be set with upstream(host, port), but was not set");
            Checks.check(maxBufferedBytesPerDirection >= chunkSizeBytes,
                    "maxBufferedBytesPerDirection must be greater than or equal to chunkSizeBytes (" + chunkSizeBytes
                            + "), but was " + maxBufferedBytesPerDirection);
            return new TcpFaultProxyConfig(this);
        }
    }
}
