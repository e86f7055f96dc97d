package dev.coldstart.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CS-03: init-time seeding by 8 concurrent instances, repeated 20 times, on a real PostgreSQL. */
class InitOnceIT {
    private static final int INSTANCES = 8;
    private static final int REPETITIONS = 20;
    private static final List<String> SETTINGS = List.of("locale", "currency", "time_zone");

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() throws Exception {
        db = TestDatabase.create("seed");
        // tenant has a unique key (conflicts surface as 23505 or 40001); setting has none, so only the
        // isolation level keeps check-then-insert from duplicating rows.
        db.execute("CREATE TABLE tenant (key text PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE setting (tenant_key text NOT NULL, name text NOT NULL, value text NOT NULL)");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        db.close();
    }

    /** Insert-if-absent of a default tenant and its settings, written as check-then-insert. */
    private static void seedDefaultTenant(Connection c) throws SQLException {
        if (!exists(c, "SELECT 1 FROM tenant WHERE key = ?", "default")) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tenant (key, name) VALUES (?, ?)")) {
                ps.setString(1, "default");
                ps.setString(2, "Default tenant");
                ps.executeUpdate();
            }
        }
        for (String name : SETTINGS) {
            if (!exists(c, "SELECT 1 FROM setting WHERE tenant_key = 'default' AND name = ?", name)) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO setting (tenant_key, name, value) VALUES ('default', ?, 'initial')")) {
                    ps.setString(1, name);
                    ps.executeUpdate();
                }
            }
        }
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Test
    void eightInstancesSeedingTwentyTimesLeaveExactlyOneRowPerKeyAndNoConflictReachesThem() throws Exception {
        List<DataSourceComponent> pools = new ArrayList<>();
        List<InitOnce> seeds = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            DataSourceComponent pool = DataSourceComponent.of("db", db.poolConfig("cs-seed-" + i).maximumPoolSize(1).build());
            pool.start();
            pools.add(pool);
            seeds.add(InitOnce.of("seed", pool, InitOnceSeed::seed));
        }
        ExecutorService threads = Executors.newFixedThreadPool(INSTANCES);
        try {
            for (int rep = 0; rep < REPETITIONS; rep++) {
                db.execute("TRUNCATE tenant, setting");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<InitOnce.SeedResult>> results = new ArrayList<>();
                for (InitOnce seed : seeds) {
                    results.add(threads.submit(() -> {
                        go.await(10, TimeUnit.SECONDS);
                        return seed.run();
                    }));
                }
                go.countDown();
                for (Future<InitOnce.SeedResult> r : results) {
                    assertThat(r.get(30, TimeUnit.SECONDS).attempts()).isBetween(1, InitOnceConfig.DEFAULT_MAX_ATTEMPTS);
                }

                assertThat(rowsPerKey("SELECT key, count(*) FROM tenant GROUP BY key")).as("repetition %d", rep)
                        .containsExactly(Map.entry("default", 1));
                assertThat(rowsPerKey("SELECT name, count(*) FROM setting GROUP BY name ORDER BY name"))
                        .as("repetition %d", rep)
                        .containsExactly(Map.entry("currency", 1), Map.entry("locale", 1), Map.entry("time_zone", 1));
            }
            long retries = seeds.stream().mapToLong(InitOnce::retries).sum();
            assertThat(retries).as("retries across %d runs", INSTANCES * REPETITIONS).isPositive();
        } finally {
            threads.shutdownNow();
            pools.forEach(p -> p.stop(Duration.ofSeconds(1)));
        }
    }

    @Test
    void aFailureThatIsNotAConflictReachesTheCallerAtOnce() throws Exception {
        DataSourceComponent pool = DataSourceComponent.of("db", db.poolConfig("cs-seed-broken").maximumPoolSize(1).build());
        pool.start();
        try {
            InitOnce seed = InitOnce.of("seed", pool, c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO no_such_table VALUES (1)");
                }
            });

            SQLException e = catchThrowableOfType(SQLException.class, seed::run);

            assertThat(e.getSQLState()).isEqualTo("42P01");
            assertThat(seed.retries()).isZero();
            assertThat(seed.probe().isUp()).isFalse();
        } finally {
            pool.stop(Duration.ofSeconds(1));
        }
    }

    private static Map<String, Integer> rowsPerKey(String sql) throws SQLException {
        Map<String, Integer> rows = new LinkedHashMap<>();
        try (Connection c = db.connect("cs-test-observer"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getInt(2));
            }
        }
        return rows;
    }

    /** The seeding work under test, named for the stack traces. */
    private static final class InitOnceSeed {
        static void seed(Connection c) throws SQLException {
            seedDefaultTenant(c);
        }
    }
}
