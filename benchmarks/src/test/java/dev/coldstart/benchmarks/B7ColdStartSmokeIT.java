package dev.coldstart.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** B7 once: the demo's and the Spring Boot peer's executable jars each start to READY on the real PostgreSQL. */
class B7ColdStartSmokeIT {

    @Test
    void startsTheDemoAndTheSpringBootPeerToReadyAndReadsTheirPeakRss() throws Exception {
        RowReport row = Smoke.run("b7");

        assertThat(row.sample("coldstart demo: to READY").median()).isPositive();
        assertThat(row.sample("Spring Boot peer: to READY").median()).isPositive();
        assertThat(row.sample("coldstart demo: peak RSS at READY").min()).as("MiB").isGreaterThan(10);
        assertThat(row.sample("Spring Boot peer: peak RSS at READY").min()).as("MiB").isGreaterThan(10);
        assertThat(row.figure("ratio demo / Spring Boot (time to READY)")).isPositive().isFinite();
    }
}
