package dev.coldstart.testkit;

import dev.coldstart.websocket.BufferLimits;
import dev.coldstart.websocket.MessageLog;
import java.net.URI;

/**
 * What a WebSocket scenario prepared for one instance of your server: where to bind and which
 * kind of message log to use. Build your server with {@code host(env.host()).port(env.port())}
 * and {@code messageLog(env.messageLog(name, yourLimits))}; keep everything else (origin policy,
 * token verifier, admission, heartbeat, limits) as in production, since that is what the
 * scenario checks. Immutable and thread-safe.
 *
 * @param scenarioId the scenario, for example {@code CS-12}
 * @param host the interface to bind: {@code 127.0.0.1}
 * @param port the port to bind: 0 for any free port, or the port of the instance being restarted
 * @param redisUri the Redis of the scenario when it needs a log that survives a restart, else null
 * @param redisKeyPrefix the key prefix under which that log must keep its keys, else null
 */
public record WebSocketEnvironment(String scenarioId, String host, int port, URI redisUri, String redisKeyPrefix) {

    /**
     * The message log the scenario needs: on Redis Streams under the scenario's key prefix when it
     * restarts the server, in memory otherwise. A new instance on every call (a restarted server
     * gets a new connection to the same keys).
     *
     * @param name the log component's name
     * @param limits your per-session limits
     * @return a new, not started log
     */
    public MessageLog messageLog(String name, BufferLimits limits) {
        return redisUri == null ? MessageLog.inMemory(name, limits) : MessageLog.redis(name, redisUri, redisKeyPrefix, limits);
    }
}
