package dev.coldstart.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A key prefix of its own on the located Redis, for one test class or test; {@link #close()}
 * deletes every key under the prefix. Thread-safe.
 */
public final class TestRedis implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI uri;
    private final String prefix;

    private TestRedis(URI uri, String prefix) {
        this.uri = uri;
        this.prefix = prefix;
    }

    /**
     * Reserves a fresh prefix {@code cs:<label>:<8 hex>:}.
     *
     * @param label a readable part of the prefix
     * @return the handle
     * @throws RealServiceUnavailableException if no Redis was found
     */
    public static TestRedis create(String label) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        return new TestRedis(RealServices.redis(), "cs:" + label + ":" + HexFormat.of().formatHex(suffix) + ":");
    }

    /**
     * The Redis URI, for example {@code redis://127.0.0.1:6379}.
     *
     * @return the URI
     */
    public URI uri() {
        return uri;
    }

    /**
     * The key prefix every key of this test must start with.
     *
     * @return the prefix, ending in {@code :}
     */
    public String prefix() {
        return prefix;
    }

    /**
     * Deletes every key under the prefix.
     */
    @Override
    public void close() {
        RedisClient client = RedisClient.create(uri.toString());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> keys = new ArrayList<>();
            ScanIterator.scan(c.sync(), ScanArgs.Builder.matches(prefix + "*").limit(500)).forEachRemaining(keys::add);
            if (!keys.isEmpty()) {
                c.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    @Override
    public String toString() {
        return "TestRedis[" + uri + " prefix " + prefix + "]";
    }
}
