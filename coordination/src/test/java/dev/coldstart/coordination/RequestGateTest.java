package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.Component;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.Health;
import dev.coldstart.core.NonRetryableException;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CS-21 on a real Jetty server with real HTTP clients: FIFO release, bounds, deadlines, no held threads. */
class RequestGateTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    /** Records the order in which requests reach the application; answers 200 with the request's number. */
    static final class Recorder extends Handler.Abstract.NonBlocking {
        final List<Integer> order = new CopyOnWriteArrayList<>();

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Fields query = Request.extractQueryParameters(request);
            int n = Integer.parseInt(query.getValue("n"));
            order.add(n);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            response.write(true, java.nio.ByteBuffer.wrap(Integer.toString(n).getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }

    private ProbeEndpoint server(Handler handler, int maxThreads) {
        return closing(ProbeEndpoint.builder()
                .name("gate-test-http")
                .maxThreads(maxThreads)
                .portAllocator(PortAllocator.builder().bindAddress(InetAddress.getLoopbackAddress()).build())
                .handler(handler)
                .build()
                .start());
    }

    private CompletableFuture<HttpResponse<String>> send(URI base, int n) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/item?n=" + n)).timeout(CLIENT_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends requests one after the other, each once the previous one is queued, so arrival order is known. */
    private List<CompletableFuture<HttpResponse<String>>> sendQueued(URI base, RequestGate gate, int from, int count) {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            long before = gate.stats().queuedTotal();
            responses.add(send(base, i));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2))
                    .until(() -> gate.stats().queuedTotal() > before);
        }
        return responses;
    }

    @Test
    void holdsRequestsUntilReadyThenServesThemInArrivalOrder() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        RequestGate gate = closing(RequestGate.builder().name("gate-fifo").readiness(ready::get).maxQueued(64)
                .maxWait(Duration.ofSeconds(10)).build());
        Recorder app = new Recorder();
        ProbeEndpoint http = server(gate.handler(app), 8);

        List<CompletableFuture<HttpResponse<String>>> responses = sendQueued(http.uri(), gate, 0, 40);
        assertThat(app.order).as("nothing reaches the application before READY").isEmpty();
        assertThat(responses).noneMatch(CompletableFuture::isDone);

        long readyAt = System.nanoTime();
        ready.set(true);
        gate.readinessChanged();
        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<String> r = responses.get(i).get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Integer.toString(i));
        }
        long releaseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add(i);
        }
        assertThat(app.order).as("served in arrival order").containsExactlyElementsOf(expected);
        assertThat(releaseMillis).as("40 held requests answered soon after READY").isLessThan(2_000);
        RequestGate.Stats stats = gate.stats();
        assertThat(stats.queuedTotal()).isEqualTo(40);
        assertThat(stats.released()).isEqualTo(40);
        assertThat(stats.rejectedQueueFull() + stats.rejectedDeadline()).isZero();
        assertThat(stats.maxQueueLength()).isEqualTo(40);
        assertThat(gate.isOpen()).isTrue();

        HttpResponse<String> after = send(http.uri(), 99).get(5, TimeUnit.SECONDS);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(gate.stats().queuedTotal()).as("once ready and drained, requests pass without queueing").isEqualTo(40);
    }

    @Test
    void waitingRequestsHoldNoServerThreadSoProbesAnswerMeanwhile() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        RequestGate gate = closing(RequestGate.builder().name("gate-threads").readiness(ready::get).maxQueued(100)
                .build());
        Recorder app = new Recorder();
        // 6 threads in all (acceptor and selector included): 30 parked requests would need 30.
        ProbeEndpoint http = server(gate.handler(app), ProbeEndpoint.MIN_MAX_THREADS);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            responses.add(send(http.uri(), i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.queued() == 30);
        HttpResponse<String> live = client.send(HttpRequest.newBuilder(URI.create(http.uri() + "/health/live"))
                .timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).as("the probes are not gated and a thread is free for them").isEqualTo(200);

        ready.set(true);
        gate.readinessChanged();
        for (CompletableFuture<HttpResponse<String>> r : responses) {
            assertThat(r.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(app.order).hasSize(30);
    }

    @Test
    void fullQueueAnswers503WithRetryAfterAtOnce() throws Exception {
        RequestGate gate = closing(RequestGate.builder().name("gate-full").readiness(() -> false).maxQueued(4)
                .maxWait(Duration.ofSeconds(10)).retryAfter(Duration.ofMillis(1500)).build());
        ProbeEndpoint http = server(gate.handler(new Recorder()), 8);
        List<CompletableFuture<HttpResponse<String>>> held = sendQueued(http.uri(), gate, 0, 4);

        long begin = System.nanoTime();
        HttpResponse<String> refused = send(http.uri(), 4).get(5, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).as("1.5 s rounded up to whole seconds").hasValue("2");
        assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(refused.body()).contains("\"reason\":\"queue_full\"").contains("4 requests already wait");
        assertThat(millis).as("refused at once, not after the deadline").isLessThan(1_000);
        assertThat(held).noneMatch(CompletableFuture::isDone);
        assertThat(gate.stats().rejectedQueueFull()).isEqualTo(1);
        assertThat(gate.queued()).isEqualTo(4);
    }

    @Test
    void requestPastItsDeadlineGets503NeverHangs() throws Exception {
        RequestGate gate = closing(RequestGate.builder().name("gate-deadline").readiness(() -> false).maxQueued(10)
                .maxWait(Duration.ofMillis(300)).build());
        ProbeEndpoint http = server(gate.handler(new Recorder()), 8);
        long begin = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            responses.add(send(http.uri(), i));
        }
        for (CompletableFuture<HttpResponse<String>> f : responses) {
            HttpResponse<String> r = f.get(5, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(r.body()).contains("\"reason\":\"deadline\"").contains("within 300 ms");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertThat(millis).as("answered at the 300 ms deadline").isBetween(290L, 2_500L);
        RequestGate.Stats stats = gate.stats();
        assertThat(stats.rejectedDeadline()).isEqualTo(5);
        assertThat(stats.longestWait()).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        assertThat(gate.queued()).isZero();
    }

    @Test
    void releasesHeldRequestsWhenTheOrchestratorTurnsReady() throws Exception {
        CountDownLatch backendUp = new CountDownLatch(1);
        Component backend = Component.builder("backend")
                .probe(() -> backendUp.getCount() == 0 ? Health.up() : Health.down("backend warming up"))
                .build();
        StartupOrchestrator orchestrator = closing(StartupOrchestrator.builder().serviceName("gate-orchestrated")
                .component(backend, StartPolicy.of(Duration.ofSeconds(20), RetryPolicy.builder()
                        .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(20))
                        .circuitBreakerFailureThreshold(0).build()))
                .build());
        // A long poll interval: the release comes from the orchestrator's event, not from polling.
        RequestGate gate = closing(RequestGate.builder().name("gate-events").readiness(orchestrator::isReady)
                .readinessPollInterval(Duration.ofSeconds(1)).build().releaseOn(orchestrator));
        Recorder app = new Recorder();
        ProbeEndpoint http = server(gate.handler(app), 8);
        orchestrator.startAsync();
        List<CompletableFuture<HttpResponse<String>>> responses = sendQueued(http.uri(), gate, 0, 5);

        long releasedAt = System.nanoTime();
        backendUp.countDown();
        for (CompletableFuture<HttpResponse<String>> r : responses) {
            assertThat(r.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releasedAt)).isLessThan(900);
        assertThat(app.order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void startupFailureRefusesHeldAndLaterRequestsAtOnce() throws Exception {
        CountDownLatch fail = new CountDownLatch(1);
        Component backend = Component.builder("backend")
                .probe(() -> {
                    if (fail.getCount() == 0) {
                        throw new NonRetryableException("backend schema is newer than this build");
                    }
                    return Health.down("backend warming up");
                })
                .build();
        StartupOrchestrator orchestrator = closing(StartupOrchestrator.builder().serviceName("gate-failing")
                .component(backend, StartPolicy.of(Duration.ofSeconds(20), RetryPolicy.builder()
                        .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(20))
                        .circuitBreakerFailureThreshold(0).build()))
                .build());
        RequestGate gate = closing(RequestGate.builder().name("gate-stop").readiness(orchestrator::isReady)
                .maxWait(Duration.ofSeconds(10)).build().releaseOn(orchestrator));
        ProbeEndpoint http = server(gate.handler(new Recorder()), 8);
        CompletableFuture<?> start = orchestrator.startAsync();
        List<CompletableFuture<HttpResponse<String>>> responses = sendQueued(http.uri(), gate, 0, 3);

        long failedAt = System.nanoTime();
        fail.countDown();
        for (CompletableFuture<HttpResponse<String>> r : responses) {
            HttpResponse<String> answer = r.get(5, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).contains("\"reason\":\"stopped\"").contains("failed to start");
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failedAt)).as("not after the 10 s deadline")
                .isLessThan(3_000);
        // The gate hears of the failure from a listener, which may run before the start's future completes.
        assertThat(start).failsWithin(Duration.ofSeconds(5));
        HttpResponse<String> later = send(http.uri(), 9).get(5, TimeUnit.SECONDS);
        assertThat(later.statusCode()).isEqualTo(503);
        assertThat(later.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void onceReadyItPassesRequestsEvenWhileReadinessIsDownOrTheServiceDrains() throws Exception {
        Component backend = Component.builder("backend").probe(() -> Health.up()).build();
        StartupOrchestrator orchestrator = closing(StartupOrchestrator.builder().serviceName("gate-drain")
                .component(backend).build());
        AtomicBoolean readiness = new AtomicBoolean();
        RequestGate gate = closing(RequestGate.builder().name("gate-after-ready")
                .readiness(() -> readiness.get() && orchestrator.isReady()).build().releaseOn(orchestrator));
        Recorder app = new Recorder();
        ProbeEndpoint http = server(gate.handler(app), 8);
        orchestrator.start();
        readiness.set(true);
        assertThat(send(http.uri(), 1).get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        readiness.set(false);
        assertThat(send(http.uri(), 2).get(5, TimeUnit.SECONDS).statusCode())
                .as("a readiness drop after READY does not hold requests").isEqualTo(200);
        orchestrator.stop();
        assertThat(send(http.uri(), 3).get(5, TimeUnit.SECONDS).statusCode())
                .as("requests arriving while the service drains are passed on").isEqualTo(200);
        assertThat(app.order).containsExactly(1, 2, 3);
        assertThat(gate.stats().queuedTotal()).isZero();
    }

    @Test
    void blockingApplicationHandlerGetsEveryReleasedRequest() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        RequestGate gate = closing(RequestGate.builder().name("gate-blocking").readiness(ready::get).build());
        List<Integer> order = new CopyOnWriteArrayList<>();
        Handler blocking = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                order.add(Integer.parseInt(Request.extractQueryParameters(request).getValue("n")));
                response.setStatus(204);
                response.write(true, null, callback);
                return true;
            }
        };
        ProbeEndpoint http = server(gate.handler(blocking), 16);
        List<CompletableFuture<HttpResponse<String>>> responses = sendQueued(http.uri(), gate, 0, 10);
        ready.set(true);
        for (CompletableFuture<HttpResponse<String>> r : responses) {
            assertThat(r.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        }
        assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(gate.stats().released()).as("released by the readiness poll, without an event").isEqualTo(10);
    }

    @Test
    void closedGateRefusesWaitingRequests() throws Exception {
        RequestGate gate = RequestGate.builder().name("gate-closed").readiness(() -> false).build();
        ProbeEndpoint http = server(gate.handler(new Recorder()), 8);
        List<CompletableFuture<HttpResponse<String>>> responses = sendQueued(http.uri(), gate, 0, 2);
        gate.close();
        for (CompletableFuture<HttpResponse<String>> r : responses) {
            assertThat(r.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        }
        assertThat(gate.stats().rejectedStopped()).isEqualTo(2);
    }

    @Test
    void rejectsInvalidConfigurationNamingTheField() {
        assertThatThrownBy(() -> RequestGate.builder().maxQueued(0))
                .isInstanceOf(ConfigurationException.class).hasMessage("maxQueued must be greater than 0, but was 0");
        assertThatThrownBy(() -> RequestGate.builder().maxWait(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class).hasMessage("maxWait must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> RequestGate.builder().readinessPollInterval(Duration.ofSeconds(2)))
                .isInstanceOf(ConfigurationException.class).hasMessage("readinessPollInterval must be at most 1 s, but was PT2S");
        assertThatThrownBy(() -> RequestGate.builder().build())
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("readiness must be set, but was null");
    }
}
