package dev.coldstart.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Redis Streams log against a real Redis, under a key prefix of its own. */
class RedisMessageLogIT {
    private TestRedis redis;
    private MessageLog log;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.create("log");
        log = newLog(BufferLimits.builder().maxMessagesPerSession(10).maxBytesPerSession(1000)
                .sessionTtl(Duration.ofSeconds(30)).build());
    }

    @AfterEach
    void stop() throws Exception {
        log.stop(Duration.ofSeconds(1));
        redis.close();
    }

    private MessageLog newLog(BufferLimits limits) throws Exception {
        MessageLog l = MessageLog.redis("redis-log", redis.uri, redis.prefix, limits);
        l.start();
        assertThat(l.probe().isUp()).isTrue();
        return l;
    }

    @Test
    void assignsContiguousSequenceNumbersAndReadsFromTheResumePoint() {
        log.create("a", "alice");
        log.create("b", null);
        assertThat(log.append("a", "1")).isEqualTo(1);
        assertThat(log.appendToEach(List.of("a", "b", "missing"), "x")).containsExactly(2, 1, -1);
        LogSlice slice = log.read("a", 1, 10);
        assertThat(slice.entries()).containsExactly(new LogEntry(2, "x"));
        assertThat(slice.firstSeq()).isEqualTo(1);
        assertThat(slice.lastSeq()).isEqualTo(2);
        assertThat(log.find("a")).isEqualTo(new LogSession("a", "alice", 2, 1, 2, 2));
        assertThat(log.find("b").owner()).isNull();
        assertThat(log.find("missing")).isNull();
        assertThat(log.sessionIds()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void trimsByCountAndBytesAndReportsTheGap() {
        log.create("a", null);
        for (int i = 1; i <= 25; i++) {
            log.append("a", "m" + i);
        }
        LogSlice slice = log.read("a", 3, 100);
        assertThat(slice.firstSeq()).isEqualTo(16);
        assertThat(slice.hasGapAfter(3)).isTrue();
        assertThat(slice.entries()).hasSize(10).first().isEqualTo(new LogEntry(16, "m16"));
        log.append("a", "x".repeat(995));
        LogSession s = log.find("a");
        assertThat(s.keptBytes()).isLessThanOrEqualTo(1000);
        assertThat(s.keptMessages()).isEqualTo(2);
        assertThat(s.firstSeq()).isEqualTo(25);
        assertThatThrownBy(() -> log.append("a", "y".repeat(1001))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void survivesARestartOfTheServerProcessAndKeepsItsKeysExpiring() throws Exception {
        log.create("a", "alice");
        for (int i = 1; i <= 5; i++) {
            log.append("a", "m" + i);
        }
        log.stop(Duration.ofSeconds(1));
        log = newLog(log.limits());
        assertThat(log.read("a", 2, 10).entries()).extracting(LogEntry::payload).containsExactly("m3", "m4", "m5");
        assertThat(log.append("a", "m6")).isEqualTo(6);
        for (String key : redis.keys()) {
            if (!key.endsWith("sessions")) {
                assertThat(redis.pttl(key)).as(key).isBetween(1L, 30_000L);
            }
        }
    }

    @Test
    void reloadsItsScriptsAfterRedisLostThem() {
        log.create("a", null);
        redis.scriptFlush();
        assertThat(log.append("a", "after flush")).isEqualTo(1);
    }

    @Test
    void removesASessionAndItsKeys() {
        log.create("a", null);
        log.append("a", "x");
        log.remove("a");
        assertThat(log.find("a")).isNull();
        assertThat(redis.keys()).allMatch(k -> k.endsWith("sessions"));
        assertThat(log.usage().sessions()).isZero();
    }
}
