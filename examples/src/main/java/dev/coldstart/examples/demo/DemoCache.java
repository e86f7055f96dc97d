package dev.coldstart.examples.demo;

import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's optional cache of reference data on Redis: an optional component, so the demo is READY
 * without it (degraded), its feature flag is off while it is down, and the orchestrator's background
 * retry brings it back when Redis answers. {@link #start()} connects (and fails while Redis refuses),
 * {@link #probe()} sends a real {@code PING}. Keys start with the configured prefix and expire after
 * {@link #ENTRY_TTL}.
 *
 * <p>Thread-safe: the API reads and writes from Jetty threads while the orchestrator probes.
 */
final class DemoCache implements Component {
    private static final Logger log = LoggerFactory.getLogger(DemoCache.class);

    /** Name of the cache component. */
    static final String NAME = "demo-cache";
    /** How long a cached entry lives: 60 s. */
    static final Duration ENTRY_TTL = Duration.ofSeconds(60);
    /** Timeout of connecting and of each command: 1 s, so a dead Redis never holds a request long. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

    private final String redisUrl;
    private final String keyPrefix;
    private volatile RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    DemoCache(String redisUrl, String keyPrefix) {
        this.redisUrl = redisUrl;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public synchronized void start() {
        if (client == null) {
            RedisURI uri = RedisURI.create(redisUrl);
            uri.setTimeout(COMMAND_TIMEOUT);
            RedisClient c = RedisClient.create(uri);
            c.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
                    .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                    .build());
            client = c;
        }
        if (connection == null) {
            connection = client.connect();
            log.info("{} - connected to Redis at {}:{}", NAME, RedisURI.create(redisUrl).getHost(),
                    RedisURI.create(redisUrl).getPort());
        }
    }

    @Override
    public Health probe() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            return Health.down(NAME + " - not connected");
        }
        String pong = c.sync().ping();
        return "PONG".equals(pong) ? Health.up() : Health.down(NAME + " - PING answered " + pong);
    }

    @Override
    public void stop(Duration drainTimeout) {
        close();
    }

    /** Closes the connection and the client; idempotent, also when never started. */
    synchronized void close() {
        StatefulRedisConnection<String, String> c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        RedisClient rc = client;
        client = null;
        if (rc != null) {
            rc.shutdown(Duration.ZERO, COMMAND_TIMEOUT);
        }
    }

    /**
     * Reads an entry.
     *
     * @param key the key without prefix
     * @return the value, or null on a miss
     * @throws IllegalStateException if not connected; Lettuce's exceptions when Redis fails
     */
    String get(String key) {
        return commands().get(keyPrefix + key);
    }

    /**
     * Writes an entry with {@link #ENTRY_TTL}.
     *
     * @param key the key without prefix
     * @param value the value
     */
    void put(String key, String value) {
        commands().set(keyPrefix + key, value, SetArgs.Builder.px(ENTRY_TTL.toMillis()));
    }

    private io.lettuce.core.api.sync.RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            throw new IllegalStateException(NAME + " - not connected");
        }
        return c.sync();
    }
}
