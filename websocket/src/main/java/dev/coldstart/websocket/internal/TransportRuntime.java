package dev.coldstart.websocket.internal;

import dev.coldstart.core.ColdstartException;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared parts of many client connections: one Jetty {@link HttpClient} and
 * {@link WebSocketClient} on a bounded thread pool, and one scheduler thread for reconnects and
 * silence checks. Thread-safe.
 */
public final class TransportRuntime {
    private static final Logger log = LoggerFactory.getLogger(TransportRuntime.class);

    private final String name;
    private final HttpClient http;
    private final WebSocketClient client;
    private final ScheduledThreadPoolExecutor scheduler;

    /**
     * Starts the transport.
     *
     * @param name the name for threads and logs
     * @param threads the largest number of Jetty client threads
     * @param maxConnections the most connections (and queued upgrades) to one server
     * @param connectTimeout the TCP connect timeout
     * @param idleTimeout Jetty's idle timeout of a connection
     * @param maxMessageBytes the largest text message accepted from a server
     * @throws ColdstartException if Jetty fails to start
     */
    public TransportRuntime(String name, int threads, int maxConnections, Duration connectTimeout, Duration idleTimeout,
            long maxMessageBytes) {
        this.name = name;
        QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(4, threads));
        pool.setName(name + "-jetty");
        pool.setDaemon(true);
        http = new HttpClient();
        http.setExecutor(pool);
        http.setMaxConnectionsPerDestination(maxConnections);
        http.setMaxRequestsQueuedPerDestination(maxConnections);
        http.setConnectTimeout(connectTimeout.toMillis());
        // Connections never share cookies: each ReconnectingClient sends only its own.
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        client = new WebSocketClient(http);
        client.setIdleTimeout(idleTimeout);
        client.setMaxTextMessageSize(maxMessageBytes);
        client.setStopAtShutdown(false);
        scheduler = new ScheduledThreadPoolExecutor(1, new NamedThreads(name + "-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            http.start();
            client.start();
        } catch (Exception e) {
            close();
            throw new ColdstartException(name + " - the WebSocket client transport failed to start: " + e, e);
        }
        log.debug("{} - started ({} threads, {} connections)", name, threads, maxConnections);
    }

    /**
     * The Jetty WebSocket client.
     *
     * @return it
     */
    public WebSocketClient client() {
        return client;
    }

    /**
     * The scheduler for reconnects and silence checks; tasks must be short.
     *
     * @return it
     */
    public ScheduledThreadPoolExecutor scheduler() {
        return scheduler;
    }

    /**
     * The transport's name.
     *
     * @return it
     */
    public String name() {
        return name;
    }

    /** Stops everything; connections are dropped. */
    public void close() {
        scheduler.shutdownNow();
        try {
            client.stop();
        } catch (Exception e) {
            log.warn("{} - stopping the WebSocket client failed: {}", name, e.toString());
        }
        try {
            http.stop();
        } catch (Exception e) {
            log.warn("{} - stopping the HTTP client failed: {}", name, e.toString());
        }
    }
}
