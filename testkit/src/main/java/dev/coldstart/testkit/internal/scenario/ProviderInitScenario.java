package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.nimbusds.jose.jwk.ECKey;
import dev.coldstart.core.Availability;
import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.AuthEnvironment;
import dev.coldstart.testkit.AuthScenarios;
import dev.coldstart.testkit.AuthService;
import dev.coldstart.testkit.Cs16Parameters;
import dev.coldstart.testkit.ScenarioContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * CS-16: the provider is slow, down, answers 500, invalid JSON or the wrong issuer. Five instances
 * start at once, one per fault, each against its own real HTTP provider; then one whose provider
 * recovers after failures, and one with a healthy required and a dead optional provider.
 */
public final class ProviderInitScenario {
    private enum Kind {
        SLOW("ProviderTimeoutException", true), DOWN("ProviderUnreachableException", true),
        STATUS_500("ProviderStatusException", true), INVALID_JSON("ProviderResponseException", true),
        WRONG_ISSUER("IssuerMismatchException", false);

        final String type;
        final boolean retried;

        Kind(String type, boolean retried) {
            this.type = type;
            this.retried = retried;
        }
    }

    private ProviderInitScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(AuthScenarios scenarios, ScenarioContext ctx, Cs16Parameters p) throws Exception {
        ECKey key = ScenarioIdp.newKey("cs16");
        Map<Kind, AuthService> services = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            ScenarioIdp idp = AuthScenarioSupport.idp(ctx, "cs16-" + kind.name().toLowerCase(java.util.Locale.ROOT));
            idp.serveDiscovery();
            idp.publish(Duration.ZERO, key);
            switch (kind) {
                case SLOW -> idp.serveDiscovery(WireMock.okJson("{}").withFixedDelay((int) p.slowDelay().toMillis()));
                case DOWN -> idp.close(); // nothing listens on its port any more: connection refused
                case STATUS_500 -> idp.serveJwks(WireMock.aResponse().withStatus(500).withBody("internal error"));
                case INVALID_JSON -> idp.serveJwks(WireMock.aResponse().withStatus(200).withBody("<html>502 Bad Gateway</html>"));
                case WRONG_ISSUER -> idp.serveDiscovery("https://sso.example.invalid/realms/someone-else");
                default -> throw new IllegalStateException();
            }
            AuthEnvironment env = AuthScenarioSupport.env(ctx, "cs16-" + kind.name().toLowerCase(java.util.Locale.ROOT),
                    AuthEnvironment.Role.SERVICE, idp, null, p.startTimeout(), p.requestTimeout(), Duration.ofSeconds(1));
            services.put(kind, AuthScenarioSupport.service(ctx, scenarios, env));
        }
        Map<Kind, CompletableFuture<StartupReport>> starts = new LinkedHashMap<>();
        Map<Kind, Long> tookNanos = new java.util.concurrent.ConcurrentHashMap<>();
        for (Map.Entry<Kind, AuthService> e : services.entrySet()) {
            long t0 = System.nanoTime();
            starts.put(e.getKey(), e.getValue().orchestrator().startAsync()
                    .whenComplete((r, x) -> tookNanos.put(e.getKey(), System.nanoTime() - t0)));
        }
        Set<String> types = new HashSet<>();
        for (Kind kind : Kind.values()) {
            CompletableFuture<StartupReport> f = starts.get(kind);
            Throwable failure = null;
            try {
                f.get(p.startTimeout().toMillis() + p.slowDelay().toMillis() + 30_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                failure = e.getCause();
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(tookNanos.get(kind));
            assertThat(failure).as("CS-16 %s: the service must not become READY", kind)
                    .isInstanceOf(StartupFailedException.class);
            assertThat(services.get(kind).orchestrator().isReady()).isFalse();
            ComponentReport c = AuthScenarioSupport.failed(((StartupFailedException) failure).report());
            assertThat(c).as("CS-16 %s: a failed component", kind).isNotNull();
            assertThat(c.lastError()).as("CS-16 %s: the error names its kind", kind).contains(kind.type);
            types.add(kind.type);
            String k = kind.name().toLowerCase(java.util.Locale.ROOT);
            ctx.figure(k + "Attempts", c.attempts());
            ctx.figure(k + "FailedAfterMillis", tookMillis);
            if (kind.retried) {
                assertThat(c.attempts()).as("CS-16 %s: retried with backoff while the deadline allowed", kind)
                        .isGreaterThanOrEqualTo(2);
                assertThat(tookMillis).as("CS-16 %s: retried until the start deadline", kind)
                        .isGreaterThanOrEqualTo(p.startTimeout().toMillis() - 100);
            } else {
                assertThat(c.attempts()).as("CS-16 wrong issuer: misconfiguration is not retried").isEqualTo(1);
                assertThat(tookMillis).isLessThan(p.startTimeout().toMillis());
            }
        }
        assertThat(types).as("CS-16: each failure kind is a distinct error type").hasSize(Kind.values().length);

        recovers(scenarios, ctx, p, key);
        degradedWithOptionalProvider(scenarios, ctx, p, key);
    }

    private static void recovers(AuthScenarios scenarios, ScenarioContext ctx, Cs16Parameters p, ECKey key)
            throws Exception {
        ScenarioIdp idp = AuthScenarioSupport.idp(ctx, "cs16-recovering");
        idp.serveDiscovery();
        idp.publishAfterFailures(p.recoverAfterFailures(), key);
        AuthEnvironment env = AuthScenarioSupport.env(ctx, "cs16-recovering", AuthEnvironment.Role.SERVICE, idp, null,
                p.startTimeout().multipliedBy(3), p.requestTimeout(), Duration.ofSeconds(1));
        AuthService s = AuthScenarioSupport.service(ctx, scenarios, env);
        StartupReport report = s.orchestrator().startAsync().get(p.startTimeout().toMillis() * 3 + 10_000,
                TimeUnit.MILLISECONDS);
        assertThat(s.orchestrator().isReady()).isTrue();
        int attempts = report.components().stream().mapToInt(ComponentReport::attempts).max().orElse(0);
        assertThat(attempts).as("CS-16: READY after retries").isGreaterThan(p.recoverAfterFailures());
        assertThat(s.verifier().verify(idp.sign(key, Duration.ofMinutes(5))).subject()).isEqualTo("scenario-user");
        ctx.figure("recoveringAttempts", attempts);
        ctx.figure("recoveringReadyMillis", report.timeToReady().toMillis());
    }

    private static void degradedWithOptionalProvider(AuthScenarios scenarios, ScenarioContext ctx, Cs16Parameters p,
            ECKey key) throws Exception {
        ScenarioIdp primary = AuthScenarioSupport.idp(ctx, "cs16-primary");
        primary.serveDiscovery();
        primary.publish(Duration.ZERO, key);
        ScenarioIdp secondary = new ScenarioIdp("cs16-secondary");
        String secondaryIssuer = secondary.issuer();
        secondary.close(); // the optional provider is down
        AuthEnvironment env = AuthScenarioSupport.env(ctx, "cs16-degraded", AuthEnvironment.Role.SERVICE, primary,
                secondaryIssuer, p.startTimeout(), p.requestTimeout(), Duration.ofSeconds(1));
        AuthService s = AuthScenarioSupport.service(ctx, scenarios, env);
        StartupReport report = s.orchestrator().startAsync().get(p.startTimeout().toMillis() + 10_000,
                TimeUnit.MILLISECONDS);
        Availability a = s.orchestrator().availability();
        assertThat(a.isReady()).as("CS-16: READY with the optional provider down").isTrue();
        assertThat(a.isDegraded()).as("CS-16: in degraded mode").isTrue();
        List<String> degraded = a.degradedComponents();
        org.awaitility.Awaitility.await().atMost(p.startTimeout().plusSeconds(5)).until(() -> {
            Availability now = s.orchestrator().availability();
            return now.degradedComponents().stream().map(now::component)
                    .anyMatch(c -> c.lastError() != null && c.lastError().contains("ProviderUnreachableException"));
        });
        Availability later = s.orchestrator().availability();
        String errors = later.degradedComponents().stream().map(n -> String.valueOf(later.component(n).lastError()))
                .reduce("", String::concat);
        assertThat(a.toJson()).as("CS-16: the provider's health is reported").contains("\"degraded\"");
        assertThat(s.verifier().verify(primary.sign(key, Duration.ofMinutes(5))).subject()).isEqualTo("scenario-user");
        ctx.figure("degradedComponents", String.join(",", degraded));
        ctx.figure("degradedReadyMillis", report.timeToReady().toMillis());
        ctx.figure("degradedReason", errors.isEmpty() ? "-" : errors.substring(0, Math.min(80, errors.length())));
    }
}
