package dev.coldstart.websocket.internal;

import dev.coldstart.core.Component;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.Health;
import dev.coldstart.core.NonRetryableException;
import dev.coldstart.core.VerifiedToken;
import dev.coldstart.websocket.Broadcaster;
import dev.coldstart.websocket.MessageLog;
import dev.coldstart.websocket.PingSchedule;
import dev.coldstart.websocket.WebSocketServerConfig;
import dev.coldstart.websocket.WebSocketServerStats;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything behind a {@code WebSocketServer}: the Jetty server with its upgrade guard, the
 * heartbeat and sender components, the session hub and the counters. Thread-safe.
 */
public final class ServerRuntime {
    private static final Logger log = LoggerFactory.getLogger(ServerRuntime.class);
    private static final int PROBE_CONNECT_TIMEOUT_MILLIS = 1000;
    private static final Duration THREAD_SAMPLE_INTERVAL = Duration.ofMillis(100);

    final WebSocketServerConfig config;
    final Counters counters = new Counters();
    final Admission admission;
    final MessageLog messageLog;
    final Heartbeats heartbeats;
    final Sender sender;
    final Hub hub;
    private final LogOnlyBroadcaster broadcaster;
    private volatile Server jetty;
    private volatile ServerConnector connector;
    private volatile QueuedThreadPool pool;
    private volatile int boundPort = -1;

    /**
     * Creates the runtime; nothing runs until the components start.
     *
     * @param config the server's configuration
     */
    public ServerRuntime(WebSocketServerConfig config) {
        this.config = config;
        this.admission = new Admission(config.admission(), System::nanoTime);
        this.messageLog = config.messageLog();
        this.heartbeats = new Heartbeats(config.name() + "-heartbeats", config.heartbeat(), counters);
        this.sender = new Sender(config.name() + "-sender", config.senderThreads());
        this.hub = new Hub(this);
        this.broadcaster = new LogOnlyBroadcaster(messageLog, hub::appended);
    }

    /**
     * The heartbeat component.
     *
     * @return it
     */
    public Component heartbeatComponent() {
        return heartbeats;
    }

    /**
     * The sender component.
     *
     * @return it
     */
    public Component senderComponent() {
        return sender;
    }

    /**
     * The broadcaster delivering through this server.
     *
     * @return it
     */
    public Broadcaster broadcaster() {
        return broadcaster;
    }

    /**
     * The live phase distribution of the heartbeat.
     *
     * @return the schedule
     */
    public PingSchedule pingSchedule() {
        return heartbeats.schedule();
    }

