package dev.coldstart.testkit.fault;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link TcpFaultProxy} does to traffic: a {@linkplain Mode mode} for new connections plus
 * impairments (latency, bandwidth limit, slow close) applied to the bytes of connections that are
 * forwarded.
 *
 * <p>The mode decides what happens to a client that connects:
 * <ul>
 *   <li>{@link Mode#FORWARD}: the proxy accepts, connects to the upstream (after
 *       {@link #connectLatency()}) and relays bytes both ways.</li>
 *   <li>{@link Mode#REFUSE}: the listening socket is closed while the port stays reserved by the
 *       proxy, so the kernel answers each SYN with a RST and the client's {@code connect()} fails
 *       with {@code ECONNREFUSED} ({@link java.net.ConnectException}: "Connection refused"). These
 *       attempts never reach user space and are <em>not counted</em>; use {@link Mode#RESET} when
 *       attempts must be counted. Connections opened before keep forwarding.</li>
 *   <li>{@link Mode#RESET}: the port keeps listening; each connection is accepted (the kernel
 *       completes the handshake), counted, and at once closed with {@code SO_LINGER 0}, which
 *       sends a RST instead of a FIN. The client sees {@link java.net.SocketException}
 *       "Connection reset": from {@code connect()} itself when the RST arrives before the connect
 *       call has returned (usual on loopback: Java then reports "Connection reset by peer"),
 *       otherwise from its first read (or "Broken pipe" from a write). Either way it is an
 *       {@link java.io.IOException} during connection setup, as from a server whose process died
 *       behind a load balancer, and it is the mode to use when the attempts of a retry storm must
 *       be counted. Connections opened before keep forwarding.</li>
 *   <li>{@link Mode#BLACKHOLE}: the proxy stops relaying in both directions, on existing
 *       connections too, and accepts new connections without connecting them upstream: a network
 *       partition, where each side believes its TCP connection is open (half-open TCP) and only
 *       read timeouts, keep-alives or heartbeats can tell. Bytes sent meanwhile are held (up to
 *       the proxy's per-direction buffer, then the sender's socket buffers fill) and a close is
 *       held too; when the mode ends they are delivered in order and held connections connect
 *       upstream, as when a partition heals.</li>
 * </ul>
 *
 * <p>Impairments apply to forwarded connections whatever the mode (under REFUSE and RESET,
 * connections opened before keep forwarding):
 * <ul>
 *   <li>{@link #connectLatency()}: the proxy waits this long after accepting a connection before
 *       it connects upstream. The client's own TCP handshake completes at once (the kernel does
 *       it); what is delayed is everything after it, so the first byte from the server arrives at
 *       least this much later. Taken from the fault in force when the connection is accepted.</li>
 *   <li>{@link #chunkLatency()}: each chunk the proxy reads (one {@code read()}, at most the
 *       configured chunk size) is written to the other side this much later, in order, in each
 *       direction; a request-response round trip is therefore slowed by twice this value. Taken
 *       from the fault in force when the chunk is read.</li>
 *   <li>{@link #bandwidthBytesPerSecond()}: a token bucket per direction, shared by all the
 *       proxy's connections (an aggregate link of this rate each way), with a burst of 1/20 s of
 *       traffic. 0 means unlimited.</li>
 *   <li>{@link #slowClose()}: when one side closes its sending direction (FIN), the proxy passes
 *       the FIN on this much later, after the bytes before it, in each direction; a close the
 *       other side answers with its own close is therefore delayed twice.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * proxy.setFault(TcpFault.builder().connectLatency(Duration.ofMillis(200)).build());
 * proxy.setFault(TcpFault.refuse());
 * proxy.setFault(TcpFault.none());
 * }</pre>
 */
public final class TcpFault {
    /** What the proxy does with a new connection. */
    public enum Mode {
        /** Accept, connect upstream and relay. */
        FORWARD,
        /** Port closed (kept reserved): the kernel refuses connects; attempts are not counted. */
        REFUSE,
        /** Accept, count, and close at once with a RST. */
        RESET,
        /** Relay nothing, in either direction, on any connection; hold new connections. */
        BLACKHOLE
    }

    private static final TcpFault NONE = builder().build();
    private static final TcpFault REFUSE = builder().mode(Mode.REFUSE).build();
    private static final TcpFault RESET = builder().mode(Mode.RESET).build();
    private static final TcpFault BLACKHOLE = builder().mode(Mode.BLACKHOLE).build();

    private final Mode mode;
    private final Duration connectLatency;
    private final Duration chunkLatency;
    private final long bandwidthBytesPerSecond;
    private final Duration slowClose;

    private TcpFault(Builder b) {
        this.mode = b.mode;
        this.connectLatency = b.connectLatency;
        this.chunkLatency = b.chunkLatency;
        this.bandwidthBytesPerSecond = b.bandwidthBytesPerSecond;
        this.slowClose = b.slowClose;
    }

    /**
     * No fault: forward everything at once.
     *
     * @return the shared instance
     */
    public static TcpFault none() {
        return NONE;
    }

    /**
     * Refuse connections at the kernel ({@code ECONNREFUSED}); see {@link Mode#REFUSE}.
     *
     * @return the shared instance
     */
    public static TcpFault refuse() {
        return REFUSE;
    }

    /**
     * Accept, count and reset each new connection; see {@link Mode#RESET}.
     *
     * @return the shared instance
     */
    public static TcpFault reset() {
        return RESET;
    }

    /**
     * Relay nothing and hold new connections; see {@link Mode#BLACKHOLE}.
     *
     * @return the shared instance
     */
    public static TcpFault blackhole() {
        return BLACKHOLE;
    }

    /**
     * Forward with added latency.
     *
     * @param connect delay before each upstream connect; zero or more
     * @param perChunk delay of each chunk in each direction; zero or more
     * @return the fault
     * @throws ConfigurationException if either is null or negative
     */
    public static TcpFault latency(Duration connect, Duration perChunk) {
        return builder().connectLatency(connect).chunkLatency(perChunk).build();
    }

    /**
     * Forward through a link limited to a rate in each direction.
     *
     * @param bytesPerSecond the rate of each direction, greater than 0
     * @return the fault
     * @throws ConfigurationException if the rate is not positive
     */
    public static TcpFault bandwidth(long bytesPerSecond) {
        return builder().bandwidthBytesPerSecond(Checks.positive(bytesPerSecond, "bandwidthBytesPerSecond")).build();
    }

    /**
     * Forward, passing each close on late.
     *
     * @param delay how long each FIN is held; greater than 0
     * @return the fault
     * @throws ConfigurationException if the delay is null or not positive
     */
    public static TcpFault slowClose(Duration delay) {
        return builder().slowClose(Checks.positive(delay, "slowClose")).build();
    }

    /**
     * Starts a builder with no fault: {@link Mode#FORWARD}, no latency, no limit, no slow close.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this fault's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.mode = mode;
        b.connectLatency = connectLatency;
        b.chunkLatency = chunkLatency;
        b.bandwidthBytesPerSecond = bandwidthBytesPerSecond;
        b.slowClose = slowClose;
        return b;
    }

    /**
     * What happens to new connections.
     *
     * @return the mode; default {@link Mode#FORWARD}
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Delay between accepting a connection and connecting it upstream.
     *
     * @return zero or more; default zero
     */
    public Duration connectLatency() {
        return connectLatency;
    }

    /**
     * Delay of each chunk read, in each direction.
     *
     * @return zero or more; default zero
     */
    public Duration chunkLatency() {
        return chunkLatency;
    }

    /**
     * Rate limit of each direction, aggregated over all connections.
     *
     * @return bytes per second; 0 (the default) means unlimited
     */
    public long bandwidthBytesPerSecond() {
        return bandwidthBytesPerSecond;
    }

    /**
     * How long a FIN is held before it is passed on.
     *
     * @return zero or more; default zero
     */
    public Duration slowClose() {
        return slowClose;
    }

    /**
     * Whether this fault changes nothing.
     *
     * @return true for {@link Mode#FORWARD} without any impairment
     */
    public boolean isNone() {
        return equals(NONE);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TcpFault)) {
            return false;
        }
        TcpFault other = (TcpFault) o;
        return mode == other.mode && bandwidthBytesPerSecond == other.bandwidthBytesPerSecond
                && connectLatency.equals(other.connectLatency) && chunkLatency.equals(other.chunkLatency)
                && slowClose.equals(other.slowClose);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, connectLatency, chunkLatency, bandwidthBytesPerSecond, slowClose);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(mode.name());
        if (!connectLatency.isZero()) {
            sb.append(" connectLatency=").append(connectLatency.toMillis()).append("ms");
        }
        if (!chunkLatency.isZero()) {
            sb.append(" chunkLatency=").append(chunkLatency.toMillis()).append("ms");
        }
        if (bandwidthBytesPerSecond > 0) {
            sb.append(" bandwidth=").append(bandwidthBytesPerSecond).append("B/s");
        }
        if (!slowClose.isZero()) {
            sb.append(" slowClose=").append(slowClose.toMillis()).append("ms");
        }
        return sb.toString();
    }

    /** Builds a {@link TcpFault}. Not thread-safe. */
    public static final class Builder {
        private Mode mode = Mode.FORWARD;
        private Duration connectLatency = Duration.ZERO;
        private Duration chunkLatency = Duration.ZERO;
        private long bandwidthBytesPerSecond;
        private Duration slowClose = Duration.ZERO;

        private Builder() {
        }

        /**
         * Sets the mode.
         *
         * @param mode what happens to new connections; default {@link Mode#FORWARD}
         * @return this builder
         * @throws ConfigurationException if null
         */
        public Builder mode(Mode mode) {
            this.mode = Checks.notNull(mode, "mode");
            return this;
        }

        /**
         * Sets the delay before each upstream connect.
         *
         * @param connectLatency zero or more; default zero
         * @return this builder
         * @throws ConfigurationException if null or negative
         */
        public Builder connectLatency(Duration connectLatency) {
            this.connectLatency = Checks.notNegative(connectLatency, "connectLatency");
            return this;
        }

        /**
         * Sets the delay of each chunk in each direction.
         *
         * @param chunkLatency zero or more; default zero
         * @return this builder
         * @throws ConfigurationException if null or negative
         */
        public Builder chunkLatency(Duration chunkLatency) {
            this.chunkLatency = Checks.notNegative(chunkLatency, "chunkLatency");
            return this;
        }

        /**
         * Sets the rate limit of each direction.
         *
         * @param bandwidthBytesPerSecond bytes per second, 0 for unlimited (the default)
         * @return this builder
         * @throws ConfigurationException if negative
         */
        public Builder bandwidthBytesPerSecond(long bandwidthBytesPerSecond) {
            Checks.check(bandwidthBytesPerSecond >= 0,
                    "bandwidthBytesPerSecond must be greater than or equal to 0, but was " + bandwidthBytesPerSecond);
            this.bandwidthBytesPerSecond = bandwidthBytesPerSecond;
            return this;
        }

        /**
         * Sets how long each FIN is held.
         *
         * @param slowClose zero or more; default zero
         * @return this builder
         * @throws ConfigurationException if null or negative
         */
        public Builder slowClose(Duration slowClose) {
            this.slowClose = Checks.notNegative(slowClose, "slowClose");
            return this;
        }

        /**
         * Builds the fault.
         *
         * @return an immutable fault
         */
        public TcpFault build() {
            return new TcpFault(this);
        }
    }
}
