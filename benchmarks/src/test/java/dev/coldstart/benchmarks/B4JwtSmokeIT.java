package dev.coldstart.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** B4 in miniature against a real HTTP identity provider: throughput of both verifiers, one burst of 50. */
class B4JwtSmokeIT {

    @Test
    void measuresBothVerifiersAndFetchesTheJwksOnceForABurstOfUnknownKids() throws Exception {
        RowReport row = Smoke.run("b4");

        assertThat(row.sample("coldstart").median()).isPositive();
        assertThat(row.sample("nimbus").median()).isPositive();
        assertThat(row.sample("coldstart: JWKS fetches in the burst").values()).containsOnly(1.0);
        assertThat(row.sample("coldstart: tokens accepted").values()).containsOnly(50.0);
        assertThat(row.sample("Nimbus: tokens accepted").max()).isBetween(0.0, 50.0);
    }
}
