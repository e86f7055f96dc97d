package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.coordination.BuildManifest;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.ApiIntegrationEnvironment;
import dev.coldstart.testkit.ApiIntegrationScenarios;
import dev.coldstart.testkit.ApiIntegrationService;
import dev.coldstart.testkit.Cs25Parameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.fault.FaultyHttpPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CS-25: a CDN (a real HTTP peer) serves the client's build manifest. First it serves the manifest
 * of another build, whose first asset in path order is unchanged and whose second differs: the
 * start fails before READY naming both build ids and that second asset. Then it serves the server's
 * own manifest: the service becomes READY.
 */
public final class HydrationMismatchScenario {
    private static final String MANIFEST_PATH = "/build-manifest.json";

    private HydrationMismatchScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(ApiIntegrationScenarios scenarios, ScenarioContext ctx, Cs25Parameters p) throws Exception {
        FaultyHttpPeer cdn = ctx.closeAfter(FaultyHttpPeer.start("cs25-cdn"));
        ApiIntegrationEnvironment env = ApiScenarioSupport.env(ctx, "cs25", p.startTimeout())
                .clientManifestUri(cdn.uri(MANIFEST_PATH)).build();

        // The server's manifest, read from an instance that is not started.
        ApiIntegrationService probe = ApiScenarioSupport.service(ctx, scenarios, env);
        BuildManifest server = ApiScenarioSupport.required(ctx, probe.serverBuildManifest(), "serverBuildManifest()");
        assertThat(server.assets()).as("CS-25 needs a server manifest with at least one asset").isNotEmpty();

        // 1. Another build: the first asset equal, the second (and the build id) different.
        List<String> paths = new ArrayList<>(server.assets().keySet());
        String differing = paths.size() > 1 ? paths.get(1) : paths.get(0);
        Map<String, String> otherAssets = new TreeMap<>(server.assets());
        otherAssets.put(differing, "sha256-" + Integer.toHexString(server.assets().get(differing).hashCode()) + "-previous");
        if (paths.size() > 2) {
            String last = paths.get(paths.size() - 1);
            otherAssets.put(last, server.assets().get(last) + "-previous");
        }
        BuildManifest other = BuildManifest.of(server.buildId() + "-previous", otherAssets);
        cdn.stubJson(MANIFEST_PATH, other.toJson());
        ApiScenarioSupport.FailedStart mismatch = ApiScenarioSupport.startExpectingFailure(ctx, scenarios, env,
                p.startTimeout().plusSeconds(10));
        ctx.figure("serverBuildId", server.buildId());
        ctx.figure("clientBuildId", other.buildId());
        ctx.figure("firstDifferingAsset", differing);
        ctx.figure("mismatchError", ApiScenarioSupport.oneLine(mismatch.text(), 300));
        ctx.figure("mismatchDetectedMillis", mismatch.millis());
        assertThat(mismatch.everReady()).as("CS-25: the mismatch is detected before READY").isFalse();
        assertThat(mismatch.text()).as("CS-25: the error names both build ids")
                .contains(server.buildId()).contains(other.buildId());
        assertThat(mismatch.text()).as("CS-25: the error names the first differing asset").contains(differing);
        assertThat(mismatch.attemptsOfComponentMentioning(other.buildId())).as("CS-25: a mismatch is not retried")
                .isEqualTo(1);
        assertThat(mismatch.millis()).as("CS-25: the mismatched start ends without a hang")
                .isLessThanOrEqualTo(p.maxDetection().toMillis());
        assertThat(cdn.requestCount(MANIFEST_PATH)).as("CS-25: the client manifest was fetched").isPositive();

        // 2. The same build: READY.
        cdn.stubJson(MANIFEST_PATH, server.toJson());
        ApiIntegrationService matching = ApiScenarioSupport.service(ctx, scenarios, env);
        StartupReport report = ApiScenarioSupport.startReady(ctx, matching, p.startTimeout().plusSeconds(10));
        ctx.figure("matchingReadyMillis", report.timeToReady().toMillis());
        assertThat(matching.orchestrator().isReady()).as("CS-25: a matching manifest passes").isTrue();
    }
}
