package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.testkit.Cs12Parameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.WebSocketEnvironment;
import dev.coldstart.testkit.WebSocketScenarios;
import dev.coldstart.testkit.WebSocketService;
import dev.coldstart.testkit.fault.TcpFault;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import dev.coldstart.websocket.BroadcastResult;
import dev.coldstart.websocket.Broadcaster;
import dev.coldstart.websocket.BufferLimits;
import dev.coldstart.websocket.ClientTransport;
import dev.coldstart.websocket.LogSession;
import dev.coldstart.websocket.LogUsage;
import dev.coldstart.websocket.MessageLog;
import dev.coldstart.websocket.ReconnectingClient;
import dev.coldstart.websocket.WelcomeMode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CS-12 in four parts, each against real sockets on 127.0.0.1:
 * <ol>
 *   <li>restart: the server stops; a publisher process appends the messages to the shared Redis
 *       Streams log while it is down (and, if it is not done, after); a new instance starts on the
 *       same port when the outage is over; every client resumes;</li>
 *   <li>drop: the clients reach the server through a TCP fault proxy that resets every connection
 *       and refuses new ones for the outage while the server (in-memory log) keeps publishing;</li>
 *   <li>overflow: a client that stays away while more than its buffer holds is published, first by
 *       count and then by bytes, gets one gap marker naming exactly the dropped messages;</li>
 *   <li>heap: the same volume published twice to full buffers of disconnected sessions leaves the
 *       heap (after GC) where the first round left it.</li>
 * </ol>
 */
public final class WsResumeScenario {
    private static final String PREFIX = "m";

    private WsResumeScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(WebSocketScenarios scenarios, ScenarioContext ctx, Cs12Parameters p) throws Exception {
        ClientTransport transport = WsSupport.transport(ctx, "cs12-clients", 16);
        restart(scenarios, ctx, p, transport);
        drop(scenarios, ctx, p, transport);
        overflowAndHeap(scenarios, ctx, p, transport);
    }

