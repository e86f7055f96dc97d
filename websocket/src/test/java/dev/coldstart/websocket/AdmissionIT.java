package dev.coldstart.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.websocket.metrics.WebSocketServerMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upgrade admission against a real server: 503 with Retry-After, in-flight cap, a small storm. */
class AdmissionIT {

    @Test
    void answersTheExcessWith503RetryAfterAndConnectionClose() throws Exception {
        AdmissionConfig slow = AdmissionConfig.builder().permitsPerSecond(0.2).burstPermits(1).build();
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().admission(slow).build())) {
            try (RawWebSocket first = RawWebSocket.upgrade(rs.uri(), Map.of())) {
                assertThat(first.status).isEqualTo(101);
                try (RawWebSocket second = RawWebSocket.upgrade(rs.uri(), Map.of())) {
                    assertThat(second.status).isEqualTo(503);
                    assertThat(Long.parseLong(second.headers.get("retry-after"))).isBetween(1L, 30L);
                    assertThat(second.headers.get("connection")).isEqualToIgnoringCase("close");
                }
            }
            assertThat(rs.server.stats().rejectedByRate()).isEqualTo(1);
            assertThat(rs.server.stats().upgradesAdmitted()).isEqualTo(1);

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            WebSocketServerMetrics.bind(rs.server, registry, Tags.of("service", "it"));
            assertThat(registry.get("coldstart.websocket.upgrades").tags("outcome", "admitted", "service", "it")
                    .functionCounter().count()).isEqualTo(1.0);
            assertThat(registry.get("coldstart.websocket.upgrades").tags("outcome", "rejected.rate").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("coldstart.websocket.upgrades").tags("outcome", "rejected.in.flight").functionCounter()
                    .count()).isZero();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> registry.get("coldstart.websocket.connections").gauge().value() == 0.0);
        }
    }

    @Test
    void bringsAStormOfClientsInAtTheAdmittedRateWithoutResetsOrTimeouts() {
        int clients = 300;
        AdmissionConfig admission = AdmissionConfig.builder().permitsPerSecond(100).burstPermits(20)
                .maxHandshakesInFlight(4).build();
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().admission(admission).build());
                ClientTransport transport = ClientTransport.builder().name("storm-it").build()) {
            List<ReconnectingClient> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                all.add(ReconnectingClient.builder(transport, rs.uri()).name("storm-" + i).build());
            }
            long t0 = System.nanoTime();
            all.forEach(ReconnectingClient::start);
            await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(ReconnectingClient::isConnected));
            double seconds = (System.nanoTime() - t0) / 1e9;
            WebSocketServerStats stats = rs.server.stats();
            assertThat(stats.peakHandshakesInFlight()).isLessThanOrEqualTo(4);
            assertThat(stats.rejectedByRate() + stats.rejectedInFlight()).isPositive();
            assertThat(stats.maxAdmittedInOneSecond()).isLessThanOrEqualTo(100 + 20);
            assertThat(stats.upgradesAdmitted()).isEqualTo(clients);
            assertThat(seconds).isGreaterThan((clients - 20) / 100.0 * 0.9);
            long resets = all.stream().mapToLong(c -> c.stats().resets()).sum();
            long timeouts = all.stream().mapToLong(c -> c.stats().timeouts()).sum();
            long other = all.stream().mapToLong(c -> c.stats().otherFailures() + c.stats().refused()).sum();
            assertThat(resets).isZero();
            assertThat(timeouts).isZero();
            assertThat(other).isZero();
            long rejected = all.stream().mapToLong(c -> c.stats().rejectedWithRetryAfter()).sum();
            long hints = all.stream().mapToLong(c -> c.stats().retryAfterHints()).sum();
            assertThat(rejected).isEqualTo(stats.rejectedByRate() + stats.rejectedInFlight());
            assertThat(hints).isEqualTo(rejected);
            all.forEach(ReconnectingClient::stop);
        }
    }
}
