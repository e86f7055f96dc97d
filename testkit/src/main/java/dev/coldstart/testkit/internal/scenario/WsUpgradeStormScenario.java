package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.testkit.Cs11Parameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.WebSocketScenarios;
import dev.coldstart.testkit.WebSocketService;
import dev.coldstart.websocket.AdmissionConfig;
import dev.coldstart.websocket.ClientStats;
import dev.coldstart.websocket.ClientTransport;
import dev.coldstart.websocket.ReconnectingClient;
import dev.coldstart.websocket.WebSocketServerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CS-11: as soon as the server's port is open, N clients make their first upgrade attempt spread
 * over the arrival window, each a {@link ReconnectingClient} with the library's reconnect policy on
 * one shared transport. The server's own counters give the admission figures; the clients' give
 * resets, timeouts and the 503s with Retry-After they received.
 */
public final class WsUpgradeStormScenario {
    private WsUpgradeStormScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(WebSocketScenarios scenarios, ScenarioContext ctx, Cs11Parameters p) throws Exception {
        WebSocketService service = WsSupport.service(scenarios, WsSupport.env(ctx));
        AdmissionConfig admission = service.server().config().admission();
        ClientTransport transport = WsSupport.transport(ctx, "cs11-clients", 16);
        ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor();
        ctx.closeAfter(arrivals::shutdownNow);

        WsSupport.Running running = WsSupport.start(ctx, service);
        long portOpen = System.nanoTime();
        List<ReconnectingClient> clients = new ArrayList<>(p.clients());
        for (int i = 0; i < p.clients(); i++) {
            clients.add(WsSupport.client(transport, service, running.uri()).name("cs11-" + i)
                    .policy(p.reconnectPolicy()).build());
        }
        long windowNanos = p.arrivalWindow().toNanos();
        for (int i = 0; i < clients.size(); i++) {
            long at = windowNanos * i / clients.size() - (System.nanoTime() - portOpen);
            arrivals.schedule(clients.get(i)::start, Math.max(0, at), TimeUnit.NANOSECONDS);
        }
        await().atMost(p.connectDeadline().plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> clients.stream().allMatch(ReconnectingClient::isConnected)
                        || WsSupport.since(portOpen).compareTo(p.connectDeadline()) > 0);
        Duration allConnected = WsSupport.since(portOpen);
        long connected = clients.stream().filter(ReconnectingClient::isConnected).count();

        WebSocketServerStats server = running.server().stats();
        long attempts = 0;
        long rejected = 0;
        long hints = 0;
        long rejectedOther = 0;
        long resets = 0;
        long timeouts = 0;
        long refused = 0;
        long otherFailures = 0;
        for (ReconnectingClient c : clients) {
            ClientStats s = c.stats();
            attempts += s.attempts();
            rejected += s.rejectedWithRetryAfter();
            hints += s.retryAfterHints();
            rejectedOther += s.rejectedOther();
            resets += s.resets();
            timeouts += s.timeouts();
            refused += s.refused();
            otherFailures += s.otherFailures();
        }
        double admittedRate = server.upgradesAdmitted() / Math.max(0.001, allConnected.toNanos() / 1e9);
        ctx.figure("clients", p.clients());
        ctx.figure("connected", connected);
        ctx.figure("allConnectedSeconds", allConnected.toMillis() / 1000.0);
        ctx.figure("configuredPermitsPerSecond", admission.permitsPerSecond());
        ctx.figure("burstPermits", admission.burstPermits());
        ctx.figure("maxAdmittedInOneSecond", server.maxAdmittedInOneSecond());
        ctx.figure("meanAdmittedPerSecond", admittedRate);
        ctx.figure("maxHandshakesInFlight", admission.maxHandshakesInFlight());
        ctx.figure("peakHandshakesInFlight", server.peakHandshakesInFlight());
        ctx.figure("answered503", server.rejectedByRate() + server.rejectedInFlight());
        ctx.figure("upgradesAdmitted", server.upgradesAdmitted());
        ctx.figure("heartbeatCloses", server.heartbeatCloses());
        ctx.figure("attempts", attempts);
        ctx.figure("resets", resets);
        ctx.figure("timeouts", timeouts);
        ctx.figure("peakBusyServerThreads", server.peakBusyThreads());
        ctx.figure("maxServerThreads", server.maxThreads());
        ctx.figure("peakJobsWaitingForAThread", server.peakQueuedJobs());
        ctx.figure("lowOnThreadsSamples", server.lowOnThreadsSamples() + "/" + server.threadSamples());
        ctx.figure("peakThreadWaitMillis", server.peakThreadWaitMillis());

        assertThat(connected).as("CS-11: every client is connected within %s", p.connectDeadline()).isEqualTo(p.clients());
        assertThat(allConnected).as("CS-11: ... and it took").isLessThanOrEqualTo(p.connectDeadline());
        assertThat(server.upgradesAdmitted()).as("CS-11: every client was admitted").isGreaterThanOrEqualTo(p.clients());
        assertThat(server.peakHandshakesInFlight()).as("CS-11: handshakes in flight never exceed the limit")
                .isLessThanOrEqualTo(admission.maxHandshakesInFlight());
        assertThat(server.maxAdmittedInOneSecond()).as("CS-11: upgrades admitted at the configured rate (any 1 s window)")
                .isLessThanOrEqualTo((int) Math.ceil(admission.permitsPerSecond()) + admission.burstPermits());
        if (p.clients() > admission.burstPermits() + admission.permitsPerSecond() * p.arrivalWindow().toNanos() / 1e9) {
            assertThat(server.rejectedByRate() + server.rejectedInFlight()).as("CS-11: the excess is answered 503").isPositive();
        }
        assertThat(rejected).as("CS-11: every rejection the clients saw was a 503 counted by the server")
                .isEqualTo(server.rejectedByRate() + server.rejectedInFlight());
        assertThat(hints).as("CS-11: every 503 carried Retry-After").isEqualTo(rejected);
        assertThat(rejectedOther).as("CS-11: no other status than 101 and 503").isZero();
        assertThat(resets).as("CS-11: no connection reset").isZero();
        assertThat(timeouts).as("CS-11: no timeout").isZero();
        assertThat(refused + otherFailures).as("CS-11: no refused connect and no other failure").isZero();
        assertThat(server.peakThreadWaitMillis()).as("CS-11: no thread exhaustion: a job never waited more than %s for a "
                + "server thread", p.maxThreadWait()).isLessThanOrEqualTo(p.maxThreadWait().toMillis());
        transport.close();
    }
}
