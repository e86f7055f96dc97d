package dev.coldstart.testkit.fault;

/**
 * A snapshot of a {@link TcpFaultProxy}'s counters. Counters only grow over the proxy's life;
 * gauges ({@link #openConnections()}) go up and down. Each field is read atomically, but the
 * snapshot as a whole is not taken under a lock, so two fields may be a few events apart while
 * traffic flows. Immutable and thread-safe.
 */
public final class ProxyStats {
    private final long connectionAttempts;
    private final long connectionsForwarded;
    private final long connectionsReset;
    private final long connectionsSwallowed;
    private final long upstreamConnectFailures;
    private final long openConnections;
    private final long peakOpenConnections;
    private final long bytesClientToUpstream;
    private final long bytesUpstreamToClient;

    /**
     * Creates a snapshot; used by the proxy.
     *
     * @param connectionAttempts connections the proxy accepted
     * @param connectionsForwarded connections connected upstream
     * @param connectionsReset connections reset by a RESET fault
     * @param connectionsSwallowed connections swallowed by a counted BLACKHOLE step
     * @param upstreamConnectFailures upstream connects that failed or timed out
     * @param openConnections client connections the proxy holds now
     * @param peakOpenConnections the most client connections held at once
     * @param bytesClientToUpstream bytes written to the upstream
     * @param bytesUpstreamToClient bytes written to clients
     */
    public ProxyStats(long connectionAttempts, long connectionsForwarded, long connectionsReset,
            long connectionsSwallowed, long upstreamConnectFailures, long openConnections, long peakOpenConnections,
            long bytesClientToUpstream, long bytesUpstreamToClient) {
        this.connectionAttempts = connectionAttempts;
        this.connectionsForwarded = connectionsForwarded;
        this.connectionsReset = connectionsReset;
        this.connectionsSwallowed = connectionsSwallowed;
        this.upstreamConnectFailures = upstreamConnectFailures;
        this.openConnections = openConnections;
        this.peakOpenConnections = peakOpenConnections;
        this.bytesClientToUpstream = bytesClientToUpstream;
        this.bytesUpstreamToClient = bytesUpstreamToClient;
    }

    /**
     * Connection attempts that reached the proxy: every connection its listening socket accepted,
     * whatever happened next (forwarded, reset, held, swallowed). Connects refused by the kernel
     * under {@link TcpFault.Mode#REFUSE} are not included: they never reach user space.
     *
     * @return the count since the proxy started
     */
    public long connectionAttempts() {
        return connectionAttempts;
    }

    /**
     * Connections whose upstream connect succeeded.
     *
     * @return the count since the proxy started
     */
    public long connectionsForwarded() {
        return connectionsForwarded;
    }

    /**
     * Connections accepted and reset at once by a {@link TcpFault.Mode#RESET} fault or a
     * {@link FaultSchedule.Builder#failFirst(int)} step. Resets of open connections by
     * {@link TcpFaultProxy#resetOpenConnections()} are not included.
     *
     * @return the count since the proxy started
     */
    public long connectionsReset() {
        return connectionsReset;
    }

    /**
     * Connections swallowed by a BLACKHOLE step counted in connections.
     *
     * @return the count since the proxy started
     */
    public long connectionsSwallowed() {
        return connectionsSwallowed;
    }

    /**
     * Upstream connects that failed (refused, unreachable) or timed out; the client of each was
     * reset.
     *
     * @return the count since the proxy started
     */
    public long upstreamConnectFailures() {
        return upstreamConnectFailures;
    }

    /**
     * Client connections the proxy holds open now, in any state (connecting, forwarding, held by
     * a blackhole, swallowed, half-closed).
     *
     * @return the current count
     */
    public long openConnections() {
        return openConnections;
    }

    /**
     * The largest {@link #openConnections()} seen.
     *
     * @return the peak since the proxy started
     */
    public long peakOpenConnections() {
        return peakOpenConnections;
    }

    /**
     * Bytes the proxy wrote to the upstream. Bytes are counted right after each write returns, so
     * the receiver may have read them a moment before they show here.
     *
     * @return the count since the proxy started
     */
    public long bytesClientToUpstream() {
        return bytesClientToUpstream;
    }

    /**
     * Bytes the proxy wrote to clients, counted like {@link #bytesClientToUpstream()}.
     *
     * @return the count since the proxy started
     */
    public long bytesUpstreamToClient() {
        return bytesUpstreamToClient;
    }

    @Override
    public String toString() {
        return "ProxyStats(attempts=" + connectionAttempts + ", forwarded=" + connectionsForwarded
                + ", reset=" + connectionsReset + ", swallowed=" + connectionsSwallowed
                + ", upstreamConnectFailures=" + upstreamConnectFailures + ", open=" + openConnections
                + ", peakOpen=" + peakOpenConnections + ", bytesToUpstream=" + bytesClientToUpstream
                + ", bytesToClient=" + bytesUpstreamToClient + ")";
    }
}
