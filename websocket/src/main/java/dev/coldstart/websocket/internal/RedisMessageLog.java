package dev.coldstart.websocket.internal;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ColdstartException;
import dev.coldstart.core.Health;
import dev.coldstart.websocket.BufferLimits;
import dev.coldstart.websocket.LogEntry;
import dev.coldstart.websocket.LogSession;
import dev.coldstart.websocket.LogSlice;
import dev.coldstart.websocket.LogUsage;
import dev.coldstart.websocket.MessageLog;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageLog} on Redis Streams. Per session, with a hash tag so that both keys live in one
 * cluster slot: {@code <prefix>{<id>}:s}, a stream whose entry ids are {@code <seq>-0} and whose
 * single field {@code p} holds the payload; {@code <prefix>{<id>}:m}, a hash with {@code seq} (last
 * sequence number), {@code bytes} (payload bytes kept), {@code n} (entries kept) and {@code owner}. {@code <prefix>sessions}
 * is a sorted set of session ids scored by their expiry time (epoch milliseconds), read by
 * broadcasts. Appends and reads are Lua scripts, so that counting, trimming and {@code XADD} are
 * atomic per session; a broadcast appends to up to 128 sessions per script call. The multi-key
 * scripts need a standalone Redis (or Sentinel), not a Cluster. Thread-safe: one Lettuce
 * connection, which pipelines concurrent commands.
 */
