package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.testkit.Cs14Parameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.WebSocketScenarios;
import dev.coldstart.testkit.WebSocketService;
import dev.coldstart.testkit.fault.TcpFault;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import dev.coldstart.websocket.ClientListener;
import dev.coldstart.websocket.ClientTransport;
import dev.coldstart.websocket.HeartbeatConfig;
import dev.coldstart.websocket.PingSchedule;
import dev.coldstart.websocket.ReconnectingClient;
import dev.coldstart.websocket.WebSocketServer;
import dev.coldstart.websocket.WelcomeMode;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CS-14: a peer on a bare socket that completes the upgrade and the hello and then never answers a
 * ping; a library client behind the testkit's TCP fault proxy switched to BLACKHOLE (half-open
 * TCP: both sides think the connection is open); the startup rule on the heartbeat; and the phase
 * distribution of 5,000 sessions computed by the library's {@link PingSchedule} for the server's
 * interval.
 */
public final class WsHeartbeatScenario {
    private WsHeartbeatScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(WebSocketScenarios scenarios, ScenarioContext ctx, Cs14Parameters p) throws Exception {
        WebSocketService service = WsSupport.service(scenarios, WsSupport.env(ctx));
        HeartbeatConfig hb = service.server().config().heartbeat();
        Duration interval = hb.interval();
        int k = hb.missedPongsBeforeClose();
        ctx.figure("pingIntervalMillis", interval.toMillis());
        ctx.figure("missedPongsBeforeClose", k);
        WsSupport.Running running = WsSupport.start(ctx, service);
        WebSocketServer server = running.server();

        silentClient(ctx, p, service, running, hb);
        silentServer(ctx, p, service, running, hb);

        assertThatThrownBy(() -> hb.toBuilder().interval(hb.idleTimeoutInFront()).build())
                .as("CS-14: a heartbeat equal to the idle timeout in front is rejected at startup")
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("interval must be shorter than idleTimeoutInFront");
        assertThatThrownBy(() -> hb.toBuilder().idleTimeoutInFront(interval).build())
                .as("CS-14: an idle timeout in front not longer than the heartbeat is rejected at startup")
                .isInstanceOf(ConfigurationException.class);
        ctx.figure("heartbeatNotShorterThanIdleTimeout", "ConfigurationException at build");

        PingSchedule schedule = new PingSchedule(interval);
        for (int i = 0; i < p.phaseSpreadSessions(); i++) {
            schedule.assign();
        }
        int ideal = Math.max(1, (p.phaseSpreadSessions() + schedule.slots() - 1) / schedule.slots());
        int worst = schedule.maxConnectionsPerMillisecond();
        ctx.figure("phaseSpreadSessions", p.phaseSpreadSessions());
        ctx.figure("maxPingsInOneMillisecond", worst);
        ctx.figure("idealMaxPingsInOneMillisecond", ideal);
        assertThat(worst).as("CS-14: %d sessions spread over %d one-millisecond phases never share one beyond the average",
                p.phaseSpreadSessions(), schedule.slots()).isEqualTo(ideal);
        assertThat(worst).as("CS-14: they do not ping in the same millisecond").isLessThan(p.phaseSpreadSessions());
        assertThat(server.pingSchedule().maxConnectionsPerMillisecond()).as("CS-14: the live server's connections are spread too")
                .isLessThanOrEqualTo(Math.max(1, (server.pingSchedule().activeConnections() + schedule.slots() - 1) / schedule.slots()));
    }

