package dev.coldstart.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.Health;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DataSourceComponentIT {
    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() throws Exception {
        db = TestDatabase.create("pool");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        db.close();
    }

    @Test
    void probesWithARealQueryAndShowsItsApplicationNameToPostgresql() throws Exception {
        DataSourceComponent pool = DataSourceComponent.of("orders-db",
                db.poolConfig("cs-pool-reachable").maximumPoolSize(2).build());
        pool.start();
        try {
            assertThat(pool.probe()).isEqualTo(Health.up());
            try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT current_setting('application_name')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("cs-pool-reachable");
            }
            try (Connection a = pool.dataSource().getConnection(); Connection b = pool.dataSource().getConnection()) {
                assertThat(a.isValid(1) && b.isValid(1)).isTrue();
                assertThat(db.sessions("cs-pool-reachable")).isEqualTo(2);
            }
            assertThat(pool.hasConnected()).isTrue();
        } finally {
            pool.stop(Duration.ofSeconds(1));
        }
        // A backend leaves pg_stat_activity shortly after its connection closes, not at once.
        await().atMost(Duration.ofSeconds(5)).until(() -> db.sessions("cs-pool-reachable") == 0);
    }

    @Test
    void startReturnsAtOnceAndProbeMakesOneAttemptWhileNothingListens() throws Exception {
        int port = TcpForwarder.freePort();
        DataSourceComponent pool = DataSourceComponent.of("closed-db", db.poolConfig("cs-pool-closed")
                .jdbcUrl(db.jdbcUrl(port)).acquireTimeout(Duration.ofMillis(500)).build());

        long t0 = System.nanoTime();
        pool.start();
        long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        try {
            Health first = pool.probe();
            Health second = pool.probe();

            assertThat(startMillis).isLessThan(1_000);
            assertThat(first.isUp()).isFalse();
            assertThat(first.reason()).contains("closed-db", "SELECT 1 failed", "Connection", "08001");
            assertThat(second.isUp()).isFalse();
            assertThat(pool.connectionAttempts()).isEqualTo(2);
            assertThat(pool.hasConnected()).isFalse();
        } finally {
            pool.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void becomesHealthyWithoutRestartWhenTheDatabasePortOpensLate() throws Exception {
        int port = TcpForwarder.freePort();
        DataSourceComponent pool = DataSourceComponent.of("late-db", db.poolConfig("cs-pool-late")
                .jdbcUrl(db.jdbcUrl(port)).acquireTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofSeconds(1))
                .build());
        RetryPolicy retry = RetryPolicy.builder().initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(400))
                .build();
        try (StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName("late")
                .component(pool, StartPolicy.of(Duration.ofSeconds(30), retry)).build()) {
            CompletableFuture<StartupReport> ready = orchestrator.startAsync();
            await().atMost(Duration.ofSeconds(10)).until(() -> attempts(orchestrator, "late-db") >= 3);
            assertThat(orchestrator.isReady()).isFalse();

            try (TcpForwarder forwarder = TcpForwarder.start(port, db.host, db.port)) {
                StartupReport report = ready.get(10, TimeUnit.SECONDS);

                assertThat(orchestrator.isReady()).isTrue();
                int attempts = report.components().get(0).attempts();
                assertThat(attempts).isGreaterThanOrEqualTo(4);
                // One physical attempt per probe while down, one for the probe that succeeded, plus the pool's own.
                assertThat(pool.connectionAttempts()).isBetween((long) attempts, (long) attempts + 3);
                assertThat(pool.probe()).isEqualTo(Health.up());
                assertThat(forwarder.accepted()).isGreaterThanOrEqualTo(1);
            }
        }
    }

    private static int attempts(StartupOrchestrator o, String name) {
        return o.report().components().stream().filter(c -> c.name().equals(name)).mapToInt(ComponentReport::attempts)
                .findFirst().orElse(0);
    }
}
