package dev.coldstart.auth.internal;

import dev.coldstart.auth.KeySetStore;
import dev.coldstart.auth.StoredKeySet;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The key set in a Redis hash {@code <prefix>jwks:<provider>} with fields {@code jwks},
 * {@code fetchedAt} and {@code jwksUri}, shared by the replicas of a service. Connects lazily;
 * thread-safe (one Lettuce connection, which is thread-safe).
 */
public final class RedisKeySetStore implements KeySetStore {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final URI redisUri;
    private final String prefix;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    /**
     * Creates the store.
     *
     * @param redisUri the Redis URI
     * @param prefix the key prefix
     */
    public RedisKeySetStore(URI redisUri, String prefix) {
        this.redisUri = redisUri;
        this.prefix = prefix;
    }

    private synchronized StatefulRedisConnection<String, String> connection() {
        if (connection == null || !connection.isOpen()) {
            if (client == null) {
                RedisURI uri = RedisURI.create(redisUri.toString());
                uri.setTimeout(TIMEOUT);
                client = RedisClient.create(uri);
            }
            connection = client.connect();
        }
        return connection;
    }

    /**
     * The key of a provider's set.
     *
     * @param providerName the provider's name
     * @return the key
     */
    public String key(String providerName) {
        return prefix + "jwks:" + providerName;
    }

    @Override
    public void save(String providerName, StoredKeySet keySet) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("jwks", keySet.jwksJson());
        fields.put("fetchedAt", keySet.fetchedAt().toString());
        fields.put("jwksUri", keySet.jwksUri() == null ? "" : keySet.jwksUri().toString());
        connection().sync().hset(key(providerName), fields);
    }

    @Override
    public Optional<StoredKeySet> load(String providerName) {
        Map<String, String> h = connection().sync().hgetall(key(providerName));
        if (h == null || h.get("jwks") == null || h.get("fetchedAt") == null) {
            return Optional.empty();
        }
        String uri = h.get("jwksUri");
        return Optional.of(new StoredKeySet(h.get("jwks"), Instant.parse(h.get("fetchedAt")),
                uri == null || uri.isEmpty() ? null : URI.create(uri)));
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, TIMEOUT);
            client = null;
        }
    }

    @Override
    public String toString() {
        return "KeySetStore.redis(" + redisUri + ", prefix '" + prefix + "')";
    }
}
