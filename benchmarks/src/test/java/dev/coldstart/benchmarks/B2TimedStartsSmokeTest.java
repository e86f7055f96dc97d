package dev.coldstart.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** B2 in miniature: every peer runs; the figures it is judged by are derived. */
class B2TimedStartsSmokeTest {

    @Test
    void measuresColdstartAndSpringPhasesAgainstTheCriticalPath() throws Exception {
        RowReport row = Smoke.run("b2");

        double critical = row.figure("critical path (ms)");
        assertThat(critical).isPositive();
        // No start can finish before the chain of starts below it: the physical limit holds for everyone.
        for (String peer : java.util.List.of("coldstart", "coldstartDefaultWorkers", "springPhasesConcurrent",
                "springPhasesSequential")) {
            assertThat(row.sample(peer).min()).as(peer).isGreaterThanOrEqualTo(critical);
        }
        assertThat(row.figure("phase floor: sum over layers of the slowest start (ms)")).isGreaterThanOrEqualTo(critical);
        assertThat(row.figure("ratio coldstart / critical path (median run)")).isGreaterThanOrEqualTo(1.0).isFinite();
        assertThat(row.sample("ratio coldstart / springPhasesConcurrent (paired by round)").median()).isPositive();
    }
}
