package dev.coldstart.websocket;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real Redis for tests: {@code COLDSTART_REDIS_URL} or 127.0.0.1:6379, a key prefix of the
 * test's own, deleted on close. Fails with a how-to message when Redis is not there.
 */
final class TestRedis implements AutoCloseable {
    final URI uri;
    final String prefix;

    private TestRedis(URI uri, String prefix) {
        this.uri = uri;
        this.prefix = prefix;
    }

    static TestRedis create(String label) {
        String url = System.getenv("COLDSTART_REDIS_URL");
        URI uri = URI.create(url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url);
        RedisClient client = RedisClient.create(uri.toString());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().ping();
        } catch (RuntimeException e) {
            throw new IllegalStateException("These tests need Redis at " + uri + " (" + e.getMessage()
                    + "); start one (for example .ci/run or `redis-server`) or set COLDSTART_REDIS_URL", e);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        return new TestRedis(uri, "cs:ws:" + label + ":" + UUID.randomUUID().toString().substring(0, 8) + ":");
    }

    List<String> keys() {
        RedisClient client = RedisClient.create(uri.toString());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> keys = new ArrayList<>();
            ScanIterator.scan(c.sync(), ScanArgs.Builder.matches(prefix + "*").limit(500)).forEachRemaining(keys::add);
            return keys;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    long pttl(String key) {
        RedisClient client = RedisClient.create(uri.toString());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().pttl(key);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    void scriptFlush() {
        RedisClient client = RedisClient.create(uri.toString());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().scriptFlush();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        RedisClient client = RedisClient.create(uri.toString());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> keys = keys();
            if (!keys.isEmpty()) {
                c.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
