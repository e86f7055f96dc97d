package dev.coldstart.examples.demo;

import dev.coldstart.core.Checks;
import dev.coldstart.core.CorsPolicy;
import dev.coldstart.websocket.HeartbeatConfig;
import dev.coldstart.websocket.MessageLog;
import dev.coldstart.websocket.OriginPolicy;
import dev.coldstart.websocket.UpgradeAuth;
import dev.coldstart.websocket.WebSocketServer;
import dev.coldstart.websocket.WebSocketServerConfig;
import java.net.URI;

/**
 * The demo's resumable WebSocket endpoint (scenarios CS-11 to CS-15), built on
 * coldstart-websocket: upgrade admission with the module's defaults, the origin check from the
 * demo's own WebSocket {@link CorsPolicy} ({@link OriginPolicy#from(CorsPolicy)}, so the API and
 * the upgrade cannot drift apart), the token verifier of {@link DemoWebSocketConfig} if set,
 * heartbeats, and a message log on Redis Streams when the demo has a Redis (sessions then resume
 * across a restart) or in memory otherwise. The server's components ({@value #LOG}, the
 * heartbeats, the sender and {@value #NAME}) run in the demo's orchestrator. Immutable and
 * thread-safe.
 */
public final class DemoWebSocket {
    /** Name of the WebSocket server component. */
    public static final String NAME = "demo-ws";
    /** Name of the message log component. */
    public static final String LOG = "demo-ws-log";
    /** The path clients upgrade on. */
    public static final String PATH = WebSocketServerConfig.DEFAULT_PATH;

    private final DemoWebSocketConfig config;
    private final CorsPolicy cors;

    /**
     * Holds the settings and the CORS policy the upgrade shares with the API; nothing is built yet.
     *
     * @param config the endpoint's settings
     * @param cors the demo's WebSocket CORS policy ({@link DemoFrontEnd#wsCors()})
     */
    public DemoWebSocket(DemoWebSocketConfig config, CorsPolicy cors) {
        this.config = Checks.notNull(config, "config");
        this.cors = Checks.notNull(cors, "cors");
    }

    /**
     * A new message log: on Redis Streams under {@code keyPrefix + "ws:"} when a Redis is given,
     * else in memory.
     *
     * @param redisUrl the demo's Redis, or null
     * @param keyPrefix the demo's Redis key prefix
     * @return a new, not started log
     */
    public MessageLog messageLog(String redisUrl, String keyPrefix) {
        return redisUrl == null ? MessageLog.inMemory(LOG, config.limits())
                : MessageLog.redis(LOG, URI.create(redisUrl), keyPrefix + "ws:", config.limits());
    }

    /**
     * A new server, not started: register its {@link WebSocketServer#components()}.
     *
     * @param host the interface to bind
     * @param port the port to bind, 0 for a free one
     * @param log the message log, from {@link #messageLog(String, String)} (or a test's own)
     * @return the server
     * @throws dev.coldstart.core.ConfigurationException if the heartbeat is not shorter than the idle
     *     timeout in front, or the CORS policy allows any origin with credentials
     */
    public WebSocketServer server(String host, int port, MessageLog log) {
        UpgradeAuth auth = config.tokenVerifier() == null ? UpgradeAuth.none()
                : UpgradeAuth.bearer(config.tokenVerifier()).queryParameter("access_token").build();
        return WebSocketServer.of(WebSocketServerConfig.builder()
                .name(NAME)
                .host(host)
                .port(port)
                .path(PATH)
                .originPolicy(OriginPolicy.from(cors))
                .auth(auth)
                .heartbeat(HeartbeatConfig.builder().interval(config.heartbeatInterval())
                        .missedPongsBeforeClose(config.missedPongs())
                        .idleTimeoutInFront(config.idleTimeoutInFront()).build())
                .messageLog(log)
                .build());
    }
}