    /**
     * Binds the port and starts serving upgrades.
     *
     * @throws ConfigurationException if the port is taken (not retried: another process holds it)
     * @throws Exception if Jetty fails to start otherwise
     */
    public synchronized void start() throws Exception {
        if (jetty != null) {
            return;
        }
        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()));
        threads.setName(config.name() + "-jetty");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector c = new ServerConnector(server);
        c.setHost(config.host());
        c.setPort(config.port());
        c.setAcceptQueueSize(config.acceptQueueSize());
        c.setReuseAddress(true);
        server.addConnector(c);
        Duration idle = jettyIdleTimeout();
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(idle);
            container.setMaxTextMessageSize(config.maxClientMessageBytes());
            container.setMaxBinaryMessageSize(1024);
            container.addMapping(config.path(), (request, response, callback) ->
                    new ServerEndpoint(this, (VerifiedToken) request.getAttribute(UpgradeGuard.TOKEN_ATTRIBUTE)));
        });
        server.setHandler(new UpgradeGuard(ws, this, threads));
        server.setStopTimeout(5_000);
        try {
            server.start();
        } catch (IOException e) {
            server.stop();
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new NonRetryableException(config.name() + " - cannot bind " + config.host() + ":" + config.port()
                        + " (" + e.getMessage() + "); another process holds the port: free it or configure another", e);
            }
            throw e;
        }
        jetty = server;
        connector = c;
        pool = threads;
        boundPort = c.getLocalPort();
        heartbeats.every(hub::sweep, Hub.sweepInterval(messageLog.limits().sessionTtl()));
        heartbeats.every(hub::poll, config.logPollInterval());
        heartbeats.every(() -> {
            counters.sampleThreads(threads);
            // How long a job waits for a server thread: long waits are what thread exhaustion does.
            long submitted = System.nanoTime();
            threads.execute(() -> counters.threadWait(System.nanoTime() - submitted));
        }, THREAD_SAMPLE_INTERVAL);
        log.info("{} - listening on ws://{}:{}{} ({}, {}, {})", config.name(), config.host(), boundPort, config.path(),
                config.admission(), config.originPolicy(), config.auth());
    }

    /**
     * A real check: the port accepts a TCP connection and Jetty is running.
     *
     * @return up, or down with the reason
     */
    public Health probe() {
        Server server = jetty;
        if (server == null || !server.isRunning()) {
            return Health.down("not listening");
        }
        String host = "0.0.0.0".equals(config.host()) || "::".equals(config.host()) ? "127.0.0.1" : config.host();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, boundPort), PROBE_CONNECT_TIMEOUT_MILLIS);
            return Health.up();
        } catch (IOException e) {
            return Health.down("port " + boundPort + " does not accept connections: " + e.getMessage());
        }
    }

    /**
     * Stops accepting, closes every connection with 1001 and stops Jetty; sessions stay in the log.
     *
     * @param drainTimeout how long to wait for Jetty to stop
     * @throws Exception if Jetty fails to stop
     */
    public synchronized void stop(Duration drainTimeout) throws Exception {
        Server server = jetty;
        if (server == null) {
            return;
        }
        ServerConnector c = connector;
        if (c != null) {
            c.close();
        }
        hub.closeAll(StatusCode.SHUTDOWN, "server stopping; reconnect and resume");
        server.setStopTimeout(Math.max(100, Math.min(drainTimeout.toMillis(), 5_000)));
        server.stop();
        jetty = null;
        connector = null;
        log.info("{} - stopped (port {})", config.name(), boundPort);
    }

    /**
     * The bound port.
     *
     * @return the port, or -1 before the first start
     */
    public int port() {
        return boundPort;
    }

    /**
     * A snapshot of the counters.
     *
     * @return the snapshot
     */
    public WebSocketServerStats stats() {
        Counters k = counters;
        QueuedThreadPool p = pool;
        return new WebSocketServerStats(k.admitted.sum(), k.rejectedByRate.sum(), k.rejectedInFlight.sum(),
                k.forbiddenOrigin.sum(), k.unauthorized.sum(), k.verifierUnavailable.sum(), k.tokenVerifications.sum(),
                admission.inFlight(), admission.peakInFlight(), k.maxAdmittedInOneSecond(), k.openConnections.get(),
                k.peakOpenConnections.get(), hub.sessions(), k.newSessions.sum(), k.resumedSessions.sum(),
                k.resyncedSessions.sum(), k.pingsSent.sum(), k.pongsReceived.sum(), k.heartbeatCloses.sum(),
                k.framesSent.sum(), k.messagesSent.sum(), k.gapMarkersSent.sum(), k.sendFailures.sum(),
                k.peakBusyThreads.get(), p == null ? config.maxThreads() : p.getMaxThreads(), k.peakQueuedJobs.get(),
                k.threadSamples.sum(), k.lowOnThreadsSamples.sum(), k.peakThreadWaitNanos.get() / 1_000_000);
    }

    /**
     * The dependency names of the server component.
     *
     * @return the log's, the heartbeat's and the sender's names
     */
    public List<String> partNames() {
        return List.of(messageLog.name(), heartbeats.name(), sender.name());
    }

    /**
     * Jetty's own idle timeout: a backstop above the heartbeat's close deadline, since a healthy
     * connection carries a ping every interval.
     */
    private Duration jettyIdleTimeout() {
        Duration backstop = config.heartbeat().closeDeadline().plus(config.heartbeat().interval()).plusSeconds(5);
        Duration floor = Duration.ofSeconds(30);
        return backstop.compareTo(floor) > 0 ? backstop : floor;
    }
}
