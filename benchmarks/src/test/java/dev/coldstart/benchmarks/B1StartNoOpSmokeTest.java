package dev.coldstart.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** B1 in miniature: every peer runs and yields a time; coldstart starts nothing before its dependencies. */
class B1StartNoOpSmokeTest {

    @Test
    void measuresColdstartGuavaAndSpringAndDerivesTheRatios() throws Exception {
        RowReport row = Smoke.run("b1");

        assertThat(row.samples()).containsKeys("coldstart", "coldstartNoDependencies", "guavaServiceManager",
                "springLifecycleProcessor", "springLifecycleProcessorDependsOn");
        row.samples().values().forEach(s -> assertThat(s.median()).as(s.name()).isPositive().isFinite());
        assertThat(row.sample("ratio coldstart / guavaServiceManager (paired by round)").values()).hasSize(1);
        assertThat(row.sample("ratio coldstart / springLifecycleProcessor (paired by round)").values()).hasSize(1);
    }

    @Test
    void startsEveryComponentOfTheGraphAfterAllItsDependenciesAreReady() {
        LayeredGraph graph = LayeredGraph.random(300, 20, 3, 42);
        StartupOrchestrator orchestrator = StartupOrchestrator.builder()
                .components(Peers.components(graph, null, true)).build();
        try {
            StartupReport report = orchestrator.start();

            assertThat(report.state()).isEqualTo(ServiceState.READY);
            Map<String, ComponentReport> byName = new HashMap<>();
            report.components().forEach(c -> byName.put(c.name(), c));
            assertThat(byName).hasSize(300);
            for (int i = 0; i < graph.size(); i++) {
                ComponentReport c = byName.get(LayeredGraph.name(i));
                for (int d : graph.dependencies(i)) {
                    assertThat(c.firstAttemptAt()).as("%s starts after %s is ready", c.name(), LayeredGraph.name(d))
                            .isAfterOrEqualTo(byName.get(LayeredGraph.name(d)).readyAt());
                }
            }
        } finally {
            orchestrator.stop();
        }
    }
}
