package dev.coldstart.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PingScheduleTest {

    @Test
    void spreadsFiveThousandConnectionsOverATenSecondIntervalAtMostOnePerMillisecond() {
        PingSchedule s = new PingSchedule(Duration.ofSeconds(10));
        for (int i = 0; i < 5000; i++) {
            s.assign();
        }
        assertThat(s.activeConnections()).isEqualTo(5000);
        assertThat(s.maxConnectionsPerMillisecond()).isEqualTo(1);
    }

    @Test
    void neverPutsMoreThanTheCeilingOfTheAverageIntoOneMillisecond() {
        PingSchedule s = new PingSchedule(Duration.ofSeconds(1));
        for (int i = 0; i < 5000; i++) {
            s.assign();
        }
        assertThat(s.maxConnectionsPerMillisecond()).isEqualTo(5);
        int[] occupancy = s.occupancy();
        assertThat(occupancy).hasSize(1000).containsOnly(5);
    }

    @Test
    void consecutiveConnectionsAreFarApart() {
        PingSchedule s = new PingSchedule(Duration.ofSeconds(10));
        int previous = s.assign();
        for (int i = 0; i < 100; i++) {
            int next = s.assign();
            int distance = Math.abs(next - previous);
            assertThat(Math.min(distance, 10_000 - distance)).isGreaterThan(1000);
            previous = next;
        }
    }

    @Test
    void refillsFreedSlotsFirstUnderChurn() {
        PingSchedule s = new PingSchedule(Duration.ofSeconds(2));
        List<Integer> phases = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            phases.add(s.assign());
        }
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            int idx = random.nextInt(phases.size());
            s.release(phases.get(idx));
            phases.set(idx, s.assign());
        }
        assertThat(s.activeConnections()).isEqualTo(3000);
        assertThat(s.maxConnectionsPerMillisecond()).isEqualTo(2);
    }

    @Test
    void computesTheDelayToTheNextPingOnTheSharedTimeline() {
        PingSchedule s = new PingSchedule(Duration.ofMillis(1000));
        assertThat(s.nanosUntilNextPing(300, 0)).isEqualTo(300_000_000L);
        assertThat(s.nanosUntilNextPing(300, 400_000_000L)).isEqualTo(900_000_000L);
        assertThat(s.nanosUntilNextPing(300, 2_300_000_000L)).isZero();
    }
}