    private static void silentClient(ScenarioContext ctx, Cs14Parameters p, WebSocketService service, WsSupport.Running running,
            HeartbeatConfig hb) throws Exception {
        WebSocketServer server = running.server();
        int openBefore = server.stats().openConnections();
        long closesBefore = server.stats().heartbeatCloses();
        Map<String, String> headers = new LinkedHashMap<>();
        if (service.allowedOrigin() != null) {
            headers.put("Origin", service.allowedOrigin());
        }
        if (service.validToken() != null) {
            headers.put("Authorization", "Bearer " + service.validToken().get());
        }
        long firstPing = -1;
        WsRawSocket.Frame close = null;
        long endOfStream = -1;
        try (WsRawSocket silent = WsRawSocket.upgrade(running.uri(), headers)) {
            assertThat(silent.status).as("CS-14: the silent peer's upgrade").isEqualTo(101);
            silent.socket.setSoTimeout((int) (hb.closeDeadline().plus(hb.interval()).plus(p.closeSlack()).toMillis() + 5000));
            silent.sendText("{\"type\":\"hello\"}");
            for (WsRawSocket.Frame f = silent.read(); f != null; f = silent.read()) {
                if (f.opcode() == 0x9 && firstPing < 0) {
                    firstPing = f.receivedAtNanos();
                }
                if (f.opcode() == 0x8) {
                    close = f;
                    break;
                }
            }
            if (close == null) {
                endOfStream = System.nanoTime();
            }
        }
        long closedAt = close != null ? close.receivedAtNanos() : endOfStream;
        long closeMillis = (closedAt - firstPing) / 1_000_000;
        ctx.figure("silentClient.closedMillisAfterFirstUnansweredPing", closeMillis);
        ctx.figure("silentClient.closeDeadlineMillis", hb.closeDeadline().plus(p.closeSlack()).toMillis());
        assertThat(firstPing).as("CS-14: the server pinged the silent peer").isPositive();
        assertThat(closeMillis).as("CS-14: the server closes a peer that misses %d pongs within P x K + %s",
                hb.missedPongsBeforeClose(), p.closeSlack()).isLessThanOrEqualTo(hb.closeDeadline().plus(p.closeSlack()).toMillis());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().openConnections() == openBefore);
        assertThat(server.stats().heartbeatCloses() - closesBefore).as("CS-14: ... and frees it").isEqualTo(1);
    }

    private static void silentServer(ScenarioContext ctx, Cs14Parameters p, WebSocketService service, WsSupport.Running running,
            HeartbeatConfig hb) throws Exception {
        TcpFaultProxy proxy = ctx.closeAfter(TcpFaultProxy.start(WsSupport.HOST, running.server().port()));
        URI viaProxy = URI.create("ws://" + WsSupport.HOST + ":" + proxy.port() + running.server().config().path());
        Duration silenceTimeout = hb.interval().multipliedBy(2).plusSeconds(1);
        ClientTransport transport = WsSupport.transport(ctx, "cs14-clients", 4);
        AtomicLong silentDetectedAt = new AtomicLong();
        List<WelcomeMode> welcomes = new CopyOnWriteArrayList<>();
        List<String> payloads = new CopyOnWriteArrayList<>();
        ReconnectingClient client = ctx.closeAfter(WsSupport.client(transport, service, viaProxy).silenceTimeout(silenceTimeout)
                .listener(new ClientListener() {
                    @Override
                    public void onConnected(String sessionId, WelcomeMode mode) {
                        welcomes.add(mode);
                    }

                    @Override
                    public void onMessage(long seq, String payload) {
                        payloads.add(payload);
                    }

                    @Override
                    public void onDisconnected(String reason) {
                        if (reason.contains("silent")) {
                            silentDetectedAt.compareAndSet(0, System.nanoTime());
                        }
                    }
                }).build());
        client.start();
        await().atMost(Duration.ofSeconds(20)).until(client::isConnected);
        running.server().broadcaster().send(client.sessionId(), "before");
        await().atMost(Duration.ofSeconds(10)).until(() -> payloads.size() == 1);

        long blackholed = System.nanoTime();
        proxy.setFault(TcpFault.blackhole());
        running.server().broadcaster().send(client.sessionId(), "during");
        await().atMost(silenceTimeout.plus(p.detectionSlack()).plusSeconds(5)).until(() -> silentDetectedAt.get() != 0);
        long detectionMillis = (silentDetectedAt.get() - blackholed) / 1_000_000;
        proxy.clearFault();
        long healed = System.nanoTime();
        await().atMost(p.reconnectDeadline()).until(() -> client.isConnected() && payloads.size() == 2);
        long reconnectMillis = (System.nanoTime() - healed) / 1_000_000;
        ctx.figure("silentServer.clientSilenceTimeoutMillis", silenceTimeout.toMillis());
        ctx.figure("silentServer.detectedMillisAfterBlackhole", detectionMillis);
        ctx.figure("silentServer.reconnectedMillisAfterHeal", reconnectMillis);
        assertThat(detectionMillis).as("CS-14: the client detects the silent server within its timeout (+ %s)", p.detectionSlack())
                .isLessThanOrEqualTo(silenceTimeout.plus(p.detectionSlack()).toMillis());
        assertThat(client.stats().silenceDetections()).isEqualTo(1);
        assertThat(welcomes).as("CS-14: ... and reconnects, resuming its session").containsExactly(WelcomeMode.NEW, WelcomeMode.RESUMED);
        assertThat(payloads).as("CS-14: the message sent meanwhile arrives once").containsExactly("before", "during");
        client.stop();
    }
}
