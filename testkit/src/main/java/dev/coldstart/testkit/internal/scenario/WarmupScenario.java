package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.nimbusds.jose.jwk.ECKey;
import dev.coldstart.core.StartupReport;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.testkit.AuthEnvironment;
import dev.coldstart.testkit.AuthScenarios;
import dev.coldstart.testkit.AuthService;
import dev.coldstart.testkit.Cs19Parameters;
import dev.coldstart.testkit.ScenarioContext;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * CS-19: the JWKS is fetched and cached before readiness; the first verifications after READY make
 * no fetch (counted at the provider); a required warm-up that fails keeps readiness down.
 */
public final class WarmupScenario {
    private WarmupScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(AuthScenarios scenarios, ScenarioContext ctx, Cs19Parameters p) throws Exception {
        ScenarioIdp idp = AuthScenarioSupport.idp(ctx, "cs19");
        ECKey key = ScenarioIdp.newKey("cs19");
        idp.serveDiscovery();
        idp.publish(Duration.ZERO, key);
        AuthEnvironment env = AuthScenarioSupport.env(ctx, "cs19", AuthEnvironment.Role.SERVICE, idp, null,
                p.startTimeout(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        AuthService s = AuthScenarioSupport.service(ctx, scenarios, env);
        StartupReport report = s.orchestrator().startAsync().get(p.startTimeout().toMillis() + 10_000,
                TimeUnit.MILLISECONDS);
        Instant firstFetch = idp.firstJwksRequestAt();
        assertThat(firstFetch).as("CS-19: the JWKS was fetched during start-up").isNotNull();
        assertThat(firstFetch).as("CS-19: ... before readiness went up").isBeforeOrEqualTo(report.readyAt());
        long atReady = idp.jwksRequests();
        TokenVerifier verifier = s.verifier();
        String token = idp.sign(key, Duration.ofMinutes(5));
        Parallel.Outcome first = Parallel.run(p.validationsAfterReady(), Duration.ofSeconds(60), () -> verifier.verify(token));
        long fetches = idp.jwksRequests() - atReady;
        ctx.figure("validationsAfterReady", p.validationsAfterReady());
        ctx.figure("fetchesDuringFirstValidations", fetches);
        ctx.figure("readyMillis", report.timeToReady().toMillis());
        assertThat(first.failures()).isEmpty();
        assertThat(first.succeeded()).isEqualTo(p.validationsAfterReady());
        assertThat(fetches).as("CS-19: the first %d validations make no JWKS fetch", p.validationsAfterReady()).isZero();

        ScenarioIdp failing = AuthScenarioSupport.idp(ctx, "cs19-failing");
        failing.serveDiscovery();
        failing.serveJwks(WireMock.aResponse().withStatus(503).withBody("warming up"));
        AuthEnvironment envFailing = AuthScenarioSupport.env(ctx, "cs19-failing", AuthEnvironment.Role.SERVICE, failing,
                null, p.startTimeout(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        AuthService cold = AuthScenarioSupport.service(ctx, scenarios, envFailing);
        AtomicBoolean everReady = new AtomicBoolean();
        CompletableFuture<StartupReport> f = cold.orchestrator().startAsync();
        await().atMost(p.startTimeout().plusSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> {
            if (cold.orchestrator().isReady()) {
                everReady.set(true);
            }
            return f.isDone();
        });
        ctx.figure("failedWarmupEverReady", everReady.get());
        ctx.figure("failedWarmupFetches", failing.jwksRequests());
        assertThat(f).as("CS-19: a failed required warm-up fails the start").isCompletedExceptionally();
        assertThat(everReady).as("CS-19: ... and readiness never went up").isFalse();
        assertThat(cold.orchestrator().isReady()).isFalse();
    }
}
