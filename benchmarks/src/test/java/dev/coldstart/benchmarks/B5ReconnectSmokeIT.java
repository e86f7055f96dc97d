package dev.coldstart.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** B5 in miniature: 50 clients reconnect after a restart, with the reconnect policy and without backoff. */
class B5ReconnectSmokeIT {

    @Test
    void reconnectsEveryClientAfterTheRestartWithBothPolicies() throws Exception {
        RowReport row = Smoke.run("b5");

        assertThat(row.toMarkdown()).contains("every client reconnected in every run: true");
        assertThat(row.sample("reconnect policy: READY to all reconnected").median()).isPositive();
        assertThat(row.sample("at once: READY to all reconnected").median()).isPositive();
        assertThat(row.sample("reconnect policy: peak handshakes in flight").max()).isBetween(1.0, 32.0);
    }
}
