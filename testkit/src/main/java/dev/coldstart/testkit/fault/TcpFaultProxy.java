package dev.coldstart.testkit.fault;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.testkit.internal.fault.ProxyEngine;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, injecting network faults that can be
 * switched at runtime or scheduled over time: latency on connect and per chunk, refused connects,
 * resets, blackholes (half-open TCP), a bandwidth limit and slow closes. What each fault does on
 * the wire is described on {@link TcpFault}; how faults follow each other on {@link FaultSchedule}.
 *
 * <p>Design: one non-blocking {@link java.nio.channels.Selector} thread accepts, connects and
 * relays every connection; there is no thread per connection, so thousands of connections cost a
 * few kilobytes each plus their sockets (each forwarded connection uses two file descriptors in
 * this process). Bytes are relayed in chunks of at most {@link TcpFaultProxyConfig#chunkSizeBytes()};
 * at most {@link TcpFaultProxyConfig#maxBufferedBytesPerDirection()} are held per connection and
 * direction, beyond which the proxy stops reading and the sender sees ordinary TCP backpressure.
 * Half-closes are relayed (a FIN from one side becomes a {@code shutdownOutput} on the other); a
 * reset or write failure on one side resets the other.
 *
 * <p>Counting: {@link ProxyStats#connectionAttempts()} counts every connection the listening
 * socket accepts, including those reset by {@link TcpFault.Mode#RESET} and those held by a
 * blackhole. Connects refused under {@link TcpFault.Mode#REFUSE} are answered by the kernel and
 * cannot be counted; to count the attempts of a retry storm during an outage, use
 * {@link FaultSchedule.Builder#resetFor(java.time.Duration)}.
 *
 * <p>Thread safety: every method may be called from any thread. {@link #setFault(TcpFault)},
 * {@link #schedule(FaultSchedule)} and {@link #resetOpenConnections()} hand the change to the
 * selector thread and return once it is in force, so a connect made after
 * {@code setFault(TcpFault.refuse())} returns is refused.
 *
 * <pre>{@code
 * try (TcpFaultProxy proxy = TcpFaultProxy.start("127.0.0.1", 5432)) {
 *     String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test";
 *     proxy.schedule(FaultSchedule.builder().resetFor(Duration.ofSeconds(10)).thenForward());
 *     // start the service against url; later:
 *     long attempts = proxy.stats().connectionAttempts();
 * }
 * }</pre>
 */
public final class TcpFaultProxy implements AutoCloseable {
    private final TcpFaultProxyConfig config;
    private final ProxyEngine engine;

    private TcpFaultProxy(TcpFaultProxyConfig config, ProxyEngine engine) {
        this.config = config;
        this.engine = engine;
    }

    /**
     * Starts a proxy with the given configuration. The listening socket is bound (or, with an
     * initial REFUSE fault, reserved) when this method returns.
     *
     * @param config the configuration
     * @return the running proxy; close it to free its port, sockets and thread
     * @throws UncheckedIOException if the listening port cannot be bound (taken, or not allowed)
     * @throws ConfigurationException if the config is null or the upstream host does not resolve
     */
    public static TcpFaultProxy start(TcpFaultProxyConfig config) {
        Checks.notNull(config, "config");
        return new TcpFaultProxy(config, ProxyEngine.start(config));
    }

    /**
     * Starts a proxy on an ephemeral port of 127.0.0.1 in front of an upstream, without fault.
     *
     * @param upstreamHost the server's host, for example {@code "127.0.0.1"}
     * @param upstreamPort the server's port, 1-65535
     * @return the running proxy
     * @throws UncheckedIOException if no port can be bound
     * @throws ConfigurationException if the host is blank, the port out of range or the host does not resolve
     */
    public static TcpFaultProxy start(String upstreamHost, int upstreamPort) {
        return start(TcpFaultProxyConfig.builder().upstream(upstreamHost, upstreamPort).build());
    }

    /**
     * The configuration the proxy was started with.
     *
     * @return the config
     */
    public TcpFaultProxyConfig config() {
        return config;
    }

    /**
     * The host clients connect to.
     *
     * @return the listening host, {@code "127.0.0.1"} by default
     */
    public String host() {
        return engine.listenAddress().getHostString();
    }

    /**
     * The port clients connect to; it stays the same across REFUSE periods.
     *
     * @return the bound port
     */
    public int port() {
        return engine.listenAddress().getPort();
    }

    /**
     * The address clients connect to.
     *
     * @return host and bound port
     */
    public InetSocketAddress address() {
        return engine.listenAddress();
    }

    /**
     * The upstream server's address.
     *
     * @return the resolved upstream address
     */
    public InetSocketAddress upstream() {
        return engine.upstream();
    }

    /**
     * The fault in force now (set directly or by the running schedule's current step). During a
     * step counted in connections this is {@link TcpFault#none()}: the step's fault applies to
     * each counted connection, not proxy-wide.
     *
     * @return the fault
     */
    public TcpFault fault() {
        return engine.fault();
    }

    /**
     * Puts a fault in force at once, proxy-wide, cancelling a running schedule (whose future then
     * completes with a {@link java.util.concurrent.CancellationException}). Returns once the
     * selector thread has applied it: for REFUSE the port no longer listens, for BLACKHOLE nothing
     * is relayed any more, when leaving REFUSE the port listens again.
     *
     * @param fault the fault
     * @throws ConfigurationException if the fault is null
     * @throws UncheckedIOException if leaving REFUSE the port cannot be bound again
     * @throws IllegalStateException if the proxy is closed
     */
    public void setFault(TcpFault fault) {
        Checks.notNull(fault, "fault");
        engine.setFault(fault);
    }

    /**
     * Removes every fault: same as {@code setFault(TcpFault.none())}.
     *
     * @throws IllegalStateException if the proxy is closed
     */
    public void clearFault() {
        setFault(TcpFault.none());
    }

    /**
     * Starts a schedule of faults, cancelling a running one; its time counts from this call.
     * Returns once the first step is in force.
     *
     * @param schedule the schedule
     * @return completes normally when the schedule reaches its final fault, exceptionally with a
     *     {@link java.util.concurrent.CancellationException} when it is replaced or the proxy closes,
     *     or with the failure of a step (such as the port taken while refusing). It is completed
     *     from {@link java.util.concurrent.ForkJoinPool#commonPool()} a moment after the step took
     *     effect, never from the selector thread, so callbacks may block. Completing or cancelling
     *     it does not affect the proxy.
     * @throws ConfigurationException if the schedule is null
     * @throws UncheckedIOException if the first step cannot be applied
     * @throws IllegalStateException if the proxy is closed
     */
    public CompletableFuture<Void> schedule(FaultSchedule schedule) {
        Checks.notNull(schedule, "schedule");
        return engine.schedule(schedule);
    }

    /**
     * Resets (RST to both sides) every connection the proxy holds now, as a crashed server would.
     * The fault in force is unchanged. Returns once the resets are sent.
     *
     * @return how many connections were reset
     * @throws IllegalStateException if the proxy is closed
     */
    public int resetOpenConnections() {
        return engine.resetOpenConnections();
    }

    /**
     * The proxy's counters now.
     *
     * @return a snapshot
     */
    public ProxyStats stats() {
        return engine.stats();
    }

    /**
     * Whether the proxy still runs.
     *
     * @return false once closed
     */
    public boolean isRunning() {
        return engine.isRunning();
    }

    /**
     * Stops the proxy: closes every connection (FIN to both sides), the listening socket or the
     * port reservation, and the selector thread. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return config.name() + " " + host() + ":" + port() + " -> " + upstream() + " (" + fault() + ")";
    }
}
