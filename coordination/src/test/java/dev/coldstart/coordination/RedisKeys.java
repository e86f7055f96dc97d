package dev.coldstart.coordination;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A unique key prefix on the test Redis, and the cleanup of every key under it. */
final class RedisKeys implements AutoCloseable {
    static final String URI = System.getenv().getOrDefault("COLDSTART_REDIS_URL", "redis://127.0.0.1:6379");

    private final String prefix = "cs-test:" + UUID.randomUUID();
    private final RedisClient client = RedisClient.create(URI);
    private final StatefulRedisConnection<String, String> connection;

    RedisKeys() {
        try {
            connection = client.connect();
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw new AssertionError("these tests need Redis at " + URI + " (set COLDSTART_REDIS_URL, or start one: "
                    + "redis-server --port 6379)", e);
        }
    }

    String prefix() {
        return prefix;
    }

    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    List<String> keys() {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis().scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(500));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    @Override
    public void close() {
        try {
            List<String> keys = keys();
            if (!keys.isEmpty()) {
                redis().del(keys.toArray(String[]::new));
            }
        } finally {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
