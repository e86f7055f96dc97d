package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.websocket.internal.ServerRuntime;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A WebSocket server on Jetty 12 that survives cold starts: upgrade admission (rate limit and
 * in-flight cap, 503 with Retry-After for the excess), origin and token checks before the upgrade,
 * heartbeats with spread phases, per-session sequence numbers with resume from a
 * {@link MessageLog}, and a {@link Broadcaster} with per-session backpressure.
 *
 * <p>The server is made of four {@link Component}s so that each shows in the startup report and
 * the probes: the message log, {@code <name>-heartbeats} (the ping scheduler), {@code <name>-sender}
 * (the delivery threads) and this one, which binds the port and {@linkplain #dependsOn() depends on}
 * the other three, so no client can connect before everything it needs runs. Register them all with
 * {@link #components()}.
 *
 * <p>The protocol on the connection (hello, welcome, sequenced messages, gap markers) is specified
 * in {@code docs/websocket.md}; {@link ReconnectingClient} implements its client side.
 *
 * <p>Thread-safe. A stopped server cannot be started again; create a new one with the same config
 * (and the same shared log) to restart.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.of(WebSocketServerConfig.builder()
 *         .port(8081)
 *         .originPolicy(OriginPolicy.builder().allowOrigin("https://app.example.com").build())
 *         .build());
 * StartupOrchestrator orchestrator = StartupOrchestrator.builder().components(server.components()).build();
 * orchestrator.start();
 * server.broadcaster().broadcast("{\"price\":42}");
 * }</pre>
 */
public final class WebSocketServer implements Component {
    private final WebSocketServerConfig config;
    private final ServerRuntime runtime;

    private WebSocketServer(WebSocketServerConfig config) {
        this.config = config;
        this.runtime = new ServerRuntime(config);
    }

    /**
     * Creates a server; nothing runs until its components start.
     *
     * @param config the configuration
     * @return a new server
     */
    public static WebSocketServer of(WebSocketServerConfig config) {
        return new WebSocketServer(Checks.notNull(config, "config"));
    }

    /**
     * This server's components in start order: the message log, the heartbeats, the sender and the
     * server itself.
     *
     * @return an immutable list of four components
     */
    public List<Component> components() {
        return List.of(config.messageLog(), runtime.heartbeatComponent(), runtime.senderComponent(), this);
    }

    @Override
    public String name() {
        return config.name();
    }

    /**
     * The message log, the heartbeats and the sender.
     *
     * @return their names
     */
    @Override
    public Set<String> dependsOn() {
        return Set.copyOf(new LinkedHashSet<>(runtime.partNames()));
    }

    /**
     * Binds the port and serves upgrades.
     *
     * @throws dev.coldstart.core.NonRetryableException if the port is held by another process
     * @throws Exception if Jetty fails to start
     */
    @Override
    public void start() throws Exception {
        runtime.start();
    }

    /**
     * Checks that the port accepts a TCP connection.
     *
     * @return up, or down with the reason
     */
    @Override
    public Health probe() {
        return runtime.probe();
    }

    /**
     * Stops accepting, closes every connection with 1001 (clients reconnect and resume elsewhere or
     * after the restart) and stops Jetty. Sessions stay in the log.
     *
     * @param drainTimeout how long Jetty may take to stop, capped at 5 s
     * @throws Exception if Jetty fails to stop
     */
    @Override
    public void stop(Duration drainTimeout) throws Exception {
        runtime.stop(drainTimeout);
    }

    /**
     * The broadcaster delivering through this server's sessions.
     *
     * @return the broadcaster
     */
    public Broadcaster broadcaster() {
        return runtime.broadcaster();
    }

    /**
     * The configuration.
     *
     * @return the configuration
     */
    public WebSocketServerConfig config() {
        return config;
    }

    /**
     * The bound port, useful with port 0.
     *
     * @return the port, or -1 before the start
     */
    public int port() {
        return runtime.port();
    }

    /**
     * The endpoint's URI as a client on this machine reaches it.
     *
     * @return for example {@code ws://127.0.0.1:8081/ws}
     * @throws IllegalStateException before the start
     */
    public URI uri() {
        int p = port();
        if (p < 0) {
            throw new IllegalStateException(config.name() + " - not started; its URI is known once the port is bound");
        }
        String host = "0.0.0.0".equals(config.host()) || "::".equals(config.host()) ? "127.0.0.1" : config.host();
        return URI.create("ws://" + host + ":" + p + config.path());
    }

    /**
     * A snapshot of the server's counters.
     *
     * @return the snapshot
     */
    public WebSocketServerStats stats() {
        return runtime.stats();
    }

    /**
     * The heartbeat's phase distribution over the open connections.
     *
     * @return the live schedule
     */
    public PingSchedule pingSchedule() {
        return runtime.pingSchedule();
    }

    @Override
    public String toString() {
        return "WebSocketServer[" + config.name() + ", port " + port() + "]";
    }
}
