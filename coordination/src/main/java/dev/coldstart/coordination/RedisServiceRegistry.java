package dev.coldstart.coordination;

import dev.coldstart.coordination.internal.InstanceCodec;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ServiceRegistry} on Redis, shared by every process that uses the same Redis and key
 * prefix. Needs {@code io.lettuce:lettuce-core} on the class path (an optional dependency of this
 * module).
 *
 * <p>Each registered instance is a string key {@code <prefix>:instance:<service>:<id>} with a TTL
 * ({@link Builder#ttl(Duration)}, default 10 s), listed in a set {@code <prefix>:service:<service>}.
 * A heartbeat on an owned, single, named thread rewrites the key with a fresh TTL every
 * {@link Builder#heartbeatInterval(Duration)} (default a third of the TTL), so an instance whose
 * process dies without deregistering disappears within its TTL. {@link #deregister} deletes the
 * key at once. Lookups read the set and the keys ({@code SMEMBERS}, {@code MGET}), drop members
 * whose key expired, and never scan the keyspace. The value is form-encoded and readable with
 * {@code redis-cli GET}.
 *
 * <p>Connecting is lazy: a registry built while Redis is down fails its operations with
 * {@link ServiceRegistryException} until Redis answers; Lettuce reconnects by itself afterwards.
 * While disconnected, commands fail at once instead of queueing. Thread-safe.
 *
 * <pre>{@code
 * ServiceRegistry registry = RedisServiceRegistry.builder()
 *         .redisUri("redis://127.0.0.1:6379")
 *         .keyPrefix("shop:registry")
 *         .ttl(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 */
public final class RedisServiceRegistry implements ServiceRegistry {
    private static final Logger log = LoggerFactory.getLogger(RedisServiceRegistry.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Default Redis: {@code redis://127.0.0.1:6379}. */
    public static final String DEFAULT_REDIS_URI = "redis://127.0.0.1:6379";
    /** Default key prefix: {@code coldstart:registry}. */
    public static final String DEFAULT_KEY_PREFIX = "coldstart:registry";
    /** Default TTL of a registration without heartbeat: 10 s. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
    /** Default timeout of one Redis command: 2 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final String redisUri;
    private final String where;
    private final String keyPrefix;
    private final Duration ttl;
    private final Duration heartbeatInterval;
    private final Duration configuredHeartbeatInterval;
    private final Duration commandTimeout;
    private final RedisClient client;
    private final ScheduledThreadPoolExecutor heartbeat;
    private final Map<String, ServiceInstance> registered = new ConcurrentHashMap<>();
    // Serialises writes, so a heartbeat can never rewrite a key that deregister just deleted.
    private final ReentrantLock writes = new ReentrantLock();
    private final Object connecting = new Object();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean closed;
    private volatile boolean heartbeatFailing;

    private RedisServiceRegistry(Builder b) {
        this.redisUri = b.redisUri;
        this.keyPrefix = b.keyPrefix;
        this.ttl = b.ttl;
        this.configuredHeartbeatInterval = b.heartbeatInterval;
        this.heartbeatInterval = b.heartbeatInterval != null ? b.heartbeatInterval : b.ttl.dividedBy(3);
        this.commandTimeout = b.commandTimeout;
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(commandTimeout);
        // Host and port only: the URI may carry a password.
        this.where = "Redis at " + uri.getHost() + ":" + uri.getPort() + " (prefix '" + keyPrefix + "')";
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        this.heartbeat = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "coldstart-registry-heartbeat-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        heartbeat.setRemoveOnCancelPolicy(true);
        long every = heartbeatInterval.toNanos();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * Starts a builder with every default.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder with this registry's settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.redisUri = redisUri;
        b.keyPrefix = keyPrefix;
        b.ttl = ttl;
        b.heartbeatInterval = configuredHeartbeatInterval;
        b.commandTimeout = commandTimeout;
        return b;
    }

    @Override
    public void register(ServiceInstance instance) {
        Checks.requireArgument(instance, "instance");
        checkOpen();
        String key = instanceKey(instance.service(), instance.id());
        writes.lock();
        try {
            write(instance);
            registered.put(key, instance);
        } finally {
            writes.unlock();
        }
        log.info("{} - registered {} at {} in {} (ttl {} ms, heartbeat every {} ms)", instance.service(), instance.id(),
                instance.authority(), where, ttl.toMillis(), heartbeatInterval.toMillis());
    }

    @Override
    public void deregister(ServiceInstance instance) {
        Checks.requireArgument(instance, "instance");
        checkOpen();
        remove(instance);
    }

    private void remove(ServiceInstance instance) {
        String key = instanceKey(instance.service(), instance.id());
        writes.lock();
        try {
            registered.remove(key);
            RedisCommands<String, String> redis = commands("DEL " + key);
            try {
                redis.del(key);
                redis.srem(serviceKey(instance.service()), instance.id());
            } catch (RuntimeException e) {
                throw failure("DEL " + key, e);
            }
        } finally {
            writes.unlock();
        }
        log.info("{} - deregistered {} from {}", instance.service(), instance.id(), where);
    }

    @Override
    public List<ServiceInstance> lookup(String service) {
        ServiceInstance.checkName(service, "service");
        checkOpen();
        String index = serviceKey(service);
        RedisCommands<String, String> redis = commands("lookup of '" + service + "'");
        try {
            Set<String> ids = redis.smembers(index);
            if (ids.isEmpty()) {
                return List.of();
            }
            List<String> idList = new ArrayList<>(ids);
            String[] keys = idList.stream().map(id -> instanceKey(service, id)).toArray(String[]::new);
            List<KeyValue<String, String>> values = redis.mget(keys);
            List<ServiceInstance> live = new ArrayList<>(values.size());
            List<String> expired = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                KeyValue<String, String> kv = values.get(i);
                if (!kv.hasValue()) {
                    expired.add(idList.get(i));
                    continue;
                }
                try {
                    live.add(InstanceCodec.decode(kv.getValue()));
                } catch (IllegalArgumentException e) {
                    log.warn("{} - ignoring the malformed registry entry {}: {}", service, kv.getKey(), e.getMessage());
                }
            }
            if (!expired.isEmpty()) {
                // Instances whose key expired died without deregistering; a live one re-adds itself on its next heartbeat.
                redis.srem(index, expired.toArray(String[]::new));
            }
            live.sort(Comparator.comparing(ServiceInstance::id));
            return List.copyOf(live);
        } catch (RuntimeException e) {
            throw failure("lookup of '" + service + "'", e);
        }
    }

    /**
     * Stops the heartbeat, deregisters every instance this object registered (best effort: a
     * failure is logged and the key then expires within its TTL), and closes the connection.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Let a heartbeat in progress finish rather than interrupt it mid-command; no new one starts.
        heartbeat.shutdown();
        try {
            if (!heartbeat.awaitTermination(commandTimeout.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                heartbeat.shutdownNow();
            }
        } catch (InterruptedException e) {
            heartbeat.shutdownNow();
            Thread.currentThread().interrupt();
        }
        for (ServiceInstance instance : List.copyOf(registered.values())) {
            try {
                remove(instance);
            } catch (RuntimeException e) {
                log.warn("{} - could not deregister {} while closing; it expires within {} ms: {}", instance.service(),
                        instance.id(), ttl.toMillis(), e.getMessage());
            }
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, commandTimeout);
    }

    private void beat() {
        if (registered.isEmpty()) {
            return;
        }
        writes.lock();
        try {
            for (ServiceInstance instance : registered.values()) {
                write(instance);
            }
            if (heartbeatFailing) {
                heartbeatFailing = false;
                log.info("registry - heartbeat to {} works again", where);
            }
        } catch (RuntimeException e) {
            if (!heartbeatFailing) {
                heartbeatFailing = true;
                log.warn("registry - heartbeat to {} failed; registrations expire within {} ms unless it recovers: {}",
                        where, ttl.toMillis(), e.getMessage());
            }
        } finally {
            writes.unlock();
        }
    }

    /** Caller holds {@link #writes}. The key first, then the index, so a listed id always has its key. */
    private void write(ServiceInstance instance) {
        String key = instanceKey(instance.service(), instance.id());
        RedisCommands<String, String> redis = commands("SET " + key);
        try {
            redis.set(key, InstanceCodec.encode(instance), SetArgs.Builder.px(ttl.toMillis()));
            redis.sadd(serviceKey(instance.service()), instance.id());
        } catch (RuntimeException e) {
            throw failure("SET " + key, e);
        }
    }

    private RedisCommands<String, String> commands(String operation) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            synchronized (connecting) {
                c = connection;
                if (c == null) {
                    try {
                        c = client.connect();
                    } catch (RuntimeException e) {
                        throw failure(operation, e);
                    }
                    c.setTimeout(commandTimeout);
                    connection = c;
                }
            }
        }
        return c.sync();
    }

    private ServiceRegistryException failure(String operation, RuntimeException e) {
        if (e instanceof ServiceRegistryException sre) {
            return sre;
        }
        return new ServiceRegistryException("registry - " + operation + " on " + where + " failed: " + e.getMessage()
                + "; check that Redis runs and is reachable", e);
    }

    private String instanceKey(String service, String id) {
        return keyPrefix + ":instance:" + service + ":" + id;
    }

    private String serviceKey(String service) {
        return keyPrefix + ":service:" + service;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("registry on " + where + " is closed");
        }
    }

    /**
     * The TTL of a registration that gets no heartbeat.
     *
     * @return a positive duration
     */
    public Duration ttl() {
        return ttl;
    }

    /**
     * How often registrations are refreshed.
     *
     * @return a positive duration shorter than {@link #ttl()}
     */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * The prefix of every key this registry writes.
     *
     * @return the prefix
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    @Override
    public String toString() {
        return where;
    }

    /** Builder for {@link RedisServiceRegistry}; not thread-safe. */
    public static final class Builder {
        private String redisUri = DEFAULT_REDIS_URI;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration ttl = DEFAULT_TTL;
        private Duration heartbeatInterval;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets the Redis to use, as a Lettuce URI ({@code redis://[password@]host:port[/db]},
         * {@code rediss://} for TLS).
         *
         * @param redisUri not blank; default {@code redis://127.0.0.1:6379}
         * @return this builder
         */
        public Builder redisUri(String redisUri) {
            this.redisUri = Checks.notBlank(redisUri, "redisUri");
            return this;
        }

        /**
         * Sets the prefix of every key, so several systems can share one Redis.
         *
         * @param keyPrefix not blank; default {@code coldstart:registry}
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Checks.notBlank(keyPrefix, "keyPrefix");
            return this;
        }

        /**
         * Sets how long a registration lives without a heartbeat: the longest time a dead instance
         * stays listed.
         *
         * @param ttl at least 1 ms; default 10 s
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            Checks.positive(ttl, "ttl");
            Checks.check(ttl.toMillis() >= 1, "ttl must be at least 1 ms, but was " + ttl);
            this.ttl = ttl;
            return this;
        }

        /**
         * Sets how often registrations are refreshed.
         *
         * @param heartbeatInterval positive and shorter than the TTL, or null for the default: a
         *     third of the TTL
         * @return this builder
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval == null ? null
                    : Checks.positive(heartbeatInterval, "heartbeatInterval");
            return this;
        }

        /**
         * Sets the timeout of one Redis command, and of connecting.
         *
         * @param commandTimeout positive; default 2 s
         * @return this builder
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = Checks.positive(commandTimeout, "commandTimeout");
            return this;
        }

        /**
         * Builds the registry and starts its heartbeat thread; it connects to Redis on first use.
         *
         * @return a new registry; close it to deregister and release the connection
         * @throws dev.coldstart.core.ConfigurationException if the heartbeat is not shorter than the
         *     TTL, or the URI is malformed
         */
        public RedisServiceRegistry build() {
            if (heartbeatInterval != null) {
                Checks.check(heartbeatInterval.compareTo(ttl) < 0, "heartbeatInterval must be less than ttl (" + ttl
                        + "), but was " + heartbeatInterval);
            }
            try {
                RedisURI.create(redisUri);
            } catch (IllegalArgumentException e) {
                // The URI itself is not shown: it may carry a password.
                throw new ConfigurationException("redisUri must be a Redis URI such as redis://host:6379, but was "
                        + "malformed (" + e.getClass().getSimpleName() + ")");
            }
            return new RedisServiceRegistry(this);
        }
    }
}
