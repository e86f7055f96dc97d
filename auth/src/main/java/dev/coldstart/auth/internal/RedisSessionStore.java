package dev.coldstart.auth.internal;

import dev.coldstart.auth.CasResult;
import dev.coldstart.auth.RedisSessionStoreConfig;
import dev.coldstart.auth.Session;
import dev.coldstart.auth.SessionLease;
import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions as Redis hashes ({@code _v} version, {@code _s} state {@code a} live or {@code x}
 * tombstone, {@code a:<name>} attributes) written only by Lua scripts, which Redis runs atomically:
 * a compare-and-set checks version and state and rewrites the hash in one step, so there is no
 * WATCH/MULTI round trip to lose. Leases are {@code SET NX PX} keys whose value is the owner token;
 * renew and release are compare-then-act scripts on that token. One thread-safe Lettuce connection.
 */
public final class RedisSessionStore extends AbstractSessionStore {
    private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);

    private static final String CREATE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], '_v', 1, '_s', 'a', unpack(ARGV, 2))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1
            """;
    private static final String GET = """
            local h = redis.call('HGETALL', KEYS[1])
            if #h == 0 then return {} end
            table.insert(h, '_ttl')
            table.insert(h, tostring(redis.call('PTTL', KEYS[1])))
            return h
            """;
    private static final String CAS = """
            local v = redis.call('HGET', KEYS[1], '_v')
            if not v or redis.call('HGET', KEYS[1], '_s') ~= 'a' then return -1 end
            if v ~= ARGV[1] then return -2 end
            local nv = tonumber(v) + 1
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], '_v', nv, '_s', 'a', unpack(ARGV, 3))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return nv
            """;
    private static final String INVALIDATE = """
            local v = redis.call('HGET', KEYS[1], '_v')
            if not v or redis.call('HGET', KEYS[1], '_s') ~= 'a' then return 0 end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl <= 0 then ttl = 1000 end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], '_v', tonumber(v) + 1, '_s', 'x')
            redis.call('PEXPIRE', KEYS[1], ttl)
            return 1
            """;
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final RedisSessionStoreConfig config;
    private final Component component;
    private RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    /**
     * Creates the store; it connects on start or first use.
     *
     * @param config the configuration
     */
    public RedisSessionStore(RedisSessionStoreConfig config) {
        super(config.name(), config.maxUpdateAttempts());
        this.config = config;
        this.component = new StoreComponent();
    }

    private RedisCommands<String, String> redis() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null ? c.sync() : connect().sync();
    }

    private synchronized StatefulRedisConnection<String, String> connect() {
        if (connection == null) {
            if (client == null) {
                RedisURI uri = RedisURI.create(config.redisUri().toString());
                uri.setTimeout(config.commandTimeout());
                client = RedisClient.create(uri);
            }
            connection = client.connect();
            log.info("{} - connected to Redis at {}:{}, key prefix '{}'", config.name(), config.redisUri().getHost(),
                    config.redisUri().getPort(), config.keyPrefix());
        }
        return connection;
    }

    private String sessionKey(String id) {
        return config.keyPrefix() + "session:" + id;
    }

    private String lockKey(String id) {
        return config.keyPrefix() + "lock:" + id;
    }

    private static List<String> pairs(Map<String, String> attributes) {
        List<String> args = new ArrayList<>(attributes.size() * 2);
        attributes.forEach((k, v) -> {
            args.add("a:" + k);
            args.add(v);
        });
        return args;
    }

    private static String[] args(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(String[]::new);
    }

    @Override
    public Session create(Map<String, String> attributes, Duration ttl) {
        Map<String, String> attrs = checkedAttributes(attributes);
        checkedTtl(ttl, "ttl");
        while (true) {
            String id = randomToken();
            Instant now = Instant.now();
            Long created = redis().eval(CREATE, ScriptOutputType.INTEGER, new String[] {sessionKey(id)},
                    args(List.of(Long.toString(ttl.toMillis())), pairs(attrs)));
            if (created != null && created == 1L) {
                return new Session(id, 1, attrs, now.plus(ttl));
            }
        }
    }

    @Override
    public Optional<Session> get(String id) {
        Checks.requireArgument(id, "id");
        List<Object> flat = redis().eval(GET, ScriptOutputType.MULTI, sessionKey(id));
        if (flat == null || flat.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> attrs = new HashMap<>();
        String state = null;
        long version = 0;
        long ttlMillis = -1;
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String k = String.valueOf(flat.get(i));
            String v = String.valueOf(flat.get(i + 1));
            switch (k) {
                case "_v" -> version = Long.parseLong(v);
                case "_s" -> state = v;
                case "_ttl" -> ttlMillis = Long.parseLong(v);
                default -> {
                    if (k.startsWith("a:")) {
                        attrs.put(k.substring(2), v);
                    }
                }
            }
        }
        if (!"a".equals(state)) {
            return Optional.empty();
        }
        Instant expires = ttlMillis > 0 ? Instant.now().plusMillis(ttlMillis) : Instant.now();
        return Optional.of(new Session(id, version, attrs, expires));
    }

    @Override
    public CasResult compareAndSet(String id, long expectedVersion, Map<String, String> attributes, Duration ttl) {
        Checks.requireArgument(id, "id");
        Map<String, String> attrs = checkedAttributes(attributes);
        checkedTtl(ttl, "ttl");
        Instant now = Instant.now();
        Long r = redis().eval(CAS, ScriptOutputType.INTEGER, new String[] {sessionKey(id)},
                args(List.of(Long.toString(expectedVersion), Long.toString(ttl.toMillis())), pairs(attrs)));
        if (r == null || r == -1L) {
            return new CasResult(CasResult.Outcome.NOT_FOUND, null);
        }
        if (r == -2L) {
            return new CasResult(CasResult.Outcome.CONFLICT, null);
        }
        return new CasResult(CasResult.Outcome.UPDATED, new Session(id, r, attrs, now.plus(ttl)));
    }

    @Override
    public boolean invalidate(String id) {
        Checks.requireArgument(id, "id");
        Long r = redis().eval(INVALIDATE, ScriptOutputType.INTEGER, sessionKey(id));
        return r != null && r == 1L;
    }

    @Override
    public Optional<SessionLease> tryLock(String id, Duration leaseTtl) {
        Checks.requireArgument(id, "id");
        checkedTtl(leaseTtl, "leaseTtl");
        String token = randomToken();
        Instant now = Instant.now();
        String ok = redis().set(lockKey(id), token, SetArgs.Builder.nx().px(leaseTtl.toMillis()));
        return "OK".equals(ok) ? Optional.of(new Lease(id, token, now.plus(leaseTtl))) : Optional.empty();
    }

    @Override
    public Component component() {
        return component;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, config.commandTimeout());
            client = null;
        }
    }

    @Override
    public String toString() {
        return "SessionStore.redis(" + config + ")";
    }

    private final class Lease implements SessionLease {
        private final String id;
        private final String token;
        private volatile Instant expiresAt;

        Lease(String id, String token, Instant expiresAt) {
            this.id = id;
            this.token = token;
            this.expiresAt = expiresAt;
        }

        @Override
        public String sessionId() {
            return id;
        }

        @Override
        public String ownerToken() {
            return token;
        }

        @Override
        public Instant expiresAt() {
            return expiresAt;
        }

        @Override
        public boolean renew(Duration leaseTtl) {
            checkedTtl(leaseTtl, "leaseTtl");
            Instant now = Instant.now();
            Long r = redis().eval(RENEW, ScriptOutputType.INTEGER, new String[] {lockKey(id)}, token,
                    Long.toString(leaseTtl.toMillis()));
            if (r != null && r == 1L) {
                expiresAt = now.plus(leaseTtl);
                return true;
            }
            return false;
        }

        @Override
        public boolean release() {
            Long r = redis().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {lockKey(id)}, token);
            return r != null && r == 1L;
        }
    }

    /** Connects on start; the probe is a real PING. */
    private final class StoreComponent implements Component {
        @Override
        public String name() {
            return config.name();
        }

        @Override
        public boolean required() {
            return config.required();
        }

        @Override
        public void start() {
            connect();
        }

        @Override
        public Health probe() {
            String pong = redis().ping();
            return "PONG".equals(pong) ? Health.up() : Health.down("PING answered " + pong);
        }

        @Override
        public void stop(Duration drainTimeout) {
            close();
        }

        @Override
        public Set<String> dependsOn() {
            return Set.of();
        }

        @Override
        public String toString() {
            return "RedisSessionStore[" + config.name() + "]";
        }
    }
}
