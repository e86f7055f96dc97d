package dev.coldstart.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.Component;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioContextReportTest {

    private static StartupReport realReport() {
        try (StartupOrchestrator o = StartupOrchestrator.builder()
                .component(Component.builder("db").build())
                .component(Component.builder("migrations").dependsOn("db").build())
                .build()) {
            return o.start();
        }
    }

    @Test
    void writesOneNumberedTimelinePerReportUnderTheCatalogueDirectory(@TempDir Path dir) throws Exception {
        ScenarioContext ctx = new ScenarioContext("CS-97", "some_scenario", "cs97", dir.resolve("coldstart"));
        StartupReport report = realReport();

        Path first = ctx.report(report);
        Path second = ctx.report(report);

        assertThat(first).isEqualTo(dir.resolve("coldstart").resolve("CS-97-1.html"));
        assertThat(second).isEqualTo(dir.resolve("coldstart").resolve("CS-97-2.html"));
        assertThat(Files.readString(first)).startsWith("<!DOCTYPE html>")
                .contains("critical path: <span class=\"cp\">db \u2192 migrations</span>");
    }

    @Test
    void namesTheFileAfterTheMethodWhenTheTestIsNotAScenario(@TempDir Path dir) {
        ScenarioContext ctx = new ScenarioContext(null, "plainTest", "plainTest", dir);

        assertThat(ctx.report(realReport())).isEqualTo(dir.resolve("plainTest-1.html"));
    }

    @Test
    void saysWhereItCouldNotWrite(@TempDir Path dir) throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-directory"), "x");
        ScenarioContext ctx = new ScenarioContext("CS-98", "blocked", "cs98", blocker);

        assertThatThrownBy(() -> ctx.report(realReport())).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("could not write the startup timeline of blocked to ")
                .hasMessageContaining("not-a-directory");
    }
}
