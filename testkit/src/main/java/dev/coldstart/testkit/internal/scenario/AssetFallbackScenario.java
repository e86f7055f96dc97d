package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.Availability;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.ApiIntegrationEnvironment;
import dev.coldstart.testkit.ApiIntegrationScenarios;
import dev.coldstart.testkit.ApiIntegrationService;
import dev.coldstart.testkit.Cs23Parameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.fault.FaultyHttpPeer;
import dev.coldstart.testkit.fault.HttpFault;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CS-23: two real asset origins (WireMock peers on 127.0.0.1). The primary answers 500 at start:
 * asset URLs point at the fallback, which serves the asset. The primary recovers: URLs move back
 * only after the configured number of good checks, counted at the primary. Both origins down: the
 * service still starts, and reports the asset origins' component as degraded.
 */
public final class AssetFallbackScenario {
    private static final String ASSET_BODY = "console.log('cs23');";

    private AssetFallbackScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(ApiIntegrationScenarios scenarios, ScenarioContext ctx, Cs23Parameters p) throws Exception {
        FaultyHttpPeer primary = origin(ctx, "cs23-primary", p);
        FaultyHttpPeer fallback = origin(ctx, "cs23-fallback", p);
        primary.setFault(HttpFault.serverError());
        Duration within = p.startTimeout().plusSeconds(10);

        // 1. Primary down at start: URLs resolve to the checked fallback.
        ApiIntegrationService s = ApiScenarioSupport.service(ctx, scenarios, env(ctx, "cs23", p, primary, fallback));
        ApiScenarioSupport.startReady(ctx, s, within);
        URI atStart = ApiScenarioSupport.required(ctx, s.resolveAsset(p.assetPath()), "resolveAsset(path)");
        ctx.figure("assetUrlAtStart", atStart);
        assertThat(atStart.toString()).as("CS-23: with the primary down, asset URLs point at the fallback")
                .startsWith(fallback.baseUri().toString());
        HttpResponse<String> asset = ApiScenarioSupport.get(atStart, Duration.ofSeconds(5));
        assertThat(asset.statusCode()).as("CS-23: the fallback serves the asset").isEqualTo(200);
        assertThat(asset.body()).isEqualTo(ASSET_BODY);
        assertThat(fallback.requestCount(p.checkPath())).as("CS-23: the fallback was health-checked").isPositive();
        assertThat(s.orchestrator().availability().isHealthy(s.assetOriginsComponent()))
                .as("CS-23: with a healthy fallback the asset origins are not degraded").isTrue();

        // 2. The primary recovers: URLs move back after the configured number of good checks.
        long checksBefore = primary.requestCount(p.checkPath());
        long recoveredAt = System.nanoTime();
        primary.clearFaults();
        AtomicLong checksWhileOnFallback = new AtomicLong();
        await().atMost(p.maxSwitchBack()).pollInterval(Duration.ofMillis(5)).until(() -> {
            long checks = primary.requestCount(p.checkPath()) - checksBefore;
            if (s.resolveAsset(p.assetPath()).toString().startsWith(primary.baseUri().toString())) {
                return true;
            }
            checksWhileOnFallback.set(checks);
            return false;
        });
        long switchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveredAt);
        long checksAtSwitch = primary.requestCount(p.checkPath()) - checksBefore;
        ctx.figure("switchBackMillis", switchMillis);
        ctx.figure("primaryChecksBeforeSwitchBack", checksAtSwitch);
        ctx.figure("primaryChecksSeenWhileOnFallback", checksWhileOnFallback.get());
        ctx.figure("recoverAfter", p.recoverAfter());
        assertThat(checksAtSwitch).as("CS-23: switched back only after %d good checks of the primary", p.recoverAfter())
                .isGreaterThanOrEqualTo(p.recoverAfter());
        assertThat(switchMillis).as("CS-23: ... and no sooner than %d check intervals", p.recoverAfter() - 1)
                .isGreaterThanOrEqualTo((p.recoverAfter() - 1) * p.checkInterval().toMillis());
        assertThat(ApiScenarioSupport.get(s.resolveAsset(p.assetPath()), Duration.ofSeconds(5)).body()).isEqualTo(ASSET_BODY);

        // 3. Every origin down: the service still starts, with the asset origins degraded.
        FaultyHttpPeer deadPrimary = origin(ctx, "cs23-dead-primary", p);
        FaultyHttpPeer deadFallback = origin(ctx, "cs23-dead-fallback", p);
        deadPrimary.setFault(HttpFault.serverError());
        deadFallback.setFault(HttpFault.connectionReset());
        ApiIntegrationService down = ApiScenarioSupport.service(ctx, scenarios,
                env(ctx, "cs23-all-down", p, deadPrimary, deadFallback));
        long begin = System.nanoTime();
        StartupReport report = ApiScenarioSupport.startReady(ctx, down, within);
        Availability a = down.orchestrator().availability();
        ctx.figure("allDownReadyMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        ctx.figure("allDownDegraded", a.degradedComponents());
        assertThat(report.readyAt()).as("CS-23: with every origin down the service still starts").isNotNull();
        assertThat(a.isReady()).isTrue();
        assertThat(a.degradedComponents()).as("CS-23: the asset origins are reported degraded")
                .contains(down.assetOriginsComponent());
        assertThat(deadPrimary.requestCount(p.checkPath()) + deadFallback.requestCount(p.checkPath()))
                .as("CS-23: both origins were checked").isGreaterThanOrEqualTo(2);
        assertThat(down.resolveAsset(p.assetPath())).as("CS-23: asset URLs still resolve").isNotNull();
    }

    private static FaultyHttpPeer origin(ScenarioContext ctx, String name, Cs23Parameters p) {
        FaultyHttpPeer peer = ctx.closeAfter(FaultyHttpPeer.start(name));
        peer.stub(p.checkPath(), 200, "text/plain", "ok");
        String asset = p.assetPath().startsWith("/") ? p.assetPath() : "/" + p.assetPath();
        peer.stub(asset, 200, "application/javascript", ASSET_BODY);
        return peer;
    }

    private static ApiIntegrationEnvironment env(ScenarioContext ctx, String name, Cs23Parameters p, FaultyHttpPeer primary,
            FaultyHttpPeer fallback) {
        return ApiScenarioSupport.env(ctx, name, p.startTimeout())
                .assetOrigins(List.of(primary.baseUri(), fallback.baseUri()))
                .assetCheckPath(p.checkPath())
                .assetCheckInterval(p.checkInterval())
                .assetRecoverAfter(p.recoverAfter())
                .build();
    }
}
