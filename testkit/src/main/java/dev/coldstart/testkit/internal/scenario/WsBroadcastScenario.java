package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.testkit.Cs15Parameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.WebSocketScenarios;
import dev.coldstart.testkit.WebSocketService;
import dev.coldstart.websocket.BroadcastResult;
import dev.coldstart.websocket.Broadcaster;
import dev.coldstart.websocket.BufferLimits;
import dev.coldstart.websocket.ClientStats;
import dev.coldstart.websocket.ClientTransport;
import dev.coldstart.websocket.LogUsage;
import dev.coldstart.websocket.ReconnectingClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * CS-15: every session is a {@link ReconnectingClient}; one of them stops reading for the whole
 * run (the slow consumer); the test thread broadcasts, and at evenly spaced points one of the
 * randomly chosen sessions drops its connection (as a network failure would) and reconnects by
 * itself. Every payload carries its broadcast number, so each client's recorder checks exactly-once
 * and in-order delivery independently of the library's own counters.
 */
public final class WsBroadcastScenario {
    private static final String PREFIX = "b";
    private static final long SEED = 15L;

    private WsBroadcastScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(WebSocketScenarios scenarios, ScenarioContext ctx, Cs15Parameters p) throws Exception {
        WebSocketService service = WsSupport.service(scenarios, WsSupport.env(ctx));
        BufferLimits limits = service.server().config().messageLog().limits();
        assertThat(limits.maxMessagesPerSession()).as("CS-15: a session must be able to hold the %d broadcasts it may miss "
                + "while slow or reconnecting; raise maxMessagesPerSession", p.broadcasts()).isGreaterThanOrEqualTo(p.broadcasts());
        assertThat(p.reconnectingSessions()).as("CS-15: reconnecting sessions among all but the slow one").isLessThan(p.sessions());
        WsSupport.Running running = WsSupport.start(ctx, service);
        ClientTransport transport = WsSupport.transport(ctx, "cs15-clients", 16);

        List<WsRecorder> recorders = new ArrayList<>();
        List<ReconnectingClient> clients = new ArrayList<>();
        for (int i = 0; i < p.sessions(); i++) {
            WsRecorder r = new WsRecorder(PREFIX);
            recorders.add(r);
            clients.add(ctx.closeAfter(WsSupport.client(transport, service, running.uri()).name("cs15-" + i).listener(r).build()));
        }
        clients.forEach(ReconnectingClient::start);
        await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(ReconnectingClient::isConnected));

        ReconnectingClient slow = clients.get(0);
        WsRecorder slowRecorder = recorders.get(0);
        List<Integer> others = new ArrayList<>();
        for (int i = 1; i < p.sessions(); i++) {
            others.add(i);
        }
        Collections.shuffle(others, new Random(SEED));
        List<Integer> reconnecting = others.subList(0, p.reconnectingSessions());
        slow.pauseReading();

        Broadcaster broadcaster = running.server().broadcaster();
        long escaped = 0;
        long failedAppends = 0;
        int nextDrop = 0;
        long start = System.nanoTime();
        for (int m = 1; m <= p.broadcasts(); m++) {
            while (nextDrop < reconnecting.size()
                    && m >= (long) (nextDrop + 1) * p.broadcasts() / (reconnecting.size() + 1)) {
                clients.get(reconnecting.get(nextDrop++)).dropConnection();
            }
            try {
                BroadcastResult r = broadcaster.broadcast(WsRecorder.payload(PREFIX, m));
                failedAppends += r.failed();
            } catch (RuntimeException e) {
                escaped++;
            }
        }
        Duration broadcastTime = WsSupport.since(start);
        await().atMost(p.deliveryDeadline()).pollInterval(Duration.ofMillis(100))
                .until(() -> recorders.subList(1, recorders.size()).stream().allMatch(r -> r.lastNumber.get() >= p.broadcasts()));
        Duration othersDone = WsSupport.since(start);
        int slowWhenOthersDone = slowRecorder.messages.get();
        LogUsage usage = running.server().config().messageLog().usage();
        long heapMiB = WsSupport.mib(WsSupport.usedHeapAfterGc());
        slow.resumeReading();
        await().atMost(p.deliveryDeadline()).pollInterval(Duration.ofMillis(100))
                .until(() -> slowRecorder.lastNumber.get() >= p.broadcasts());
        Duration slowDone = WsSupport.since(start);

        long delivered = 0;
        long outOfOrder = 0;
        long lost = 0;
        long duplicates = 0;
        for (int i = 0; i < clients.size(); i++) {
            WsRecorder r = recorders.get(i);
            ClientStats s = clients.get(i).stats();
            delivered += r.messages.get();
            outOfOrder += r.outOfOrder.get();
            lost += r.lostMessages.get();
            duplicates += s.duplicates() + s.unannouncedGaps();
        }
        long reconnected = reconnecting.stream().filter(i -> clients.get(i).stats().connects() >= 2).count();
        ctx.figure("sessions", p.sessions());
        ctx.figure("broadcasts", p.broadcasts());
        ctx.figure("reconnectingSessions", reconnecting.size());
        ctx.figure("reconnectedSessions", reconnected);
        ctx.figure("broadcastSeconds", broadcastTime.toMillis() / 1000.0);
        ctx.figure("othersDeliveredSeconds", othersDone.toMillis() / 1000.0);
        ctx.figure("slowConsumerReceivedWhenOthersDone", slowWhenOthersDone);
        ctx.figure("slowConsumerDeliveredSeconds", slowDone.toMillis() / 1000.0);
        ctx.figure("delivered", delivered);
        ctx.figure("lost", lost);
        ctx.figure("duplicatesOrHoles", duplicates);
        ctx.figure("outOfOrder", outOfOrder);
        ctx.figure("exceptionsEscaped", escaped);
        ctx.figure("failedAppends", failedAppends);
        ctx.figure("retryQueueMaxMessagesPerSession", usage.maxKeptMessagesPerSession());
        ctx.figure("heapUsedMiB", heapMiB);

        assertThat(escaped).as("CS-15: no exception escapes the broadcaster").isZero();
        assertThat(failedAppends).as("CS-15: every broadcast reached every session's buffer").isZero();
        assertThat(reconnected).as("CS-15: the %d random sessions disconnected and reconnected", reconnecting.size())
                .isEqualTo(reconnecting.size());
        assertThat(clients).as("CS-15: every session is connected at the end").allMatch(ReconnectingClient::isConnected);
        assertThat(delivered).as("CS-15: every session received every message").isEqualTo((long) p.sessions() * p.broadcasts());
        assertThat(lost).as("CS-15: ... none lost").isZero();
        assertThat(duplicates).as("CS-15: ... exactly once").isZero();
        assertThat(outOfOrder).as("CS-15: ... in order").isZero();
        assertThat(slowWhenOthersDone).as("CS-15: the slow consumer did not slow the others: they had everything while it had %d",
                slowWhenOthersDone).isLessThan(p.broadcasts());
        assertThat(usage.maxKeptMessagesPerSession()).as("CS-15: the retry queue is bounded").isLessThanOrEqualTo(limits.maxMessagesPerSession());
        clients.forEach(ReconnectingClient::stop);
    }
}
