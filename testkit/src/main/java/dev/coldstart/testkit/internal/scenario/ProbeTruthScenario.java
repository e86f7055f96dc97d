package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.AttemptRecord;
import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.CoordinatedService;
import dev.coldstart.testkit.CoordinationScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.fault.FaultSchedule;
import dev.coldstart.testkit.fault.TcpFault;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.opentest4j.AssertionFailedError;

/**
 * CS-07 health_check_false_positives_during_init: see {@code CoordinationScenarios}.
 *
 * <p>The user's service starts against a database behind a fault proxy that slows every connect and
 * resets the first ones, so a component whose start succeeds (a pool that connects lazily) fails its
 * real probe at first. One client polls {@code /health/ready} every 5 ms from the moment the port
 * is bound, two others {@code /health/live} and {@code /health/started}; at the first {@code 200}
 * the ready poller runs the service's real dependency calls at once, before it polls again.
 */
public final class ProbeTruthScenario {
    private final ScenarioContext ctx;
    private final CoordinatedServiceFactory factory;
    private final CoordinationScenarioParameters p;

    /**
     * Prepares the scenario.
     *
     * @param ctx the scenario's context
     * @param factory the user's service
     * @param parameters the figures
     */
    public ProbeTruthScenario(ScenarioContext ctx, CoordinatedServiceFactory factory,
            CoordinationScenarioParameters parameters) {
        this.ctx = ctx;
        this.factory = factory;
        this.p = parameters;
    }

    /** The outcome of one dependency call made at the first 200. */
    private record CallResult(String name, Throwable failure, long startedAfterFirstOkMicros, long tookMillis) {
    }

