package dev.coldstart.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End to end on 127.0.0.1: sequenced delivery, resume after a dropped connection, batching. */
class DeliveryIT {
    private static ClientTransport transport;

    @BeforeAll
    static void transport() {
        transport = ClientTransport.builder().name("delivery-it").build();
    }

    @AfterAll
    static void closeTransport() {
        transport.close();
    }

    @Test
    void deliversBroadcastsInOrderAndResumesAfterADroppedConnectionWithoutLossOrDuplicates() {
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().build())) {
            RecordingListener rec = new RecordingListener();
            ReconnectingClient client = ReconnectingClient.builder(transport, rs.uri()).listener(rec).build();
            client.start();
            await().atMost(Duration.ofSeconds(10)).until(client::isConnected);
            Broadcaster b = rs.server.broadcaster();
            for (int i = 1; i <= 500; i++) {
                assertThat(b.broadcast("m" + i).complete()).isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> rec.messages.get() == 500);
            client.dropConnection();
            for (int i = 501; i <= 1000; i++) {
                b.broadcast("m" + i);
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> rec.messages.get() == 1000);
            assertThat(rec.payloads).containsExactlyElementsOf(IntStream.rangeClosed(1, 1000).mapToObj(i -> "m" + i).toList());
            assertThat(rec.outOfOrder).hasValue(0);
            assertThat(rec.welcomes).startsWith(WelcomeMode.NEW).contains(WelcomeMode.RESUMED);
            ClientStats stats = client.stats();
            assertThat(stats.duplicates()).isZero();
            assertThat(stats.unannouncedGaps()).isZero();
            assertThat(stats.lastSeq()).isEqualTo(1000);
            assertThat(rs.server.stats().framesSent()).isLessThan(rs.server.stats().messagesSent());
            client.stop();
        }
    }

    @Test
    void speaksTheWireProtocolToABareClientHelloWelcomeDataAndApplicationPing() throws Exception {
        java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        SessionListener listener = new SessionListener() {
            @Override
            public void onMessage(String sessionId, String payload) {
                received.add(sessionId + ":" + payload);
            }
        };
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().listener(listener).build());
                RawWebSocket ws = RawWebSocket.upgrade(rs.uri(), java.util.Map.of())) {
            ws.sendText("{\"type\":\"hello\"}");
            String welcome = ws.read().text();
            assertThat(welcome).startsWith("[{\"type\":\"welcome\",\"session\":\"").endsWith("\"seq\":0,\"mode\":\"new\"}]");
            String session = welcome.substring(welcome.indexOf("\"session\":\"") + 11, welcome.indexOf("\",\"seq\""));
            ws.sendText("{\"type\":\"data\",\"data\":\"hi \\\"there\\\"\"}");
            ws.sendText("{\"type\":\"ping\"}");
            assertThat(ws.read().text()).isEqualTo("[{\"type\":\"pong\"}]");
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            assertThat(received).containsExactly(session + ":hi \"there\"");
            rs.server.broadcaster().send(session, "to you");
            assertThat(ws.read().text()).isEqualTo("[{\"type\":\"msg\",\"seq\":1,\"data\":\"to you\"}]");
        }
    }

    @Test
    void closesAConnectionThatSendsNoHelloWith1008() throws Exception {
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().helloTimeout(Duration.ofMillis(300)).build());
                RawWebSocket ws = RawWebSocket.upgrade(rs.uri(), java.util.Map.of())) {
            RawWebSocket.Frame f = ws.read();
            assertThat(f.opcode()).isEqualTo(0x8);
            assertThat(f.closeCode()).isEqualTo(1008);
        }
    }

    @Test
    void startupReportListsTheLogHeartbeatsSenderAndServer() {
        try (RunningServer rs = RunningServer.start(RunningServer.localConfig().name("chat").build())) {
            List<String> names = rs.report.components().stream().map(c -> c.name()).toList();
            assertThat(names).contains("chat-log", "chat-heartbeats", "chat-sender", "chat");
        }
    }
}
