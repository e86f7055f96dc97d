package dev.coldstart.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Broadcast, buffering and backpressure against a real server with the in-memory log. */
class BroadcastIT {

    @Test
    void sendsAnExplicitGapMarkerWhenADisconnectedClientsBufferOverflows() {
        BufferLimits limits = BufferLimits.builder().maxMessagesPerSession(100).maxBytesPerSession(1_000_000).build();
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig()
                .messageLog(MessageLog.inMemory("log", limits)).build());
                ClientTransport transport = ClientTransport.builder().name("gap-it").build()) {
            RecordingListener rec = new RecordingListener();
            ReconnectingClient client = ReconnectingClient.builder(transport, rs.uri()).listener(rec).build();
            client.start();
            await().atMost(Duration.ofSeconds(10)).until(client::isConnected);
            rs.server.broadcaster().broadcast("m1");
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.messages.get() == 1);
            client.stop();
            for (int i = 2; i <= 250; i++) {
                rs.server.broadcaster().broadcast("m" + i);
            }
            client.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> rec.lastSeq.get() == 250);
            assertThat(rec.gaps).hasSize(1);
            assertThat(rec.gaps.get(0)).containsExactly(2, 150);
            assertThat(rec.payloads).hasSize(101).startsWith("m1", "m151").endsWith("m250");
            assertThat(rec.messages.get() + (150 - 2 + 1)).isEqualTo(250);
            assertThat(client.stats().gapMarkers()).isEqualTo(1);
            assertThat(client.stats().lostMessages()).isEqualTo(149);
            assertThat(rs.server.stats().gapMarkersSent()).isGreaterThanOrEqualTo(1);
            client.stop();
        }
    }

    @Test
    void aSlowConsumerDoesNotSlowTheOthersAndStillGetsEverythingInOrder() {
        int sessions = 20;
        int messages = 3000;
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().build());
                ClientTransport transport = ClientTransport.builder().name("slow-it").build()) {
            List<RecordingListener> recs = new ArrayList<>();
            List<ReconnectingClient> clients = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                RecordingListener rec = new RecordingListener();
                recs.add(rec);
                clients.add(ReconnectingClient.builder(transport, rs.uri()).listener(rec).build());
            }
            clients.forEach(ReconnectingClient::start);
            await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream().allMatch(ReconnectingClient::isConnected));
            ReconnectingClient slow = clients.get(0);
            slow.pauseReading();
            for (int m = 1; m <= messages; m++) {
                assertThat(rs.server.broadcaster().broadcast("payload-" + m).complete()).isTrue();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> recs.subList(1, sessions).stream()
                    .allMatch(r -> r.messages.get() == messages));
            assertThat(recs.get(0).messages.get()).isLessThan(messages / 2);
            slow.resumeReading();
            await().atMost(Duration.ofSeconds(30)).until(() -> recs.get(0).messages.get() == messages);
            for (RecordingListener r : recs) {
                assertThat(r.outOfOrder).hasValue(0);
                assertThat(r.gaps).isEmpty();
            }
            assertThat(slow.stats().duplicates()).isZero();
            clients.forEach(ReconnectingClient::stop);
        }
    }

    @Test
    void deliversEveryMessageExactlyOnceInOrderWhileRandomSessionsDropAndReconnect() {
        int sessions = 40;
        int messages = 2000;
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().build());
                ClientTransport transport = ClientTransport.builder().name("churn-it").build()) {
            List<RecordingListener> recs = new ArrayList<>();
            List<ReconnectingClient> clients = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                RecordingListener rec = new RecordingListener();
                recs.add(rec);
                clients.add(ReconnectingClient.builder(transport, rs.uri()).listener(rec).build());
            }
            clients.forEach(ReconnectingClient::start);
            await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream().allMatch(ReconnectingClient::isConnected));
            List<ReconnectingClient> victims = new ArrayList<>(clients);
            Collections.shuffle(victims, new Random(7));
            victims = victims.subList(0, 10);
            int exceptions = 0;
            for (int m = 1; m <= messages; m++) {
                if (m % 200 == 0) {
                    victims.get(m / 200 - 1).dropConnection();
                }
                try {
                    rs.server.broadcaster().broadcast("payload-" + m);
                } catch (RuntimeException e) {
                    exceptions++;
                }
            }
            assertThat(exceptions).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> recs.stream().allMatch(r -> r.messages.get() == messages));
            for (int i = 0; i < sessions; i++) {
                assertThat(recs.get(i).outOfOrder).hasValue(0);
                assertThat(recs.get(i).payloads.get(messages - 1)).isEqualTo("payload-" + messages);
                assertThat(clients.get(i).stats().duplicates()).isZero();
                assertThat(clients.get(i).stats().unannouncedGaps()).isZero();
            }
            assertThat(victims).allMatch(v -> v.stats().connects() >= 2);
            clients.forEach(ReconnectingClient::stop);
        }
    }
}
