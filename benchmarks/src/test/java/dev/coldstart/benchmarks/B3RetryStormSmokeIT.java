package dev.coldstart.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** B3 in miniature against the real PostgreSQL: 3 demo instances and 3 naive clients, a 2 s outage. */
class B3RetryStormSmokeIT {

    @Test
    void countsAttemptsOfBothSidesAndEveryInstanceBecomesReady() throws Exception {
        RowReport row = Smoke.run("b3");

        assertThat(row.sample("coldstart demo: connection attempts during the outage").min()).isPositive();
        assertThat(row.sample("fixed 500 ms retry: connection attempts during the outage").min())
                .as("3 clients retrying every 500 ms for 2 s").isGreaterThanOrEqualTo(3 * 3);
        assertThat(row.sample("slowest instance READY after the database's return").max()).isFinite();
        assertThat(row.toMarkdown()).contains("every instance READY in every run: true");
    }
}
