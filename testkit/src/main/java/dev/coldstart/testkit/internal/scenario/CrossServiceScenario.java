package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.ECKey;
import dev.coldstart.core.AttemptRecord;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.AuthEnvironment;
import dev.coldstart.testkit.AuthScenarios;
import dev.coldstart.testkit.AuthService;
import dev.coldstart.testkit.Cs20Parameters;
import dev.coldstart.testkit.ScenarioContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CS-20: service A calls service B with a client-credentials token; A, B and the provider start
 * in random order (the seed is recorded). Until it "starts", the provider is a real listener that
 * resets every connection, since A and B must know its URL when they are built. Then paced calls
 * over several token lifetimes, and a provider key rotation that makes B refuse A's cached token.
 */
public final class CrossServiceScenario {
    private CrossServiceScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(AuthScenarios scenarios, ScenarioContext ctx, Cs20Parameters p) throws Exception {
        assertThat(p.callInterval().multipliedBy(p.calls())).as("CS-20 parameters: the calls must span more than "
                + "one token lifetime to show the refresh ahead of expiry").isGreaterThan(p.tokenLifetime());
        ScenarioIdp idp = AuthScenarioSupport.idp(ctx, "cs20");
        ECKey k1 = ScenarioIdp.newKey("k1");
        idp.resetEverything();
        AuthService a = AuthScenarioSupport.service(ctx, scenarios, AuthScenarioSupport.env(ctx, "cs20-a",
                AuthEnvironment.Role.CALLER, idp, null, p.startTimeout(), Duration.ofSeconds(2), Duration.ofSeconds(1)));
        AuthService b = AuthScenarioSupport.service(ctx, scenarios, AuthScenarioSupport.env(ctx, "cs20-b",
                AuthEnvironment.Role.CALLEE, idp, null, p.startTimeout(), Duration.ofSeconds(2), Duration.ofSeconds(1)));

        long seed = System.nanoTime();
        List<String> order = new ArrayList<>(List.of("provider", "A", "B"));
        Collections.shuffle(order, new Random(seed));
        ctx.figure("startOrder", String.join(",", order));
        ctx.figure("seed", seed);
        long t0 = System.nanoTime();
        CompletableFuture<StartupReport> readyA = null;
        CompletableFuture<StartupReport> readyB = null;
        List<AuthService> started = new ArrayList<>();
        for (String part : order) {
            switch (part) {
                case "provider" -> {
                    // Whoever started first must have met the missing provider and be retrying.
                    await().atMost(p.readyTimeout()).until(() -> started.stream().allMatch(CrossServiceScenario::failedOnce));
                    idp.clear();
                    idp.serveDiscovery();
                    idp.publish(Duration.ZERO, k1);
                    idp.serveTokens(k1, p.tokenLifetime());
                }
                case "A" -> {
                    readyA = a.orchestrator().startAsync();
                    started.add(a);
                }
                default -> {
                    readyB = b.orchestrator().startAsync();
                    started.add(b);
                }
            }
        }
        readyA.get(p.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        readyB.get(p.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.figure("bothReadyMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        if (order.indexOf("A") < order.indexOf("provider")) {
            assertThat(failedOnce(a)).as("CS-20: A obtained its token with retry").isTrue();
        }
        URI endpoint = b.protectedEndpoint();
        assertThat(endpoint).as("CS-20 needs AuthService.protectedEndpoint() from the callee").isNotNull();

        long tokensBefore = idp.tokenRequests();
        long phaseStart = System.nanoTime();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(p.calls());
        AtomicInteger issued = new AtomicInteger();
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(4);
        ScheduledFuture<?> ticks;
        try {
            ticks = pacer.scheduleAtFixedRate(() -> {
                if (issued.incrementAndGet() > p.calls()) {
                    return;
                }
                try {
                    int status = a.callProtected(endpoint);
                    if (status >= 200 && status < 300) {
                        ok.incrementAndGet();
                    } else {
                        failures.add("HTTP " + status);
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                } finally {
                    done.countDown();
                }
            }, 0, p.callInterval().toNanos(), TimeUnit.NANOSECONDS);
            boolean finished = done.await(p.callInterval().toMillis() * p.calls() + 30_000, TimeUnit.MILLISECONDS);
            ticks.cancel(false);
            assertThat(finished).as("CS-20: the paced calls ended").isTrue();
        } finally {
            pacer.shutdownNow();
        }
        long phaseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - phaseStart);
        long tokenRequests = idp.tokenRequests() - tokensBefore;
        long maxExpected = phaseMillis / Math.max(1, p.tokenLifetime().toMillis() / 2) + 2;
        ctx.figure("callsAfterReady", p.calls());
        ctx.figure("failedCalls", failures.size());
        ctx.figure("callPhaseMillis", phaseMillis);
        ctx.figure("tokenRequestsDuringCalls", tokenRequests);
        assertThat(failures).as("CS-20: after both are READY no call fails").isEmpty();
        assertThat(ok.get()).isEqualTo(p.calls());
        assertThat(tokenRequests).as("CS-20: the token was refreshed during %d ms of calls", phaseMillis)
                .isGreaterThanOrEqualTo(1);
        assertThat(tokenRequests).as("CS-20: refreshes are single-flight, not one per call").isLessThanOrEqualTo(maxExpected);

        // The provider rotates and withdraws k1; B learns the new key set from a token signed with k2.
        ECKey k2 = ScenarioIdp.newKey("k2");
        idp.publish(Duration.ZERO, k2);
        idp.serveTokens(k2, p.tokenLifetime());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        assertThat(get(http, endpoint, idp.sign(k2, Duration.ofMinutes(1)))).as("B accepts the new key").isBetween(200, 299);
        assertThat(get(http, endpoint, idp.sign(k1, Duration.ofMinutes(1))))
                .as("B refuses the withdrawn key: A's cached token is stale").isEqualTo(401);
        long beforeStale = idp.tokenRequests();
        int status = a.callProtected(endpoint);
        long fresh = idp.tokenRequests() - beforeStale;
        ctx.figure("staleKeyCallStatus", status);
        ctx.figure("tokenRequestsForStaleKey", fresh);
        assertThat(status).as("CS-20: a 401 caused by a stale key gets one retry with a fresh token").isBetween(200, 299);
        assertThat(fresh).as("CS-20: one fresh token for the retry").isBetween(1L, 2L);
    }

    private static boolean failedOnce(AuthService s) {
        for (var c : s.orchestrator().report().components()) {
            for (AttemptRecord r : c.attemptHistory()) {
                if (r.error() != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int get(HttpClient http, URI endpoint, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
