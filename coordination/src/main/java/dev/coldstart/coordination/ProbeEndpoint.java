package dev.coldstart.coordination;

import dev.coldstart.coordination.internal.ProbeHandler;
import dev.coldstart.core.Availability;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ColdstartException;
import dev.coldstart.core.ServiceState;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server (Jetty 12) that answers the three Kubernetes probes from an {@link Availability}
 * source, and serves the application's own handlers on the same port.
 *
 * <ul>
 *   <li>{@code GET /health/live}: {@code 200} while {@link Availability#isLive()}, else {@code 503}.
 *       Live during a slow start, so Kubernetes does not kill a process that is still starting.</li>
 *   <li>{@code GET /health/ready}: {@code 200} only while {@link Availability#isReady()}: every
 *       required component's last real probe passed. Never {@code 200} before that.</li>
 *   <li>{@code GET /health/started}: {@code 200} once {@link Availability#isStarted()}; it flips
 *       once and stays.</li>
 * </ul>
 *
 * <p>Each answer carries {@link Availability#toJson()} (state, the three signals, degraded
 * components, per component its state and last error; no secrets, no stack traces) with
 * {@code Content-Type: application/json} and {@code Cache-Control: no-store}. {@code HEAD} is
 * answered like {@code GET} without a body; other methods get {@code 405}. Other paths go to the
 * application's handlers ({@link Builder#handler(Handler)}), and to {@code 404} when none takes
 * them.
 *
 * <p>Start the endpoint <em>before</em> the orchestrator, so that the port is bound and the probes
 * answer truthfully during the whole start: live {@code 200}, ready and started {@code 503}. It is
 * not a component the orchestrator waits for. Until an availability source is set the endpoint
 * answers as a service that has not started: live, not ready, not started. The port is bound
 * through a {@link PortAllocator} (or handed over as a {@link BoundPort}) and passed to Jetty as an
 * already bound channel, so the port cannot be lost between a check and the bind.
 *
 * <p>Requests run on a bounded Jetty thread pool whose threads are named
 * {@code coldstart-<name>-<n>}. {@link #stop()} stops accepting, lets requests in flight finish
 * within {@link Builder#stopTimeout(Duration)}, then closes the port. Thread-safe.
 *
 * <pre>{@code
 * StartupOrchestrator orchestrator = StartupOrchestrator.builder()...build();
 * ProbeEndpoint http = ProbeEndpoint.builder()
 *         .port(8080)
 *         .availability(orchestrator::availability)
 *         .handler(apiHandler)                      // the application's API on the same port
 *         .build()
 *         .start();                                 // probes answer from now on
 * orchestrator.start();                             // /health/ready turns 200 when READY
 * ...
 * orchestrator.stop();                              // readiness goes down, components drain
 * http.stop();                                      // last, so probes answer until the end
 * }</pre>
 */
public final class ProbeEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProbeEndpoint.class);

    /** Default endpoint name, used in logs and thread names: {@code "http"}. */
    public static final String DEFAULT_NAME = "http";
    /** Default port: 0, meaning an ephemeral port chosen by the system. */
    public static final int DEFAULT_PORT = 0;
    /** Default prefix of the probe paths: {@code /health}. */
    public static final String DEFAULT_BASE_PATH = "/health";
    /** Default size of the request thread pool: 16 threads at most. */
    public static final int DEFAULT_MAX_THREADS = 16;
    /** Smallest allowed thread pool: one acceptor, one selector and the rest for requests. */
    public static final int MIN_MAX_THREADS = 6;
    /** Default idle timeout of a connection: 30 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Default time that requests in flight get to finish on stop: 5 s. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

    private static final long SHUTDOWN_IDLE_TIMEOUT_MILLIS = 200;

    /** What the endpoint answers before any availability source is set: live, not started, not ready. */
    private static final Availability NOT_STARTED = new Availability(ServiceState.NEW, false, true, false, List.of());

    private final String name;
    private final int requestedPort;
    private final PortAllocator portAllocator;
    private final String basePath;
    private final List<Handler> handlers;
    private final int maxThreads;
    private final Duration idleTimeout;
    private final Duration stopTimeout;

    private volatile Supplier<Availability> source;
    private BoundPort handedOver;
    private Server server;
    private BoundPort bound;
    private boolean stopped;

    private ProbeEndpoint(Builder b) {
        this.name = b.name;
        this.requestedPort = b.port;
        this.portAllocator = b.portAllocator;
        this.basePath = b.basePath;
        this.handlers = List.copyOf(b.handlers);
        this.maxThreads = b.maxThreads;
        this.idleTimeout = b.idleTimeout;
        this.stopTimeout = b.stopTimeout;
        this.source = b.availability;
        this.handedOver = b.boundPort;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving. Calling it again on a running endpoint does nothing.
     *
     * @return this endpoint
     * @throws PortBindException if the port cannot be bound under the allocator's policy
     * @throws ColdstartException if Jetty fails to start; the port is released
     * @throws IllegalStateException if the endpoint was stopped; an endpoint starts once
     */
    public synchronized ProbeEndpoint start() {
        if (stopped) {
            throw new IllegalStateException(name + " - the endpoint was stopped; build a new one to serve again");
        }
        if (server != null) {
            return this;
        }
        BoundPort port = handedOver != null ? handedOver : portAllocator.bind(requestedPort);
        handedOver = null;
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(2, maxThreads),
                (int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
        threads.setName("coldstart-" + name);
        Server s = new Server(threads, new ScheduledExecutorScheduler("coldstart-" + name + "-scheduler", false), null);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(s, 1, 1, new HttpConnectionFactory(config));
        connector.setIdleTimeout(idleTimeout.toMillis());
        // While stopping, keep-alive connections idle this long are closed (Jetty's default is 1 s),
        // so clients move on to other instances instead of holding the stop up.
        connector.setShutdownIdleTimeout(Math.max(1, Math.min(SHUTDOWN_IDLE_TIMEOUT_MILLIS, stopTimeout.toMillis())));
        List<Handler> chain = new ArrayList<>();
        chain.add(new ProbeHandler(name, basePath, this::current));
        chain.addAll(handlers);
        s.setHandler(new GracefulHandler(new Handler.Sequence(chain)));
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowCauses(false);
        s.setErrorHandler(errors);
        s.setStopTimeout(stopTimeout.toMillis());
        try {
            connector.open(port.channel());
            s.addConnector(connector);
            s.start();
        } catch (Exception e) {
            try {
                s.stop();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            port.close();
            throw new ColdstartException(name + " - the HTTP server could not start on port " + port.port() + ": " + e
                    + "; the port was released", e);
        }
        server = s;
        bound = port;
        log.info("{} - listening on port {}{} (probes at {}/live, {}/ready, {}/started)", name, port.port(),
                port.isFallback() ? " (port " + port.requestedPort() + " was in use)" : "", basePath, basePath, basePath);
        return this;
    }

    private Availability current() {
        return source.get();
    }

    /**
     * Sets where the probes read the availability; the endpoint may already be serving. Typically
     * {@code orchestrator::availability}.
     *
     * @param source called on every probe request from Jetty threads; must be thread-safe and fast;
     *     not null
     * @return this endpoint
     */
    public ProbeEndpoint availability(Supplier<Availability> source) {
        this.source = Checks.notNull(source, "availability");
        return this;
    }

    /**
     * The port the endpoint listens on; with {@link PortPolicy#EPHEMERAL_FALLBACK} or port 0 this
     * is the one to register for discovery.
     *
     * @return the bound port
     * @throws IllegalStateException if not started
     */
    public synchronized int port() {
        return boundPort().port();
    }

    /**
     * The socket the endpoint serves on.
     *
     * @return the bound port
     * @throws IllegalStateException if not started
     */
    public synchronized BoundPort boundPort() {
        if (bound == null) {
            throw new IllegalStateException(name + " - not started; call start() first");
        }
        return bound;
    }

    /**
     * The base URI for clients on this machine: the bound address, or the loopback address when
     * bound to all interfaces.
     *
     * @return for example {@code http://127.0.0.1:8080}
     * @throws IllegalStateException if not started
     */
    public synchronized URI uri() {
        BoundPort b = boundPort();
        InetAddress a = b.address().getAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + b.port());
    }

    /**
     * Whether the endpoint is serving.
     *
     * @return true between {@link #start()} and {@link #stop()}
     */
    public synchronized boolean isRunning() {
        return server != null && server.isRunning();
    }

    /**
     * Stops accepting connections, lets requests in flight finish within the stop timeout, and
     * releases the port. Idempotent. Stop the orchestrator first, so that probes answer while
     * components drain.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (handedOver != null) {
            handedOver.close();
            handedOver = null;
        }
        if (server == null) {
            return;
        }
        long begin = System.nanoTime();
        try {
            server.stop();
            log.info("{} - stopped in {} ms, port {} released", name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), bound.port());
        } catch (Exception e) {
            log.warn("{} - stopping the HTTP server failed: {}", name, e.toString(), e);
        } finally {
            bound.close();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * The endpoint's name.
     *
     * @return the name used in logs and thread names
     */
    public String name() {
        return name;
    }

    /**
     * The port allocator used when no {@link BoundPort} was handed over.
     *
     * @return the allocator
     */
    public PortAllocator portAllocator() {
        return portAllocator;
    }

    @Override
    public synchronized String toString() {
        return "ProbeEndpoint{name=" + name + ", port=" + (bound == null ? requestedPort : bound.port())
                + ", running=" + isRunning() + '}';
    }

    /** Builder for {@link ProbeEndpoint}; not thread-safe. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private int port = DEFAULT_PORT;
        private PortAllocator portAllocator = PortAllocator.ofDefaults();
        private BoundPort boundPort;
        private String basePath = DEFAULT_BASE_PATH;
        private final List<Handler> handlers = new ArrayList<>();
        private int maxThreads = DEFAULT_MAX_THREADS;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private Supplier<Availability> availability = () -> NOT_STARTED;

        private Builder() {
        }

        /**
         * Sets the endpoint's name, used in logs and thread names.
         *
         * @param name not blank; default {@code "http"}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Sets the port to bind through the {@link #portAllocator(PortAllocator)}.
         *
         * @param port 0 to 65535; 0 (the default) binds an ephemeral port
         * @return this builder
         */
        public Builder port(int port) {
            Checks.check(port >= 0 && port <= 65535, "port must be between 0 and 65535, but was " + port);
            this.port = port;
            return this;
        }

        /**
         * Sets the allocator that binds {@link #port(int)}: its address, its policy when the port
         * is in use, and {@code SO_REUSEADDR}.
         *
         * @param portAllocator not null; default {@link PortAllocator#ofDefaults()}
         * @return this builder
         */
        public Builder portAllocator(PortAllocator portAllocator) {
            this.portAllocator = Checks.notNull(portAllocator, "portAllocator");
            return this;
        }

        /**
         * Hands over a port that is already bound; {@link #port(int)} and the allocator are then not
         * used. The endpoint owns the channel from now on and closes it on stop.
         *
         * @param boundPort an open bound port, or null to bind through the allocator (the default)
         * @return this builder
         */
        public Builder boundPort(BoundPort boundPort) {
            this.boundPort = boundPort;
            return this;
        }

        /**
         * Sets the prefix of the probe paths.
         *
         * @param basePath starts with {@code /} and does not end with one; default {@code /health}
         * @return this builder
         */
        public Builder basePath(String basePath) {
            Checks.notBlank(basePath, "basePath");
            Checks.check(basePath.startsWith("/") && !basePath.endsWith("/"),
                    "basePath must start with '/' and not end with '/', but was \"" + basePath + "\"");
            this.basePath = basePath;
            return this;
        }

        /**
         * Adds an application handler for the paths the probes do not answer. Handlers are tried in
         * the order added; a handler that returns false passes the request on.
         *
         * @param handler a Jetty 12 core handler; not null
         * @return this builder
         */
        public Builder handler(Handler handler) {
            handlers.add(Checks.notNull(handler, "handler"));
            return this;
        }

        /**
         * Sets the availability source; it can also be set after start with
         * {@link ProbeEndpoint#availability(Supplier)}.
         *
         * @param availability called on every probe request; thread-safe and fast; not null;
         *     default: a service that has not started (live, not ready, not started)
         * @return this builder
         */
        public Builder availability(Supplier<Availability> availability) {
            this.availability = Checks.notNull(availability, "availability");
            return this;
        }

        /**
         * Sets the most threads the server uses, acceptor and selector included.
         *
         * @param maxThreads at least {@value ProbeEndpoint#MIN_MAX_THREADS}; default 16
         * @return this builder
         */
        public Builder maxThreads(int maxThreads) {
            Checks.check(maxThreads >= MIN_MAX_THREADS, "maxThreads must be at least " + MIN_MAX_THREADS
                    + " (one acceptor, one selector, the rest for requests), but was " + maxThreads);
            this.maxThreads = maxThreads;
            return this;
        }

        /**
         * Sets how long an idle connection stays open.
         *
         * @param idleTimeout positive; default 30 s
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Checks.positive(idleTimeout, "idleTimeout");
            return this;
        }

        /**
         * Sets how long requests in flight may take to finish when the endpoint stops.
         *
         * @param stopTimeout zero or more; default 5 s
         * @return this builder
         */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Checks.notNegative(stopTimeout, "stopTimeout");
            return this;
        }

        /**
         * Builds the endpoint; nothing is bound until {@link ProbeEndpoint#start()}.
         *
         * @return a new endpoint
         */
        public ProbeEndpoint build() {
            return new ProbeEndpoint(this);
        }
    }
}
