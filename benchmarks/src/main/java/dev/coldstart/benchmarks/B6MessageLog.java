package dev.coldstart.benchmarks;

import dev.coldstart.testkit.TestRedis;
import dev.coldstart.websocket.BufferLimits;
import dev.coldstart.websocket.LogSlice;
import dev.coldstart.websocket.MessageLog;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * B6: the websocket module's message log, append then replay, against the plain structure a user
 * would otherwise keep. One operation appends a batch of 100-character messages to one session and
 * replays them all from the start, then forgets the session. In memory: coldstart's log against an
 * {@link ArrayBlockingQueue} (offer each, copy the queue as the replay, clear). On Redis: coldstart's
 * Redis Streams log (a Lua script per append that sequences, trims and appends; one per read)
 * against raw Lettuce {@code XADD} per message, one {@code XRANGE} and a {@code DEL}, on the same
 * real Redis with the same synchronous round trips.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class B6MessageLog {
    private static final String PAYLOAD = "x".repeat(100);
    private static final String SESSION = "b6-session";

    /** The in-memory log and the queue. */
    @State(Scope.Benchmark)
    public static class InMemory {
        /** Messages per operation. */
        @Param("1000")
        public int messages;

        MessageLog log;
        ArrayBlockingQueue<String> queue;

        /**
         * Starts the log.
         *
         * @throws Exception if it does not start
         */
        @Setup(Level.Trial)
        public void start() throws Exception {
            log = MessageLog.inMemory("b6", BufferLimits.builder().maxMessagesPerSession(messages).build());
            log.start();
            queue = new ArrayBlockingQueue<>(messages);
        }

        /**
         * Stops the log.
         *
         * @throws Exception if it does not stop
         */
        @TearDown(Level.Trial)
        public void stop() throws Exception {
            log.stop(Duration.ZERO);
        }
    }

    /** The Redis log and a raw Lettuce connection, under a key prefix of their own. */
    @State(Scope.Benchmark)
    public static class OnRedis {
        /** Messages per operation. */
        @Param("100")
        public int messages;

        TestRedis redis;
        MessageLog log;
        RedisClient client;
        StatefulRedisConnection<String, String> connection;
        RedisCommands<String, String> commands;
        String streamKey;

        /**
         * Starts the log and connects Lettuce.
         *
         * @throws Exception if Redis cannot be reached
         */
        @Setup(Level.Trial)
        public void start() throws Exception {
            redis = TestRedis.create("b6");
            log = MessageLog.redis("b6", redis.uri(), redis.prefix() + "log:",
                    BufferLimits.builder().maxMessagesPerSession(messages).build());
            log.start();
            client = RedisClient.create(redis.uri().toString());
            connection = client.connect();
            commands = connection.sync();
            streamKey = redis.prefix() + "raw";
        }

        /**
         * Disconnects and deletes every key of the prefix.
         *
         * @throws Exception if the log does not stop
         */
        @TearDown(Level.Trial)
        public void stop() throws Exception {
            connection.close();
            client.shutdown();
            log.stop(Duration.ZERO);
            redis.close();
        }
    }

    /**
     * coldstart's in-memory log.
     *
     * @param s the log
     * @return the replay
     */
    @Benchmark
    public LogSlice inMemoryLog(InMemory s) {
        s.log.create(SESSION, "b6");
        for (int i = 0; i < s.messages; i++) {
            s.log.append(SESSION, PAYLOAD);
        }
        LogSlice replay = s.log.read(SESSION, 0, s.messages);
        s.log.remove(SESSION);
        return replay;
    }

    /**
     * An {@link ArrayBlockingQueue}.
     *
     * @param s the queue
     * @return the replay
     */
    @Benchmark
    public List<String> arrayBlockingQueue(InMemory s) {
        for (int i = 0; i < s.messages; i++) {
            s.queue.offer(PAYLOAD);
        }
        List<String> replay = new ArrayList<>(s.queue);
        s.queue.clear();
        return replay;
    }

    /**
     * coldstart's Redis Streams log.
     *
     * @param s the log
     * @return the replay
     */
    @Benchmark
    public LogSlice redisLog(OnRedis s) {
        s.log.create(SESSION, "b6");
        for (int i = 0; i < s.messages; i++) {
            s.log.append(SESSION, PAYLOAD);
        }
        LogSlice replay = s.log.read(SESSION, 0, s.messages);
        s.log.remove(SESSION);
        return replay;
    }

    /**
     * Raw Lettuce: {@code XADD} each, {@code XRANGE} all, {@code DEL}.
     *
     * @param s the connection
     * @return the replay
     */
    @Benchmark
    public List<StreamMessage<String, String>> rawLettuce(OnRedis s) {
        for (int i = 0; i < s.messages; i++) {
            s.commands.xadd(s.streamKey, Map.of("p", PAYLOAD));
        }
        List<StreamMessage<String, String>> replay = s.commands.xrange(s.streamKey, Range.create("-", "+"));
        s.commands.del(s.streamKey);
        return replay;
    }
}
