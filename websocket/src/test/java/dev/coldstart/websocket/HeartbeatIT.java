package dev.coldstart.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Heartbeats against a real server: silent peers closed in time, silent servers detected. */
class HeartbeatIT {
    private static final HeartbeatConfig FAST = HeartbeatConfig.builder().interval(Duration.ofMillis(300))
            .missedPongsBeforeClose(3).idleTimeoutInFront(Duration.ofSeconds(60)).build();

    @Test
    void closesAPeerThatStopsAnsweringWithinIntervalTimesMissedPongsPlusOneSecondAndFreesIt() throws Exception {
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().heartbeat(FAST).build());
                RawWebSocket silent = RawWebSocket.upgrade(rs.uri(), Map.of())) {
            assertThat(silent.status).isEqualTo(101);
            silent.sendText("{\"type\":\"hello\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> rs.server.stats().openConnections() == 1);
            long firstPing = -1;
            RawWebSocket.Frame close = null;
            for (RawWebSocket.Frame f = silent.read(); f != null; f = silent.read()) {
                if (f.opcode() == 0x9 && firstPing < 0) {
                    firstPing = f.receivedAtNanos();
                }
                if (f.opcode() == 0x8) {
                    close = f;
                    break;
                }
            }
            assertThat(firstPing).isPositive();
            assertThat(close).isNotNull();
            long millis = (close.receivedAtNanos() - firstPing) / 1_000_000;
            assertThat(millis).isLessThanOrEqualTo(FAST.closeDeadline().toMillis() + 1000);
            // Fixed-rate pings catch up after a late first one, so only K - 1 full intervals are certain.
            assertThat(millis).isGreaterThanOrEqualTo(FAST.closeDeadline().minus(FAST.interval()).toMillis());
            assertThat(close.closeCode()).isEqualTo(4000);
            await().atMost(Duration.ofSeconds(2)).until(() -> rs.server.stats().openConnections() == 0);
            assertThat(rs.server.stats().heartbeatCloses()).isEqualTo(1);
            assertThat(rs.server.pingSchedule().activeConnections()).isZero();
        }
    }

    @Test
    void keepsAnsweringClientsConnectedAndSpreadsTheirPhases() {
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().heartbeat(FAST).build());
                ClientTransport transport = ClientTransport.builder().name("heartbeat-it").build()) {
            List<ReconnectingClient> clients = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ReconnectingClient c = ReconnectingClient.builder(transport, rs.uri()).silenceTimeout(Duration.ofSeconds(2)).build();
                clients.add(c);
                c.start();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream().allMatch(ReconnectingClient::isConnected));
            long pongs = rs.server.stats().pongsReceived();
            await().atMost(Duration.ofSeconds(5)).until(() -> rs.server.stats().pongsReceived() >= pongs + 150);
            assertThat(rs.server.stats().heartbeatCloses()).isZero();
            assertThat(rs.server.pingSchedule().activeConnections()).isEqualTo(50);
            assertThat(rs.server.pingSchedule().maxConnectionsPerMillisecond()).isEqualTo(1);
            assertThat(clients).allMatch(c -> c.stats().connects() == 1 && c.stats().silenceDetections() == 0);
            clients.forEach(ReconnectingClient::stop);
        }
    }

    @Test
    void clientDetectsASilentServerBehindAHalfOpenConnectionAndReconnectsWhenItHeals() throws Exception {
        Duration silence = Duration.ofSeconds(1);
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().heartbeat(FAST).build());
                BlackholeRelay relay = new BlackholeRelay(rs.server.port());
                ClientTransport transport = ClientTransport.builder().name("silence-it").build()) {
            RecordingListener rec = new RecordingListener();
            ReconnectingClient client = ReconnectingClient.builder(transport, relay.uri("/ws")).listener(rec)
                    .silenceTimeout(silence)
                    .policy(ReconnectPolicy.builder().upgradeTimeout(Duration.ofMillis(700)).build())
                    .build();
            client.start();
            await().atMost(Duration.ofSeconds(10)).until(client::isConnected);
            rs.server.broadcaster().broadcast("before");
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.messages.get() == 1);
            long t0 = System.nanoTime();
            relay.blackhole();
            await().atMost(silence.plusSeconds(2)).until(() -> client.stats().silenceDetections() >= 1);
            long detectedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(detectedMillis).isLessThanOrEqualTo(silence.toMillis() + 1000);
            rs.server.broadcaster().broadcast("during");
            await().atMost(Duration.ofSeconds(5)).until(() -> client.stats().timeouts() >= 1);
            relay.heal();
            await().atMost(Duration.ofSeconds(15)).until(() -> client.isConnected() && rec.messages.get() == 2);
            assertThat(rec.payloads).containsExactly("before", "during");
            assertThat(rec.welcomes).containsExactly(WelcomeMode.NEW, WelcomeMode.RESUMED);
            client.stop();
        }
    }
}
