package dev.coldstart.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.ColdstartScenarios;
import dev.coldstart.testkit.RealPostgres;
import dev.coldstart.testkit.TestDatabase;
import dev.coldstart.testkit.fault.ChildJvm;
import dev.coldstart.testkit.fault.ChildJvmConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Four orchestrators in four threads and two demo processes migrate one fresh database at the same
 * instant: every version once in the history table, no failed row, all six READY.
 */
@ColdstartScenarios
class DemoMigrationRaceIT {

    @RealPostgres
    static TestDatabase db;

    @Test
    void fourThreadsAndTwoProcessesMigrateOneDatabaseOnce() throws Exception {
        List<ChildJvm> processes = new ArrayList<>();
        List<DemoService> services = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 2; i++) {
                processes.add(ChildJvm.start(ChildJvmConfig.builder(DemoService.class)
                        .name("demo-process-" + i)
                        .maxHeapBytes(256L * 1024 * 1024)
                        .args("--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user(), "--jdbc-password", db.password(),
                                "--http-port", "0", "--app-name", "demo-process-" + i, "--exit-when-ready")
                        .build()));
            }
            for (int i = 0; i < 4; i++) {
                services.add(DemoService.create(DemoConfig.builder().jdbcUrl(db.jdbcUrl()).jdbcUser(db.user())
                        .jdbcPassword(db.password()).httpPort(0).appName("demo-thread-" + i).build()));
            }
            // The processes boot their JVM first; release the threads when both are about to start.
            for (ChildJvm p : processes) {
                p.awaitLine(l -> l.startsWith("http port: "), Duration.ofSeconds(30));
            }
            CyclicBarrier together = new CyclicBarrier(4);
            List<CompletableFuture<StartupReport>> reports = new ArrayList<>();
            for (DemoService s : services) {
                reports.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return s.orchestrator().start();
                }, threads));
            }

            for (CompletableFuture<StartupReport> r : reports) {
                assertThat(r.get(60, TimeUnit.SECONDS).state()).isEqualTo(ServiceState.READY);
            }
            for (ChildJvm p : processes) {
                assertThat(p.awaitExit(Duration.ofSeconds(60))).as("%s exit code; output:%n%s", p, p.output()).isZero();
                assertThat(p.stdout()).anySatisfy(l -> assertThat(l).startsWith("service: READY"));
            }
            try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT version, count(*) AS n, bool_and(success) AS ok FROM flyway_schema_history "
                            + "WHERE version IS NOT NULL GROUP BY version ORDER BY version::int")) {
                List<String> versions = new ArrayList<>();
                while (rs.next()) {
                    versions.add(rs.getString("version"));
                    assertThat(rs.getInt("n")).as("rows of version %s", rs.getString("version")).isEqualTo(1);
                    assertThat(rs.getBoolean("ok")).as("version %s succeeded", rs.getString("version")).isTrue();
                }
                assertThat(versions).containsExactly("1", "2", "3", "4");
            }
            try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT (SELECT count(*) FROM tenant) AS tenants, (SELECT count(*) FROM tenant_setting) AS settings")) {
                rs.next();
                assertThat(rs.getInt("tenants")).isEqualTo(1);
                assertThat(rs.getInt("settings")).isEqualTo(3);
            }
        } finally {
            services.forEach(DemoService::close);
            processes.forEach(ChildJvm::close);
            threads.shutdownNow();
        }
    }
}
