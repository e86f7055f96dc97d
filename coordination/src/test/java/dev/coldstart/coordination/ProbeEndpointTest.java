package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.Component;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.Health;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CS-07 and CS-10 through the real HTTP endpoint. */
class ProbeEndpointTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Fast retries and no circuit breaker, so a probe that starts passing is seen within ~20 ms. */
    private static final StartPolicy FAST = StartPolicy.of(Duration.ofSeconds(20), RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20))
            .circuitBreakerFailureThreshold(100_000).build());

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

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

    private ProbeEndpoint.Builder endpoint() {
        return ProbeEndpoint.builder().portAllocator(PortAllocator.builder().bindAddress(LOOPBACK).build());
    }

    @Test
    void readinessIsNeverUpBeforeTheSlowProbePassesWhileLivenessStaysUpAndStartedFlipsOnce() throws Exception {
        SlowProbeComponent db = new SlowProbeComponent("db", true);
        Component api = Component.builder("api").dependsOn("db").build();
        StartupOrchestrator orchestrator = closing(StartupOrchestrator.builder().serviceName("cs07")
                .defaultStartPolicy(FAST).probeInterval(Duration.ofMillis(50))
                .component(db).component(api).build());
        ProbeEndpoint http = closing(endpoint().availability(orchestrator::availability).build().start());
        Http client = new Http(http.uri());

        ProbePoller ready = closing(new ProbePoller(client, "/health/ready"));
        ProbePoller live = closing(new ProbePoller(client, "/health/live"));
        ProbePoller started = closing(new ProbePoller(client, "/health/started"));
        CompletableFuture<?> starting = orchestrator.startAsync();

        // The component says it started, but its probe fails: readiness must stay down meanwhile.
        await().atMost(Duration.ofSeconds(10)).until(() -> ready.count(503) >= 40 && live.count(200) >= 40);
        assertThat(starting).isNotDone();
        db.release();
        starting.get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> ready.count(200) >= 10 && started.count(200) >= 10);
        ready.close();
        live.close();
        started.close();

        long passed = db.firstPassNanos();
        assertThat(passed).isPositive();
        List<ProbePoller.Sample> readySamples = ready.samples();
        ProbePoller.Sample first200 = readySamples.stream().filter(s -> s.status() == 200).findFirst().orElseThrow();
        assertThat(first200.receivedNanos()).as("first 200 comes after the probe passed").isGreaterThan(passed);
        assertThat(readySamples).filteredOn(s -> s.receivedNanos() < passed)
                .as("answers before the probe passed").isNotEmpty()
                .allSatisfy(s -> assertThat(s.status()).isEqualTo(503));
        assertThat(readySamples).allSatisfy(s -> assertThat(s.status()).as(s.toString()).isIn(200, 503));
        // A real call through the dependency at (just after) the first 200 succeeds.
        assertThat(db.probe().isUp()).isTrue();

        assertThat(live.samples()).hasSizeGreaterThan(50)
                .allSatisfy(s -> assertThat(s.status()).as(s.toString()).isEqualTo(200));

        List<ProbePoller.Sample> startedSamples = started.samples();
        int flips = 0;
        for (int i = 1; i < startedSamples.size(); i++) {
            if (startedSamples.get(i).status() != startedSamples.get(i - 1).status()) {
                flips++;
            }
        }
        assertThat(startedSamples.get(0).status()).isEqualTo(503);
        assertThat(startedSamples.get(startedSamples.size() - 1).status()).isEqualTo(200);
        assertThat(flips).as("started flips exactly once").isEqualTo(1);
        assertThat(startedSamples).filteredOn(s -> s.status() == 200)
                .allSatisfy(s -> assertThat(s.receivedNanos()).isGreaterThan(passed));
    }

    @Test
    void answersAsNotStartedUntilAnAvailabilitySourceIsSet() throws Exception {
        ProbeEndpoint http = closing(endpoint().build().start());
        Http client = new Http(http.uri());
        assertThat(client.status("/health/live")).isEqualTo(200);
        assertThat(client.status("/health/ready")).isEqualTo(503);
        assertThat(client.status("/health/started")).isEqualTo(503);
        assertThat(client.get("/health/ready").body()).contains("\"state\":\"NEW\"", "\"ready\":false");

        StartupOrchestrator orchestrator = closing(StartupOrchestrator.builder()
                .component(Component.builder("config").build()).build());
        http.availability(orchestrator::availability);
        orchestrator.start();
        assertThat(client.status("/health/ready")).isEqualTo(200);
        assertThat(client.status("/health/started")).isEqualTo(200);
    }

    @Test
    void bodyIsJsonWithNoStoreAndListsTheDegradedComponentWithItsLastError() throws Exception {
        AtomicBoolean recommendationsUp = new AtomicBoolean(false);
        Component db = Component.builder("db").build();
        Component recommendations = Component.builder("recommendations").optional()
                .probe(() -> {
                    if (!recommendationsUp.get()) {
                        throw new java.net.ConnectException("Connection refused: recommendations at 127.0.0.1:9");
                    }
                    return Health.up();
                })
                .build();
        StartupOrchestrator orchestrator = closing(StartupOrchestrator.builder().serviceName("cs10")
                .probeInterval(Duration.ofMillis(50))
                .component(db)
                .component(recommendations, StartPolicy.of(Duration.ofMillis(300), FAST.retryPolicy()))
                .build());
        ProbeEndpoint http = closing(endpoint().availability(orchestrator::availability).build().start());
        Http client = new Http(http.uri());
        orchestrator.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> orchestrator.availability().isDegraded());

        HttpResponse<String> ready = client.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(ready.headers().firstValue("Server")).isEmpty();
        assertThat(ready.body()).startsWith("{").endsWith("}")
                .contains("\"status\":\"UP\"", "\"degraded\":[\"recommendations\"]",
                        "\"required\":false,\"healthy\":false,\"error\":\"ConnectException: ",
                        "Connection refused: recommendations at 127.0.0.1:9")
                .doesNotContain("\tat ", "at dev.coldstart", "at java.");
        assertThat(ready.headers().firstValueAsLong("Content-Length"))
                .hasValue(ready.body().getBytes(StandardCharsets.UTF_8).length);

        recommendationsUp.set(true);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.get("/health/ready").body())
                .contains("\"degraded\":[]", "\"recommendations\":{\"state\":\"RUNNING\""));
    }

    @Test
    void aRequiredComponentThatFailsKeepsEveryProbeDown() throws Exception {
        Component db = Component.builder("db").probe(() -> Health.down("connection refused")).build();
        StartupOrchestrator orchestrator = closing(StartupOrchestrator.builder()
                .component(db, StartPolicy.of(Duration.ofMillis(200), FAST.retryPolicy())).build());
        ProbeEndpoint http = closing(endpoint().availability(orchestrator::availability).build().start());
        Http client = new Http(http.uri());
        assertThatThrownBy(orchestrator::start).isInstanceOf(StartupFailedException.class);
        assertThat(client.status("/health/ready")).isEqualTo(503);
        assertThat(client.status("/health/started")).isEqualTo(503);
        // A failed start is not live: the process should be restarted.
        assertThat(client.status("/health/live")).isEqualTo(503);
        assertThat(client.get("/health/live").body()).contains("\"state\":\"FAILED\"", "connection refused");
    }

    @Test
    void servesApplicationHandlersOnTheSamePortAndAnswers404And405() throws Exception {
        Handler hello = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!"/api/hello".equals(Request.getPathInContext(request))) {
                    return false;
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.write(true, StandardCharsets.UTF_8.encode("hello"), callback);
                return true;
            }
        };
        ProbeEndpoint http = closing(endpoint().handler(hello).build().start());
        Http client = new Http(http.uri());

        HttpResponse<String> api = client.get("/api/hello");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).isEqualTo("hello");
        assertThat(client.status("/nothing/here")).isEqualTo(404);

        HttpResponse<String> post = client.send("POST", "/health/ready");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

        HttpResponse<String> head = client.send("HEAD", "/health/live");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void stopLetsARequestInFlightFinishBeforeReleasingThePort() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Handler slow = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                inHandler.countDown();
                assertThat(finish.await(10, TimeUnit.SECONDS)).isTrue();
                response.write(true, StandardCharsets.UTF_8.encode("done"), callback);
                return true;
            }
        };
        ProbeEndpoint http = endpoint().handler(slow).stopTimeout(Duration.ofSeconds(5)).build().start();
        Http client = new Http(http.uri());
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return client.get("/slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(http::stop);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !stopping.isDone());
        finish.countDown();
        HttpResponse<String> response = inFlight.get(5, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("done");
        stopping.get(5, TimeUnit.SECONDS);
        assertThat(http.isRunning()).isFalse();
    }

    @Test
    void aFailingAvailabilitySourceAnswers503WithoutDetails() throws Exception {
        ProbeEndpoint http = closing(endpoint().availability(() -> {
            throw new IllegalStateException("secret=hunter2");
        }).build().start());
        Http client = new Http(http.uri());
        HttpResponse<String> live = client.get("/health/live");
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body()).isEqualTo("{\"status\":\"DOWN\",\"error\":\"availability could not be read\"}")
                .doesNotContain("hunter2");
    }

    @Test
    void bindsThroughItsPortAllocatorAndReportsTheFallbackPort() throws Exception {
        PortAllocator loopback = PortAllocator.builder().bindAddress(LOOPBACK).build();
        try (BoundPort squatter = loopback.bind(0)) {
            ProbeEndpoint failing = endpoint().port(squatter.port()).build();
            assertThatThrownBy(failing::start).isInstanceOfSatisfying(PortBindException.class,
                    e -> assertThat(e.port()).isEqualTo(squatter.port()));
            assertThat(failing.isRunning()).isFalse();

            ProbeEndpoint fallback = closing(endpoint().port(squatter.port())
                    .portAllocator(loopback.toBuilder().policy(PortPolicy.EPHEMERAL_FALLBACK).build())
                    .build().start());
            assertThat(fallback.port()).isNotEqualTo(squatter.port());
            assertThat(fallback.boundPort().isFallback()).isTrue();
            assertThat(new Http(fallback.uri()).status("/health/live")).isEqualTo(200);
        }
    }

    @Test
    void servesOnAHandedOverBoundPortAndReleasesItOnStop() throws Exception {
        BoundPort bound = PortAllocator.builder().bindAddress(LOOPBACK).build().bind(0);
        int port = bound.port();
        ProbeEndpoint http = endpoint().boundPort(bound).maxThreads(ProbeEndpoint.MIN_MAX_THREADS).build().start();
        assertThat(http.port()).isEqualTo(port);
        assertThat(http.uri().toString()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(new Http(http.uri()).status("/health/live")).isEqualTo(200);
        assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> assertThat(t.getName()).startsWith("coldstart-http"));

        http.stop();
        http.stop();
        assertThat(http.isRunning()).isFalse();
        assertThat(bound.isOpen()).isFalse();
        assertThatThrownBy(http::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("http - the endpoint was stopped");
        try (BoundPort again = PortAllocator.builder().bindAddress(LOOPBACK).build().bind(port)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void rejectsInvalidConfigurationNamingFieldAndValue() {
        assertThatThrownBy(() -> ProbeEndpoint.builder().maxThreads(2)).isInstanceOf(ConfigurationException.class)
                .hasMessage("maxThreads must be at least 6 (one acceptor, one selector, the rest for requests), but was 2");
        assertThatThrownBy(() -> ProbeEndpoint.builder().basePath("/health/")).isInstanceOf(ConfigurationException.class)
                .hasMessage("basePath must start with '/' and not end with '/', but was \"/health/\"");
        assertThatThrownBy(() -> ProbeEndpoint.builder().port(70_000)).isInstanceOf(ConfigurationException.class)
                .hasMessage("port must be between 0 and 65535, but was 70000");
        assertThatThrownBy(() -> ProbeEndpoint.builder().stopTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("stopTimeout must be greater than or equal to 0, but was PT-1S");
    }

    @Test
    void portIsUnknownBeforeStart() {
        ProbeEndpoint http = endpoint().build();
        assertThatThrownBy(http::port).isInstanceOf(IllegalStateException.class).hasMessage("http - not started; call start() first");
    }
}
