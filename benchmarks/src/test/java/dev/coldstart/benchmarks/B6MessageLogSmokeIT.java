package dev.coldstart.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** B6 in miniature: the in-memory log against a queue, the Redis log against raw Lettuce on the real Redis. */
class B6MessageLogSmokeIT {

    @Test
    void measuresBothLogsAgainstTheirPeers() throws Exception {
        RowReport row = Smoke.run("b6");

        assertThat(row.samples()).containsKeys("inMemoryLog", "arrayBlockingQueue", "redisLog", "rawLettuce");
        row.samples().values().forEach(s -> assertThat(s.median()).as(s.name()).isPositive().isFinite());
        assertThat(row.sample("ratio inMemoryLog / arrayBlockingQueue (paired by round)").median()).isPositive();
        assertThat(row.figure("Redis overhead: coldstart's time per batch over raw Lettuce's, minus 1")).isFinite();
    }
}