    private static void restart(WebSocketScenarios scenarios, ScenarioContext ctx, Cs12Parameters p,
            ClientTransport transport) throws Exception {
        WebSocketEnvironment env = WsSupport.redisEnv(ctx, 0);
        WebSocketService first = WsSupport.service(scenarios, env);
        BufferLimits limits = first.server().config().messageLog().limits();
        int warmUp = 10;
        assertThat(limits.maxMessagesPerSession()).as("CS-12: a session must hold the %d messages published while it is away; "
                + "raise maxMessagesPerSession", p.messages()).isGreaterThanOrEqualTo(p.messages());
        WsSupport.Running running = WsSupport.start(ctx, first);
        int port = running.server().port();
        List<WsRecorder> recorders = new ArrayList<>();
        List<ReconnectingClient> clients = connect(ctx, transport, first, running.uri(), p.clients(), recorders, "cs12-restart");
        publish(running.server().broadcaster(), 1, warmUp, p.clients());
        await().atMost(Duration.ofSeconds(30)).until(() -> recorders.stream().allMatch(r -> r.messages.get() == warmUp));

        long down = System.nanoTime();
        running.close();
        MessageLog publisherLog = ctx.closeAfter(new Stoppable(env.messageLog(ctx.id() + "-publisher", limits))).log;
        publisherLog.start();
        // A publisher process keeps publishing through the shared log while the server is down and
        // after it is back; the restart happens when the outage is over, whatever the publisher's progress.
        AtomicInteger published = new AtomicInteger();
        ExecutorService publisherThread = Executors.newSingleThreadExecutor();
        ctx.closeAfter(publisherThread::shutdownNow);
        Future<?> publishing = publisherThread.submit(() -> {
            Broadcaster publisher = Broadcaster.overLog(publisherLog);
            for (int i = warmUp + 1; i <= warmUp + p.messages(); i++) {
                BroadcastResult r = publisher.broadcast(WsRecorder.payload(PREFIX, i));
                if (r.appended() != p.clients()) {
                    throw new IllegalStateException("message " + i + " reached " + r.appended() + " sessions: " + r.failure());
                }
                published.incrementAndGet();
            }
            return null;
        });
        WsSupport.Running[] restarted = new WsSupport.Running[1];
        CompletableFuture.runAsync(() -> {
            try {
                restarted[0] = WsSupport.start(ctx, WsSupport.service(scenarios, WsSupport.redisEnv(ctx, port)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, CompletableFuture.delayedExecutor(Math.max(0, down + p.outage().toNanos() - System.nanoTime()), TimeUnit.NANOSECONDS))
                .get(p.outage().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        long up = System.nanoTime();
        int publishedWhileDown = published.get();
        publishing.get(p.resumeDeadline().toMillis(), TimeUnit.MILLISECONDS);
        Duration publishTime = WsSupport.since(down);
        int total = warmUp + p.messages();
        await().atMost(p.resumeDeadline()).pollInterval(Duration.ofMillis(100))
                .until(() -> recorders.stream().allMatch(r -> r.lastNumber.get() >= total));
        Duration caughtUp = WsSupport.since(up);

        long delivered = recorders.stream().mapToLong(r -> r.messages.get()).sum();
        long lost = recorders.stream().mapToLong(r -> r.lostMessages.get()).sum();
        long duplicates = clients.stream().mapToLong(c -> c.stats().duplicates() + c.stats().unannouncedGaps()).sum();
        ctx.figure("restart.clients", p.clients());
        ctx.figure("restart.outageSeconds", Duration.ofNanos(up - down).toMillis() / 1000.0);
        ctx.figure("restart.messagesPublished", p.messages());
        ctx.figure("restart.messagesPublishedWhileDown", publishedWhileDown);
        ctx.figure("restart.publishSeconds", publishTime.toMillis() / 1000.0);
        ctx.figure("restart.caughtUpSecondsAfterRestart", caughtUp.toMillis() / 1000.0);
        ctx.figure("restart.delivered", delivered);
        ctx.figure("restart.lost", lost);
        ctx.figure("restart.duplicates", duplicates);
        assertThat(delivered).as("CS-12 restart: every client has every message").isEqualTo((long) total * p.clients());
        assertThat(lost).as("CS-12 restart: nothing lost").isZero();
        assertThat(duplicates).as("CS-12 restart: no duplicates, no silent holes").isZero();
        for (WsRecorder r : recorders) {
            assertThat(r.outOfOrder).as("CS-12 restart: in order").hasValue(0);
            assertThat(r.welcomes).as("CS-12 restart: resumed, never resynced").contains(WelcomeMode.RESUMED)
                    .doesNotContain(WelcomeMode.RESYNC);
        }
        clients.forEach(ReconnectingClient::stop);
        restarted[0].close();
    }

    private static void drop(WebSocketScenarios scenarios, ScenarioContext ctx, Cs12Parameters p,
            ClientTransport transport) throws Exception {
        WebSocketService service = WsSupport.service(scenarios, WsSupport.env(ctx));
        WsSupport.Running running = WsSupport.start(ctx, service);
        TcpFaultProxy proxy = ctx.closeAfter(TcpFaultProxy.start(WsSupport.HOST, running.server().port()));
        URI viaProxy = URI.create("ws://" + WsSupport.HOST + ":" + proxy.port() + running.server().config().path());
        List<WsRecorder> recorders = new ArrayList<>();
        List<ReconnectingClient> clients = connect(ctx, transport, service, viaProxy, p.clients(), recorders, "cs12-drop");
        long down = System.nanoTime();
        proxy.setFault(TcpFault.refuse());
        proxy.resetOpenConnections();
        publish(running.server().broadcaster(), 1, p.messages(), p.clients());
        CompletableFuture.runAsync(proxy::clearFault,
                CompletableFuture.delayedExecutor(Math.max(0, down + p.outage().toNanos() - System.nanoTime()), TimeUnit.NANOSECONDS))
                .get(p.outage().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        long up = System.nanoTime();
        await().atMost(p.resumeDeadline()).pollInterval(Duration.ofMillis(100))
                .until(() -> recorders.stream().allMatch(r -> r.lastNumber.get() >= p.messages()));
        long delivered = recorders.stream().mapToLong(r -> r.messages.get()).sum();
        long lost = recorders.stream().mapToLong(r -> r.lostMessages.get()).sum();
        long duplicates = clients.stream().mapToLong(c -> c.stats().duplicates() + c.stats().unannouncedGaps()).sum();
        ctx.figure("drop.caughtUpSecondsAfterOutage", WsSupport.since(up).toMillis() / 1000.0);
        ctx.figure("drop.delivered", delivered);
        ctx.figure("drop.lost", lost);
        assertThat(clients).as("CS-12 drop: every connection was dropped and came back").allMatch(c -> c.stats().connects() >= 2);
        assertThat(delivered).as("CS-12 drop: every client has every message").isEqualTo((long) p.messages() * p.clients());
        assertThat(lost + duplicates).as("CS-12 drop: nothing lost, no duplicates").isZero();
        assertThat(recorders).as("CS-12 drop: in order").allMatch(r -> r.outOfOrder.get() == 0);
        clients.forEach(ReconnectingClient::stop);
        running.close();
    }

    private static void overflowAndHeap(WebSocketScenarios scenarios, ScenarioContext ctx, Cs12Parameters p,
            ClientTransport transport) throws Exception {
        WebSocketService service = WsSupport.service(scenarios, WsSupport.env(ctx));
        WsSupport.Running running = WsSupport.start(ctx, service);
        MessageLog log = running.server().config().messageLog();
        BufferLimits limits = log.limits();
        Broadcaster broadcaster = running.server().broadcaster();

        // By count: the client is away while maxMessages + extra are sent to it.
        WsRecorder byCount = new WsRecorder(PREFIX);
        ReconnectingClient countClient = connectOne(ctx, transport, service, running.uri(), byCount, "cs12-count");
        countClient.stop();
        int countTotal = limits.maxMessagesPerSession() + p.overflowExtraMessages();
        for (int i = 1; i <= countTotal; i++) {
            broadcaster.send(countClient.sessionId(), WsRecorder.payload(PREFIX, i));
        }
        countClient.start();
        await().atMost(p.resumeDeadline()).until(() -> byCount.lastNumber.get() >= countTotal);
        ctx.figure("overflow.count.published", countTotal);
        ctx.figure("overflow.count.gapMarkers", byCount.gapMarkers.get());
        ctx.figure("overflow.count.lost", byCount.lostMessages.get());
        assertThat(byCount.gaps).as("CS-12 overflow by count: one explicit gap marker for the dropped messages")
                .hasSize(1);
        assertThat(byCount.gaps.get(0)).containsExactly(1, p.overflowExtraMessages());
        assertThat(byCount.messages.get() + byCount.lostMessages.get()).as("CS-12 overflow: loss is never silent")
                .isEqualTo(countTotal);
        assertThat(byCount.outOfOrder).hasValue(0);
        countClient.stop();

        // By bytes: fewer, larger messages than the count limit, whose bytes exceed the byte limit.
        int fit = Math.max(1, Math.min(8, limits.maxMessagesPerSession() - 5));
        int padding = (int) Math.max(0, Math.min(Integer.MAX_VALUE - 64, limits.maxBytesPerSession() / fit - 24));
        String pad = " " + "x".repeat(padding);
        int bytesTotal = fit + 4;
        WsRecorder byBytes = new WsRecorder(PREFIX);
        ReconnectingClient bytesClient = connectOne(ctx, transport, service, running.uri(), byBytes, "cs12-bytes");
        bytesClient.stop();
        for (int i = 1; i <= bytesTotal; i++) {
            BroadcastResult r = broadcaster.send(bytesClient.sessionId(), WsRecorder.payload(PREFIX, i) + pad);
            assertThat(r.complete()).as("CS-12 overflow by bytes: append %d: %s", i, r.failure()).isTrue();
        }
        LogSession kept = log.find(bytesClient.sessionId());
        bytesClient.start();
        await().atMost(p.resumeDeadline()).until(() -> byBytes.lastNumber.get() >= bytesTotal);
        ctx.figure("overflow.bytes.keptMessages", kept.keptMessages());
        ctx.figure("overflow.bytes.keptBytes", kept.keptBytes());
        ctx.figure("overflow.bytes.lost", byBytes.lostMessages.get());
        assertThat(kept.keptBytes()).as("CS-12 overflow by bytes: kept bytes within the limit")
                .isLessThanOrEqualTo(limits.maxBytesPerSession());
        assertThat(kept.keptMessages()).as("CS-12 overflow by bytes: the byte limit, not the count, dropped them")
                .isLessThan(limits.maxMessagesPerSession());
        assertThat(byBytes.gapMarkers).as("CS-12 overflow by bytes: an explicit gap marker").hasValue(1);
        assertThat(byBytes.messages.get() + byBytes.lostMessages.get()).isEqualTo(bytesTotal);
        bytesClient.stop();

        // Heap: full buffers of disconnected sessions, then the same volume again.
        List<WsRecorder> recorders = new ArrayList<>();
        List<ReconnectingClient> clients = connect(ctx, transport, service, running.uri(), p.clients(), recorders, "cs12-heap");
        clients.forEach(ReconnectingClient::stop);
        int round = limits.maxMessagesPerSession() + p.overflowExtraMessages();
        publish(broadcaster, 1, round, -1);
        long heapAfterFirst = WsSupport.usedHeapAfterGc();
        publish(broadcaster, round + 1, 2 * round, -1);
        long heapAfterSecond = WsSupport.usedHeapAfterGc();
        LogUsage usage = log.usage();
        ctx.figure("heap.sessions", usage.sessions());
        ctx.figure("heap.publishedPerSession", 2 * round);
        ctx.figure("heap.keptMessagesPerSessionMax", usage.maxKeptMessagesPerSession());
        ctx.figure("heap.keptBytesPerSessionMax", usage.maxKeptBytesPerSession());
        ctx.figure("heap.usedAfterFirstRoundMiB", WsSupport.mib(heapAfterFirst));
        ctx.figure("heap.usedAfterSecondRoundMiB", WsSupport.mib(heapAfterSecond));
        assertThat(usage.maxKeptMessagesPerSession()).as("CS-12 heap: per-session buffer bounded by count")
                .isLessThanOrEqualTo(limits.maxMessagesPerSession());
        assertThat(usage.maxKeptBytesPerSession()).as("CS-12 heap: per-session buffer bounded by bytes")
                .isLessThanOrEqualTo(limits.maxBytesPerSession());
        assertThat(heapAfterSecond - heapAfterFirst).as("CS-12 heap: publishing as much again into full buffers does not grow the heap")
                .isLessThanOrEqualTo(p.maxHeapGrowthBytes());
        running.close();
    }

    private static List<ReconnectingClient> connect(ScenarioContext ctx, ClientTransport transport, WebSocketService service,
            URI uri, int n, List<WsRecorder> recorders, String name) {
        List<ReconnectingClient> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            WsRecorder r = new WsRecorder(PREFIX);
            recorders.add(r);
            clients.add(ctx.closeAfter(WsSupport.client(transport, service, uri).name(name + "-" + i).listener(r).build()));
        }
        clients.forEach(ReconnectingClient::start);
        await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(ReconnectingClient::isConnected));
        return clients;
    }

    private static ReconnectingClient connectOne(ScenarioContext ctx, ClientTransport transport, WebSocketService service,
            URI uri, WsRecorder recorder, String name) {
        ReconnectingClient c = ctx.closeAfter(WsSupport.client(transport, service, uri).name(name).listener(recorder).build());
        c.start();
        await().atMost(Duration.ofSeconds(30)).until(c::isConnected);
        return c;
    }

    /** Broadcasts numbered messages; when {@code expected} is not negative every one must reach that many sessions. */
    private static void publish(Broadcaster broadcaster, int from, int to, int expected) {
        for (int i = from; i <= to; i++) {
            BroadcastResult r = broadcaster.broadcast(WsRecorder.payload(PREFIX, i));
            if (expected >= 0) {
                assertThat(r.appended()).as("CS-12: message %d reached every session (%s)", i, r.failure()).isEqualTo(expected);
            }
        }
    }

    /** Stops a log after the scenario. */
    private static final class Stoppable implements AutoCloseable {
        final MessageLog log;

        Stoppable(MessageLog log) {
            this.log = log;
        }

        @Override
        public void close() {
            try {
                log.stop(Duration.ofSeconds(1));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("CS-12: stopping the publisher's log failed", e);
            }
        }
    }
}
