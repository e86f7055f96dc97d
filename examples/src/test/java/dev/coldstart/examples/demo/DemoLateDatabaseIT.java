package dev.coldstart.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.testkit.ColdstartScenarios;
import dev.coldstart.testkit.RealPostgres;
import dev.coldstart.testkit.TestDatabase;
import dev.coldstart.testkit.fault.ChildJvm;
import dev.coldstart.testkit.fault.ChildJvmConfig;
import dev.coldstart.testkit.fault.TcpFault;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo process starts while nothing listens on its database port; the database comes up a few
 * seconds later and the same process becomes READY, without a restart.
 */
@ColdstartScenarios
class DemoLateDatabaseIT {

    @RealPostgres
    static TestDatabase db;

    @Test
    void becomesReadyWhenTheDatabaseComesUpLater(@TempDir Path dir) throws Exception {
        Path reportJson = dir.resolve("report.json");
        try (TcpFaultProxy proxy = TcpFaultProxy.start(db.server().host(), db.server().port())) {
            proxy.setFault(TcpFault.refuse());
            try (ChildJvm demo = ChildJvm.start(ChildJvmConfig.builder(DemoService.class)
                    .name("demo-late-db")
                    .maxHeapBytes(256L * 1024 * 1024)
                    .args("--jdbc-url", db.jdbcUrl(proxy.host(), proxy.port()), "--jdbc-user", db.user(),
                            "--jdbc-password", db.password(), "--http-port", "0", "--exit-when-ready",
                            "--report-json", reportJson.toString())
                    .build())) {
                // The pool has failed at least once against the closed port before the database appears.
                demo.awaitLine(Pattern.compile("demo-db - attempt \\d+ failed"), Duration.ofSeconds(30));
                proxy.setFault(TcpFault.none());

                assertThat(demo.awaitExit(Duration.ofSeconds(60))).as("exit code; output:%n%s", demo.output()).isZero();
                assertThat(demo.stdout()).anySatisfy(l -> assertThat(l).startsWith("service: READY"));
                assertThat(demo.stdout()).anySatisfy(l -> assertThat(l).startsWith("http port: "));
            }
        }
        String json = Files.readString(reportJson);
        assertThat(json).contains("\"state\":\"READY\"");
        assertThat(json).containsPattern("\"name\":\"demo-db\",\"required\":true,\"dependsOn\":\\[\"fd-preflight\"],\"state\":\"RUNNING\",\"attempts\":([2-9]|\\d{2,})");
    }
}