    /**
     * Runs the scenario and asserts every pass criterion.
     *
     * @throws Exception on failure
     */
    public void run() throws Exception {
        TcpFaultProxy dbProxy = CoordinationSupport.databaseProxy(ctx);
        ServiceRegistry registry = ctx.closeAfter(ServiceRegistry.inMemory());
        String name = "cs07-" + ScenarioSupport.tag();
        CoordinatedService service = CoordinationSupport.create(ctx, factory, CoordinationSupport.environment(ctx, p,
                name, ctx.database().jdbcUrl(dbProxy.host(), dbProxy.port()), ctx.redis().uri(), registry, name).build());
        Map<String, Callable<?>> calls = service.dependencyCalls();
        if (calls == null || calls.isEmpty()) {
            throw new AssertionFailedError(ctx.id() + " makes a real call through each dependency at the first 200 of "
                    + "/health/ready: return them from CoordinatedService.dependencyCalls() (for example a query "
                    + "through your pool and a request to your API that reads the database)");
        }

        URI base = service.startHttp();
        List<HttpCheck.Answer> ready = new CopyOnWriteArrayList<>();
        List<HttpCheck.Answer> live = new CopyOnWriteArrayList<>();
        List<HttpCheck.Answer> started = new CopyOnWriteArrayList<>();
        List<CallResult> callResults = new CopyOnWriteArrayList<>();
        AtomicReference<HttpCheck.Answer> firstOk = new AtomicReference<>();
        long deadline = System.nanoTime() + p.startDeadline().toNanos();
        Poll readyPoll = new Poll(base.resolve("/health/ready"), p.cs07ReadyPollInterval(), ready, deadline, a -> {
            if (a.ok() && firstOk.compareAndSet(null, a)) {
                callResults.addAll(callAll(calls, a.receivedAt()));
            }
        });
        Poll livePoll = new Poll(base.resolve("/health/live"), p.cs07SignalPollInterval(), live, deadline, a -> { });
        Poll startedPoll = new Poll(base.resolve("/health/started"), p.cs07SignalPollInterval(), started, deadline, a -> { });
        List<CompletableFuture<Void>> polls = List.of(readyPoll.start(), livePoll.start(), startedPoll.start());
        StartupReport report;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ready.size() >= 3 && started.size() >= 3);
            dbProxy.schedule(FaultSchedule.builder()
                    .faultForConnections(TcpFault.reset(), p.cs07FailedDatabaseConnections())
                    .then(TcpFault.latency(p.cs07DatabaseConnectLatency(), Duration.ZERO)));
            report = CoordinationSupport.startAndAwait(ctx, service, p.startDeadline());
            await().atMost(p.startDeadline()).until(() -> firstOk.get() != null && !callResults.isEmpty());
            // Keep watching after the first 200: started must stay 200, live too.
            Instant firstOkAt = firstOk.get().receivedAt();
            await().atMost(Duration.ofSeconds(10)).until(() -> after(started, firstOkAt) >= 10 && after(live, firstOkAt) >= 10);
        } finally {
            readyPoll.stop();
            livePoll.stop();
            startedPoll.stop();
        }
        for (CompletableFuture<Void> f : polls) {
            ScenarioSupport.await(f, Duration.ofSeconds(10), ctx.id() + " poller");
        }

        Instant allRequiredReady = Instant.MIN;
        List<ComponentReport> required = new ArrayList<>();
        for (ComponentReport c : report.components()) {
            if (c.required()) {
                required.add(c);
                assertThat(c.readyAt()).as("%s's probe never passed", c.name()).isNotNull();
                allRequiredReady = c.readyAt().isAfter(allRequiredReady) ? c.readyAt() : allRequiredReady;
            }
        }
        HttpCheck.Answer first = firstOk.get();
        List<HttpCheck.Answer> early = new ArrayList<>();
        int notReady = 0;
        int otherBeforeFirstOk = 0;
        for (HttpCheck.Answer a : ready) {
            if (a.ok() && a.receivedAt().isBefore(allRequiredReady)) {
                early.add(a);
            }
            if (a.receivedAt().isBefore(first.receivedAt())) {
                if (a.status() == 503) {
                    notReady++;
                } else {
                    otherBeforeFirstOk++;
                }
            }
        }
        // A component whose start() returned but whose probe failed: the orchestrator reports "probe failed".
        Map<String, AttemptRecord> startedButUnhealthy = new LinkedHashMap<>();
        for (ComponentReport c : required) {
            for (AttemptRecord at : c.attemptHistory()) {
                if (at.error() != null && at.error().startsWith("probe failed") && !startedButUnhealthy.containsKey(c.name())) {
                    startedButUnhealthy.put(c.name(), at);
                }
            }
        }
        int notReadyWhileProbeFailed = 0;
        int okWhileProbeFailed = 0;
        for (Map.Entry<String, AttemptRecord> e : startedButUnhealthy.entrySet()) {
            Instant from = e.getValue().endedAt();
            Instant to = report.component(e.getKey()).readyAt();
            for (HttpCheck.Answer a : ready) {
                if (!a.sentAt().isBefore(from) && a.receivedAt().isBefore(to)) {
                    if (a.ok()) {
                        okWhileProbeFailed++;
                    } else {
                        notReadyWhileProbeFailed++;
                    }
                }
            }
        }
        long liveFailures = live.stream().filter(a -> !a.ok()).count();
        int startedFlips = 0;
        for (int i = 1; i < started.size(); i++) {
            if (started.get(i).status() != started.get(i - 1).status()) {
                startedFlips++;
            }
        }
        HttpCheck.Answer firstStarted = started.stream().filter(HttpCheck.Answer::ok).findFirst().orElse(null);
        Map<String, Object> firstOkBody = MiniJson.object(first.body());

        ctx.figure("readyPolls", ready.size());
        ctx.figure("notReadyBeforeFirst200", notReady);
        ctx.figure("early200s", early.size());
        ctx.figure("first200AfterLastRequiredProbeMillis", Duration.between(allRequiredReady, first.receivedAt()).toMillis());
        ctx.figure("probeFailedWhileStarted", startedButUnhealthy.keySet());
        ctx.figure("notReadyWhileProbeFailed", notReadyWhileProbeFailed);
        ctx.figure("livePolls", live.size());
        ctx.figure("liveFailures", liveFailures);
        ctx.figure("startedFlips", startedFlips);
        ctx.figure("timeToReadyMillis", report.timeToReady().toMillis());
        for (CallResult r : callResults) {
            ctx.figure("call[" + r.name() + "]", (r.failure() == null ? "ok" : "FAILED") + " in " + r.tookMillis()
                    + " ms, started " + r.startedAfterFirstOkMicros() + " us after the first 200");
        }

        assertThat(early).as("/health/ready answers 200 received before every required component's probe passed "
                + "(at %s)", allRequiredReady).isEmpty();
        assertThat(otherBeforeFirstOk).as("/health/ready answers other than 503 before the first 200").isZero();
        assertThat(notReady).as("503s seen before the first 200").isGreaterThanOrEqualTo(3);
        assertThat(firstOkBody).as("body of the first 200").containsEntry("ready", true).containsEntry("status", "UP");
        for (ComponentReport c : required) {
            assertThat(CoordinationSupport.componentOf(firstOkBody, c.name())).as("%s in the first 200's body", c.name())
                    .containsEntry("healthy", true);
        }
        assertThat(startedButUnhealthy).as("a required component whose start() succeeded but whose probe failed while "
                + "the first %d database connection(s) were reset: CS-07 needs one (a pool that connects lazily, "
                + "such as DataSourceComponent)", p.cs07FailedDatabaseConnections()).isNotEmpty();
        assertThat(okWhileProbeFailed).as("200s while a started component's probe failed").isZero();
        assertThat(notReadyWhileProbeFailed).as("503s seen while a started component's probe failed").isPositive();
        assertThat(live).as("/health/live polls").isNotEmpty();
        assertThat(liveFailures).as("/health/live answers other than 200 during the start").isZero();
        assertThat(started.get(0).status()).as("/health/started before the start").isEqualTo(503);
        assertThat(started.get(started.size() - 1).status()).as("/health/started after READY").isEqualTo(200);
        assertThat(startedFlips).as("changes of /health/started").isEqualTo(1);
        assertThat(firstStarted.receivedAt()).as("first 200 of /health/started")
                .isAfterOrEqualTo(allRequiredReady);
        assertThat(callResults).as("dependency calls made at the first 200").hasSize(calls.size());
        for (CallResult r : callResults) {
            assertThat(r.failure()).as("dependency call '%s' at the first 200", r.name()).isNull();
        }
    }

    private static long after(List<HttpCheck.Answer> answers, Instant at) {
        return answers.stream().filter(a -> a.sentAt().isAfter(at)).count();
    }

    private static List<CallResult> callAll(Map<String, Callable<?>> calls, Instant firstOkAt) {
        List<CallResult> out = new ArrayList<>();
        for (Map.Entry<String, Callable<?>> e : calls.entrySet()) {
            Instant begin = Instant.now();
            long t0 = System.nanoTime();
            Throwable failure = null;
            try {
                e.getValue().call();
            } catch (Exception ex) {
                failure = ex;
            }
            out.add(new CallResult(e.getKey(), failure, Duration.between(firstOkAt, begin).toNanos() / 1000,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        }
        return out;
    }

    /** A client polling one URI at a fixed rate on its own thread until stopped or its deadline. */
    private static final class Poll {
        private final URI uri;
        private final long intervalNanos;
        private final List<HttpCheck.Answer> answers;
        private final long deadlineNanos;
        private final java.util.function.Consumer<HttpCheck.Answer> onAnswer;
        private volatile boolean stopped;

        Poll(URI uri, Duration interval, List<HttpCheck.Answer> answers, long deadlineNanos,
                java.util.function.Consumer<HttpCheck.Answer> onAnswer) {
            this.uri = uri;
            this.intervalNanos = interval.toNanos();
            this.answers = answers;
            this.deadlineNanos = deadlineNanos;
            this.onAnswer = onAnswer;
        }

        CompletableFuture<Void> start() {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    HttpCheck http = new HttpCheck();
                    while (!stopped && System.nanoTime() < deadlineNanos) {
                        long next = System.nanoTime() + intervalNanos;
                        HttpCheck.Answer a = http.get(uri);
                        answers.add(a);
                        onAnswer.accept(a);
                        LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                    }
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }, "coldstart-cs07-poll" + uri.getPath().replace('/', '-'));
            t.setDaemon(true);
            t.start();
            return done;
        }

        void stop() {
            stopped = true;
        }
    }
}
