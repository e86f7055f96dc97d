package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.ApiIntegrationEnvironment;
import dev.coldstart.testkit.ApiIntegrationScenarios;
import dev.coldstart.testkit.ApiIntegrationService;
import dev.coldstart.testkit.Cs21Parameters;
import dev.coldstart.testkit.GatewayBackend;
import dev.coldstart.testkit.ScenarioContext;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;

/**
 * CS-21: the gateway's HTTP endpoint takes traffic while its backend is not ready. Requests left
 * waiting get 503 with Retry-After at their deadline; then the queue is filled to capacity, one
 * request at a time so that the arrival order is known, the overflow gets 503 at once, and once the
 * backend is released every held request is served, reaching the backend in arrival order.
 */
public final class GatewayBeforeBackendScenario {
    private GatewayBeforeBackendScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(ApiIntegrationScenarios scenarios, ScenarioContext ctx, Cs21Parameters p) throws Exception {
        GatewayBackend backend = GatewayBackend.starting();
        ApiIntegrationEnvironment env = ApiScenarioSupport.env(ctx, "cs21", p.startTimeout())
                .backend(backend)
                .requestQueueCapacity(p.queueCapacity())
                .requestDeadline(p.requestDeadline())
                .build();
        ApiIntegrationService s = ApiScenarioSupport.service(ctx, scenarios, env);
        if (s.queuedRequests() < 0) {
            throw new AssertionFailedError(ctx.id() + " needs ApiIntegrationService.queuedRequests() (the request "
                    + "gate's queue length) to send requests in a known arrival order");
        }
        URI base = s.baseUri();
        CompletableFuture<StartupReport> started = s.orchestrator().startAsync();
        ApiScenarioSupport.awaitLive(s);
        Duration clientTimeout = p.requestDeadline().plus(p.maxReleaseLatency()).plusSeconds(10);

        // 1. Requests that wait their whole deadline: 503 with Retry-After, never a hang.
        long deadlineBegin = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> expiring = new ArrayList<>();
        for (int i = 0; i < p.expiringRequests(); i++) {
            expiring.add(ApiScenarioSupport.getAsync(uri(base, s, "expire-" + i), clientTimeout));
        }
        long longestExpiry = 0;
        for (CompletableFuture<HttpResponse<String>> f : expiring) {
            HttpResponse<String> r = f.get(clientTimeout.toMillis(), TimeUnit.MILLISECONDS);
            longestExpiry = Math.max(longestExpiry, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deadlineBegin));
            assertThat(r.statusCode()).as("CS-21: a request past its deadline gets 503").isEqualTo(503);
            assertRetryAfter(r);
        }
        ctx.figure("deadlineAnsweredAfterMillis", longestExpiry);
        assertThat(longestExpiry).as("CS-21: answered at the %s deadline, not later", p.requestDeadline())
                .isGreaterThanOrEqualTo(p.requestDeadline().toMillis() - 50)
                .isLessThanOrEqualTo(p.requestDeadline().toMillis() + 2_000);

        // 2. Fill the queue, one request at a time, so the arrival order is known.
        await().atMost(Duration.ofSeconds(5)).until(() -> s.queuedRequests() == 0);
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < p.queueCapacity(); i++) {
            held.add(ApiScenarioSupport.getAsync(uri(base, s, Integer.toString(i)), clientTimeout));
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2))
                    .until(() -> s.queuedRequests() >= expected);
        }
        assertThat(held).as("CS-21: nothing is answered while the backend is not ready").noneMatch(CompletableFuture::isDone);
        assertThat(s.orchestrator().isReady()).isFalse();

        // 3. The queue is full: 503 with Retry-After at once.
        long slowestReject = 0;
        for (int i = 0; i < p.overflowRequests(); i++) {
            long begin = System.nanoTime();
            HttpResponse<String> r = ApiScenarioSupport.getAsync(uri(base, s, "overflow-" + i), clientTimeout)
                    .get(p.maxRejectLatency().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            slowestReject = Math.max(slowestReject, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
            assertThat(r.statusCode()).as("CS-21: a request beyond the queue's capacity gets 503").isEqualTo(503);
            assertRetryAfter(r);
        }
        ctx.figure("queueCapacity", p.queueCapacity());
        ctx.figure("overflowRejected", p.overflowRequests());
        ctx.figure("slowestQueueFullRejectMillis", slowestReject);
        assertThat(slowestReject).as("CS-21: a full queue answers at once").isLessThanOrEqualTo(p.maxRejectLatency().toMillis());
        assertThat(held).as("CS-21: the held requests still wait").noneMatch(CompletableFuture::isDone);

        // 4. The backend becomes ready: every held request is served, in arrival order.
        long releasedAt = System.nanoTime();
        backend.release();
        List<String> expectedOrder = new ArrayList<>();
        long lastAnswer = 0;
        for (int i = 0; i < held.size(); i++) {
            HttpResponse<String> r = held.get(i).get(clientTimeout.toMillis(), TimeUnit.MILLISECONDS);
            lastAnswer = Math.max(lastAnswer, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releasedAt));
            assertThat(r.statusCode()).as("CS-21: held request %d is served once the backend is ready", i).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Integer.toString(i));
            expectedOrder.add(Integer.toString(i));
        }
        started.get(p.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.figure("heldRequestsServed", held.size());
        ctx.figure("servedAfterReleaseMillis", lastAnswer);
        ctx.figure("backendCallOrder", backend.calls());
        assertThat(backend.callsBeforeReady()).as("CS-21: no request reached the backend before it was ready").isEmpty();
        assertThat(backend.calls()).as("CS-21: held requests reach the backend in arrival order")
                .containsExactlyElementsOf(expectedOrder);
        assertThat(lastAnswer).as("CS-21: held requests are answered soon after the backend is ready")
                .isLessThanOrEqualTo(p.maxReleaseLatency().toMillis());
        assertThat(s.queuedRequests()).isZero();

        HttpResponse<String> after = ApiScenarioSupport.get(uri(base, s, "after"), clientTimeout);
        assertThat(after.statusCode()).as("CS-21: once ready, requests pass").isEqualTo(200);
    }

    private static URI uri(URI base, ApiIntegrationService s, String id) {
        return base.resolve(s.gatedPath() + "?id=" + id);
    }

    private static void assertRetryAfter(HttpResponse<String> r) {
        String retryAfter = r.headers().firstValue("Retry-After").orElse(null);
        assertThat(retryAfter).as("CS-21: a 503 carries Retry-After").isNotNull();
        assertThat(retryAfter).as("CS-21: Retry-After in whole seconds (RFC 9110)").matches("[1-9][0-9]*");
    }
}
