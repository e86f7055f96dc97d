package dev.coldstart.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import dev.coldstart.database.metrics.MigrationMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CS-02: migrations under the cross-instance advisory lock, on a real PostgreSQL. */
class MigrationLockIT {
    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() throws Exception {
        db = TestDatabase.create("lock");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        db.close();
    }

    private static MigrationConfig.Builder lockMigrations(String schema) {
        MigrationConfig.Builder b = MigrationConfig.builder().locations("classpath:db/lock");
        return schema == null ? b : b.schema(schema);
    }

    @Test
    void fourInstancesMigrateOneFreshDatabaseOnceAndTheWaitersSayHowLong() throws Exception {
        int instances = 4;
        List<StartupOrchestrator> orchestrators = new ArrayList<>();
        List<MigrationComponent> migrations = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            DataSourceComponent pool = DataSourceComponent.of("db", db.poolConfig("cs-lock-" + i).build());
            MigrationComponent m = MigrationComponent.of("migrations", pool, lockMigrations(null).build());
            migrations.add(m);
            orchestrators.add(StartupOrchestrator.builder().serviceName("instance-" + i).component(pool).component(m).build());
        }
        ExecutorService threads = Executors.newFixedThreadPool(instances);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<StartupReport>> reports = new ArrayList<>();
            for (StartupOrchestrator o : orchestrators) {
                reports.add(threads.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    return o.start();
                }));
            }
            go.countDown();
            for (Future<StartupReport> r : reports) {
                assertThat(r.get(60, TimeUnit.SECONDS).state()).isEqualTo(ServiceState.READY);
            }

            assertThat(orchestrators).allMatch(StartupOrchestrator::isReady);
            assertThat(appliedVersions("public")).containsExactly(Map.entry("1", 1), Map.entry("2", 1), Map.entry("3", 1));
            assertThat(failedRows("public")).isZero();
            List<Duration> waits = migrations.stream().map(m -> m.lastLockWait().orElseThrow()).toList();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            for (int i = 0; i < instances; i++) {
                MigrationMetrics.bind(migrations.get(i), registry, Tags.of("instance", Integer.toString(i)));
                assertThat(registry.get("coldstart.migration.lock.wait").tags("instance", Integer.toString(i), "component",
                        "migrations").gauge().value()).isEqualTo(waits.get(i).toNanos() / 1e9);
            }
            assertThat(waits).filteredOn(w -> w.compareTo(Duration.ofMillis(500)) >= 0).isNotEmpty();
            assertThat(migrations).allSatisfy(m -> assertThat(m.schemaStatus().orElseThrow().currentVersion()).isEqualTo("3"));
            assertThat(indexExists("public", "tenant_name_idx")).isTrue();
        } finally {
            threads.shutdownNow();
            orchestrators.forEach(StartupOrchestrator::stop);
        }
    }

    @Test
    void aWaiterTakesOverWhenTheHolderSessionIsTerminated() throws Exception {
        MigrationConfig config = lockMigrations("cs02_terminate").build();
        DataSourceComponent pool = DataSourceComponent.of("db", db.poolConfig("cs-lock-waiter").build());
        MigrationComponent m = MigrationComponent.of("migrations", pool, config);
        Connection holder = db.connect("cs-lock-dying-holder");
        try (StartupOrchestrator o = StartupOrchestrator.builder().serviceName("waiter").component(pool).component(m).build()) {
            int holderPid = lock(holder, config.lockKey());
            CompletableFuture<StartupReport> ready = o.startAsync();
            await().atMost(Duration.ofSeconds(15)).until(() -> isPolling(DataSourceComponent.dedicatedApplicationName("cs-lock-waiter")));
            assertThat(o.isReady()).isFalse();

            db.execute("SELECT pg_terminate_backend(" + holderPid + ")");

            assertThat(ready.get(30, TimeUnit.SECONDS).state()).isEqualTo(ServiceState.READY);
            assertThat(m.lastLockWait().orElseThrow()).isPositive();
            assertThat(appliedVersions("cs02_terminate")).containsExactly(
                    Map.entry("1", 1), Map.entry("2", 1), Map.entry("3", 1));
            assertThat(failedRows("cs02_terminate")).isZero();
        } finally {
            closeQuietly(holder);
        }
    }

    @Test
    void aWaitPastItsDeadlineNamesTheHolderPidAndApplicationNameAndIsNotRetried() throws Exception {
        MigrationConfig config = lockMigrations("cs02_timeout").lockTimeout(Duration.ofSeconds(1)).build();
        DataSourceComponent pool = DataSourceComponent.of("db", db.poolConfig("cs-lock-impatient").build());
        MigrationComponent m = MigrationComponent.of("migrations", pool, config);
        try (Connection holder = db.connect("cs-lock-stuck-holder");
                StartupOrchestrator o = StartupOrchestrator.builder().serviceName("impatient").component(pool).component(m)
                        .build()) {
            int holderPid = lock(holder, config.lockKey());
            long t0 = System.nanoTime();

            StartupFailedException failed = catchThrowableOfType(StartupFailedException.class, o::start);

            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            assertThat(failed.getCause()).isInstanceOf(MigrationLockTimeoutException.class);
            MigrationLockTimeoutException timeout = (MigrationLockTimeoutException) failed.getCause();
            assertThat(timeout.holderPid()).isEqualTo(holderPid);
            assertThat(timeout.holderApplicationName()).isEqualTo("cs-lock-stuck-holder");
            assertThat(timeout.lockKey()).isEqualTo(config.lockKey());
            assertThat(timeout.lockName()).isEqualTo("cs02_timeout.flyway_schema_history");
            assertThat(timeout.waited()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(timeout.getMessage()).contains("pid " + holderPid, "application_name 'cs-lock-stuck-holder'",
                    "'cs02_timeout.flyway_schema_history'", "key " + config.lockKey(),
                    "pg_terminate_backend(" + holderPid + ")");
            assertThat(failed.report().components()).filteredOn(c -> c.name().equals("migrations"))
                    .singleElement().satisfies(c -> assertThat(c.attempts()).isEqualTo(1));
            assertThat(o.isReady()).isFalse();
        }
    }

    @Test
    void anUpToDateSchemaIsCheckedWithoutWaitingForTheLock() throws Exception {
        MigrationConfig config = lockMigrations("cs02_uptodate").lockTimeout(Duration.ofSeconds(1)).build();
        DataSourceComponent firstPool = DataSourceComponent.of("db", db.poolConfig("cs-lock-first").build());
        try (StartupOrchestrator first = StartupOrchestrator.builder().serviceName("first").component(firstPool)
                .component(MigrationComponent.of("migrations", firstPool, config)).build()) {
            assertThat(first.start().state()).isEqualTo(ServiceState.READY);
        }
        DataSourceComponent pool = DataSourceComponent.of("db", db.poolConfig("cs-lock-restart").build());
        MigrationComponent m = MigrationComponent.of("migrations", pool, config);
        // Another instance holds the lock (say, a newer release migrating): a restart with nothing to do
        // must not wait for it, let alone time out after lockTimeout.
        try (Connection holder = db.connect("cs-lock-busy-holder");
                StartupOrchestrator o = StartupOrchestrator.builder().serviceName("restart").component(pool).component(m)
                        .build()) {
            lock(holder, config.lockKey());

            assertThat(o.start().state()).isEqualTo(ServiceState.READY);
            assertThat(m.lastLockWait()).contains(Duration.ZERO);
            assertThat(m.schemaStatus().orElseThrow().currentVersion()).isEqualTo("3");
        }
    }

    private static int lock(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?), pg_backend_pid()")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(2);
            }
        }
    }

    private static boolean isPolling(String applicationName) throws SQLException {
        try (Connection c = db.connect("cs-test-observer");
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
                        + " AND application_name = ? AND query LIKE '%pg_try_advisory_lock%'")) {
            ps.setString(1, db.name);
            ps.setString(2, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private static Map<String, Integer> appliedVersions(String schema) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Connection c = db.connect("cs-test-observer"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, count(*) FROM " + schema + ".flyway_schema_history"
                        + " WHERE version IS NOT NULL GROUP BY version ORDER BY version")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    private static int failedRows(String schema) throws SQLException {
        try (Connection c = db.connect("cs-test-observer"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE NOT success")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean indexExists(String schema, String index) throws SQLException {
        try (Connection c = db.connect("cs-test-observer");
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_indexes WHERE schemaname = ? AND indexname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // terminated by the test
        }
    }
}
