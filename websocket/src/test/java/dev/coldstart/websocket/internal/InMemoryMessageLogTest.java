package dev.coldstart.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.websocket.BufferLimits;
import dev.coldstart.websocket.LogEntry;
import dev.coldstart.websocket.LogSession;
import dev.coldstart.websocket.LogSlice;
import dev.coldstart.websocket.LogUsage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryMessageLogTest {
    private final AtomicLong clock = new AtomicLong();

    private InMemoryMessageLog log(int maxMessages, long maxBytes) {
        return new InMemoryMessageLog("log", BufferLimits.builder().maxMessagesPerSession(maxMessages)
                .maxBytesPerSession(maxBytes).sessionTtl(Duration.ofSeconds(60)).build(), clock::get);
    }

    @Test
    void assignsContiguousSequenceNumbersPerSession() {
        InMemoryMessageLog log = log(100, 10_000);
        log.create("a", "alice");
        log.create("b", null);
        assertThat(log.append("a", "1")).isEqualTo(1);
        assertThat(log.append("a", "2")).isEqualTo(2);
        assertThat(log.appendToEach(List.of("a", "b", "missing"), "x")).containsExactly(3, 1, -1);
        LogSlice slice = log.read("a", 1, 10);
        assertThat(slice.entries()).extracting(LogEntry::seq).containsExactly(2L, 3L);
        assertThat(slice.hasGapAfter(1)).isFalse();
        assertThat(log.find("a")).isEqualTo(new LogSession("a", "alice", 3, 1, 3, 3));
    }

    @Test
    void dropsTheOldestBeyondTheMessageLimitAndReportsTheGap() {
        InMemoryMessageLog log = log(10, 10_000);
        log.create("a", null);
        for (int i = 1; i <= 25; i++) {
            log.append("a", "m" + i);
        }
        LogSlice slice = log.read("a", 3, 100);
        assertThat(slice.firstSeq()).isEqualTo(16);
        assertThat(slice.lastSeq()).isEqualTo(25);
        assertThat(slice.hasGapAfter(3)).isTrue();
        assertThat(slice.entries()).extracting(LogEntry::payload).first().isEqualTo("m16");
        assertThat(log.find("a").keptMessages()).isEqualTo(10);
    }

    @Test
    void dropsTheOldestBeyondTheByteLimitCountingUtf8() {
        InMemoryMessageLog log = log(1000, 10);
        log.create("a", null);
        log.append("a", "ü".repeat(3));
        log.append("a", "abcd");
        assertThat(log.find("a").keptBytes()).isEqualTo(10);
        log.append("a", "x");
        LogSession s = log.find("a");
        assertThat(s.keptMessages()).isEqualTo(2);
        assertThat(s.keptBytes()).isEqualTo(5);
        assertThat(s.firstSeq()).isEqualTo(2);
    }

    @Test
    void refusesAMessageLargerThanTheWholeBuffer() {
        InMemoryMessageLog log = log(10, 8);
        log.create("a", null);
        assertThatThrownBy(() -> log.append("a", "123456789"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("log - a message of 9 bytes exceeds maxBytesPerSession (8); split it or raise the limit");
    }

    @Test
    void forgetsSessionsWithoutATouchForTheirTimeToLive() {
        InMemoryMessageLog log = log(10, 100);
        log.create("a", null);
        log.create("b", null);
        clock.addAndGet(Duration.ofSeconds(40).toNanos());
        assertThat(log.touch("a")).isTrue();
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(log.sessionIds()).containsExactly("a");
        assertThat(log.append("b", "x")).isEqualTo(-1);
        assertThat(log.read("b", 0, 1)).isNull();
        assertThat(log.find("b")).isNull();
    }

    @Test
    void sharesOneBroadcastPayloadAndReportsBoundedUsage() {
        InMemoryMessageLog log = log(50, 1_000_000);
        for (int i = 0; i < 100; i++) {
            log.create("s" + i, null);
        }
        List<String> ids = log.sessionIds();
        for (int m = 0; m < 500; m++) {
            log.appendToEach(ids, "payload-" + m);
        }
        LogUsage usage = log.usage();
        assertThat(usage.sessions()).isEqualTo(100);
        assertThat(usage.maxKeptMessagesPerSession()).isEqualTo(50);
        assertThat(usage.keptMessages()).isEqualTo(5000);
        assertThat(log.read("s7", 0, 1).firstSeq()).isEqualTo(451);
    }

    @Test
    void countsUtf8LengthLikeTheEncoder() {
        for (String s : List.of("", "abc", "ü", "€", "\uD83D\uDE00", "mixed ü € \uD83D\uDE00 x")) {
            assertThat(InMemoryMessageLog.utf8Length(s)).as(s).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }
}