public final class RedisMessageLog implements MessageLog {
    private static final Logger log = LoggerFactory.getLogger(RedisMessageLog.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final int APPEND_BATCH = 128;

    // KEYS: stream, meta. ARGV: owner, ttlMillis.
    private static final String CREATE = """
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('HSET', KEYS[2], 'seq', 0, 'bytes', 0, 'n', 0, 'owner', ARGV[1])
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            return 1
            """;

    // KEYS: stream, meta. ARGV: ttlMillis.
    private static final String TOUCH = """
            if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1
            """;

    // KEYS: pairs of (stream, meta), one per session. ARGV: payload, maxMessages, maxBytes. For each
    // session that exists, drops its oldest entries until the new one fits both limits, then appends
    // it with id <seq>-0 (MAXLEN as a second guard); returns the sequence numbers, -1 where the
    // session is gone. The counters live in the meta hash so that an append costs three commands.
    private static final String APPEND = """
            local payload = ARGV[1]
            local size = string.len(payload)
            local maxCount = tonumber(ARGV[2])
            local maxBytes = tonumber(ARGV[3])
            local out = {}
            for i = 1, #KEYS, 2 do
              local s = KEYS[i]
              local m = KEYS[i + 1]
              local meta = redis.call('HMGET', m, 'seq', 'bytes', 'n')
              if not meta[1] then
                out[#out + 1] = -1
              else
                local seq = tonumber(meta[1]) + 1
                local bytes = tonumber(meta[2])
                local n = tonumber(meta[3] or '0')
                while n > 0 and (n >= maxCount or bytes + size > maxBytes) do
                  local oldest = redis.call('XRANGE', s, '-', '+', 'COUNT', 1)
                  if #oldest == 0 then
                    n = 0
                    bytes = 0
                  else
                    bytes = bytes - string.len(oldest[1][2][2])
                    redis.call('XDEL', s, oldest[1][1])
                    n = n - 1
                  end
                end
                redis.call('XADD', s, 'MAXLEN', maxCount, seq .. '-0', 'p', payload)
                redis.call('HSET', m, 'seq', seq, 'bytes', bytes + size, 'n', n + 1)
                if n == 0 then
                  local ttl = redis.call('PTTL', m)
                  if ttl > 0 then redis.call('PEXPIRE', s, ttl) end
                end
                out[#out + 1] = seq
              end
            end
            return out
            """;

    // KEYS: stream, meta. ARGV: start id, count. Returns {lastSeq, bytes, owner, length, firstId, entries}.
    private static final String READ = """
            if redis.call('EXISTS', KEYS[2]) == 0 then return false end
            local meta = redis.call('HMGET', KEYS[2], 'seq', 'bytes', 'owner')
            local len = redis.call('XLEN', KEYS[1])
            local first = ''
            if len > 0 then first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1] end
            local entries = {}
            if tonumber(ARGV[2]) > 0 then entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2]) end
            return {meta[1], meta[2], meta[3], len, first, entries}
            """;

    private final String name;
    private final URI redisUri;
    private final String prefix;
    private final BufferLimits limits;
    private final long ttlMillis;
    private volatile RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile String createSha;
    private volatile String touchSha;
    private volatile String appendSha;
    private volatile String readSha;

    /**
     * Creates the log; {@link #start()} connects.
     *
     * @param name the component's name
     * @param redisUri the Redis URI
     * @param keyPrefix the key prefix
     * @param limits the per-session limits
     */
    public RedisMessageLog(String name, URI redisUri, String keyPrefix, BufferLimits limits) {
        this.name = Checks.notBlank(name, "name");
        this.redisUri = Checks.notNull(redisUri, "redisUri");
        this.prefix = Checks.notBlank(keyPrefix, "keyPrefix");
        this.limits = Checks.notNull(limits, "limits");
        this.ttlMillis = limits.sessionTtl().toMillis();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void start() {
        if (connection != null) {
            return;
        }
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(COMMAND_TIMEOUT);
        RedisClient c = RedisClient.create(uri);
        try {
            StatefulRedisConnection<String, String> conn = c.connect();
            RedisAsyncCommands<String, String> a = conn.async();
            createSha = await(a.scriptLoad(CREATE));
            touchSha = await(a.scriptLoad(TOUCH));
            appendSha = await(a.scriptLoad(APPEND));
            readSha = await(a.scriptLoad(READ));
            client = c;
            connection = conn;
            log.info("{} - connected to Redis at {} (key prefix {}, {})", name, redisUri, prefix, limits);
        } catch (RuntimeException e) {
            c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw new ColdstartException(name + " - cannot reach Redis at " + redisUri + ": " + e.getMessage()
                    + "; the message log needs it to buffer messages for resume", e);
        }
    }

    @Override
    public Health probe() {
        StatefulRedisConnection<String, String> conn = connection;
        if (conn == null) {
            return Health.down("not started");
        }
        String pong = await(conn.async().ping());
        return "PONG".equals(pong) ? Health.up() : Health.down("PING answered " + pong);
    }

    @Override
    public synchronized void stop(Duration drainTimeout) {
        StatefulRedisConnection<String, String> conn = connection;
        RedisClient c = client;
        connection = null;
        client = null;
        if (conn != null) {
            conn.close();
        }
        if (c != null) {
            c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Override
    public BufferLimits limits() {
        return limits;
    }

    @Override
    public void create(String sessionId, String owner) {
        Checks.notBlank(sessionId, "sessionId");
        RedisAsyncCommands<String, String> a = commands();
        awaitScript(() -> a.evalsha(createSha, ScriptOutputType.INTEGER, keys(sessionId), owner == null ? "" : owner,
                Long.toString(ttlMillis)));
        await(a.zadd(indexKey(), System.currentTimeMillis() + ttlMillis, sessionId));
    }

    @Override
    public LogSession find(String sessionId) {
        List<Object> r = readRaw(sessionId, 0, 0);
        if (r == null) {
            return null;
        }
        long lastSeq = asLong(r.get(0));
        long bytes = asLong(r.get(1));
        String owner = (String) r.get(2);
        int len = (int) asLong(r.get(3));
        long first = firstSeq(r.get(4), lastSeq);
        return new LogSession(sessionId, owner == null || owner.isEmpty() ? null : owner, lastSeq, first, len, bytes);
    }

    @Override
    public boolean touch(String sessionId) {
        RedisAsyncCommands<String, String> a = commands();
        Long ok = awaitScript(() -> a.evalsha(touchSha, ScriptOutputType.INTEGER, keys(sessionId), Long.toString(ttlMillis)));
        if (ok != null && ok == 1) {
            await(a.zadd(indexKey(), System.currentTimeMillis() + ttlMillis, sessionId));
            return true;
        }
        await(a.zrem(indexKey(), sessionId));
        return false;
    }

    @Override
    public long append(String sessionId, String payload) {
        return appendToEach(List.of(sessionId), payload)[0];
    }

    @Override
    public long[] appendToEach(List<String> sessionIds, String payload) {
        checkSize(payload);
        RedisAsyncCommands<String, String> a = commands();
        // One script per batch of sessions; the batches are issued without waiting, so Lettuce
        // pipelines them on the one connection, in order.
        List<List<String>> batches = new ArrayList<>();
        List<RedisFuture<List<Object>>> futures = new ArrayList<>();
        for (int from = 0; from < sessionIds.size(); from += APPEND_BATCH) {
            List<String> batch = sessionIds.subList(from, Math.min(sessionIds.size(), from + APPEND_BATCH));
            batches.add(batch);
            futures.add(appendAsync(a, batch, payload));
        }
        long[] seqs = new long[sessionIds.size()];
        int i = 0;
        for (int b = 0; b < batches.size(); b++) {
            List<String> batch = batches.get(b);
            List<Object> result = awaitScript(futures.get(b), () -> appendAsync(a, batch, payload));
            for (Object o : result) {
                seqs[i++] = asLong(o);
            }
        }
        return seqs;
    }

    @Override
    public LogSlice read(String sessionId, long afterSeq, int maxMessages) {
        Checks.positive(maxMessages, "maxMessages");
        List<Object> r = readRaw(sessionId, Math.max(0, afterSeq) + 1, maxMessages);
        if (r == null) {
            return null;
        }
        long lastSeq = asLong(r.get(0));
        long first = firstSeq(r.get(4), lastSeq);
        List<?> raw = (List<?>) r.get(5);
        List<LogEntry> entries = new ArrayList<>(raw.size());
        for (Object o : raw) {
            List<?> entry = (List<?>) o;
            List<?> fields = (List<?>) entry.get(1);
            entries.add(new LogEntry(seqOf((String) entry.get(0)), (String) fields.get(1)));
        }
        return new LogSlice(entries, first, lastSeq);
    }

    @Override
    public List<String> sessionIds() {
        RedisAsyncCommands<String, String> a = commands();
        long now = System.currentTimeMillis();
        await(a.zremrangebyscore(indexKey(), Range.create(Double.NEGATIVE_INFINITY, (double) now)));
        return List.copyOf(await(a.zrangebyscore(indexKey(), Range.create((double) now, Double.POSITIVE_INFINITY))));
    }

    @Override
    public void remove(String sessionId) {
        RedisAsyncCommands<String, String> a = commands();
        String[] k = keys(sessionId);
        await(a.del(k));
        await(a.zrem(indexKey(), sessionId));
    }

    @Override
    public LogUsage usage() {
        int sessions = 0;
        long messages = 0;
        long bytes = 0;
        int maxMessages = 0;
        long maxBytes = 0;
        for (String id : sessionIds()) {
            LogSession s = find(id);
            if (s == null) {
                continue;
            }
            sessions++;
            messages += s.keptMessages();
            bytes += s.keptBytes();
            maxMessages = Math.max(maxMessages, s.keptMessages());
            maxBytes = Math.max(maxBytes, s.keptBytes());
        }
        return new LogUsage(sessions, messages, bytes, maxMessages, maxBytes);
    }

    @Override
    public String toString() {
        return "RedisMessageLog[" + name + ", " + redisUri + ", prefix " + prefix + ", " + limits + "]";
    }

    private RedisFuture<List<Object>> appendAsync(RedisAsyncCommands<String, String> a, List<String> sessionIds, String payload) {
        String[] keys = new String[sessionIds.size() * 2];
        for (int i = 0; i < sessionIds.size(); i++) {
            String[] k = keys(sessionIds.get(i));
            keys[2 * i] = k[0];
            keys[2 * i + 1] = k[1];
        }
        return a.evalsha(appendSha, ScriptOutputType.MULTI, keys, payload,
                Integer.toString(limits.maxMessagesPerSession()), Long.toString(limits.maxBytesPerSession()));
    }

    private List<Object> readRaw(String sessionId, long fromSeq, int count) {
        RedisAsyncCommands<String, String> a = commands();
        List<Object> r = awaitScript(() -> a.evalsha(readSha, ScriptOutputType.MULTI, keys(sessionId), fromSeq + "-0",
                Integer.toString(count)));
        // A missing session comes back as nil, which Lettuce turns into an empty or one-null list.
        return r == null || r.size() < 6 ? null : r;
    }

    private void checkSize(String payload) {
        Checks.requireArgument(payload, "payload");
        int bytes = InMemoryMessageLog.utf8Length(payload);
        if (bytes > limits.maxBytesPerSession()) {
            throw new IllegalArgumentException(name + " - a message of " + bytes + " bytes exceeds maxBytesPerSession ("
                    + limits.maxBytesPerSession() + "); split it or raise the limit");
        }
    }

    private RedisAsyncCommands<String, String> commands() {
        StatefulRedisConnection<String, String> conn = connection;
        if (conn == null) {
            throw new IllegalStateException(name + " - the Redis message log is not started; start it (or the "
                    + "orchestrator holding it) before the server uses it");
        }
        return conn.async();
    }

    private String[] keys(String sessionId) {
        String base = prefix + "{" + sessionId + "}:";
        return new String[] {base + "s", base + "m"};
    }

    private String indexKey() {
        return prefix + "sessions";
    }

    private static long firstSeq(Object firstId, long lastSeq) {
        String id = (String) firstId;
        return id == null || id.isEmpty() ? lastSeq + 1 : seqOf(id);
    }

    private static long seqOf(String streamId) {
        int dash = streamId.indexOf('-');
        return Long.parseLong(dash < 0 ? streamId : streamId.substring(0, dash));
    }

    private static long asLong(Object o) {
        if (o == null) {
            return 0;
        }
        return o instanceof Long l ? l : Long.parseLong(o.toString());
    }

    /** Runs a script, loading it again if Redis lost its script cache (a restart or SCRIPT FLUSH). */
    private <T> T awaitScript(Supplier<RedisFuture<T>> call) {
        return awaitScript(call.get(), call);
    }

    private <T> T awaitScript(RedisFuture<T> first, Supplier<RedisFuture<T>> call) {
        try {
            return await(first);
        } catch (RedisNoScriptException e) {
            reloadScripts();
            return await(call.get());
        }
    }

    private synchronized void reloadScripts() {
        RedisAsyncCommands<String, String> a = commands();
        createSha = await(a.scriptLoad(CREATE));
        touchSha = await(a.scriptLoad(TOUCH));
        appendSha = await(a.scriptLoad(APPEND));
        readSha = await(a.scriptLoad(READ));
        log.warn("{} - Redis had lost the log's scripts (restarted or flushed?); loaded them again", name);
    }

    private <T> T await(RedisFuture<T> future) {
        try {
            return future.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ColdstartException(name + " - interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new ColdstartException(name + " - Redis command failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new ColdstartException(name + " - Redis did not answer within " + COMMAND_TIMEOUT + " at " + redisUri, e);
        }
    }
}
