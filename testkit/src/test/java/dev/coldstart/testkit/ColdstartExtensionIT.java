package dev.coldstart.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

class ColdstartExtensionIT {

    static final Set<String> DATABASES = ConcurrentHashMap.newKeySet();
    static final Set<String> PREFIXES = ConcurrentHashMap.newKeySet();

    @ColdstartScenarios
    static class Fixture {
        @RealPostgres
        static TestDatabase shared;
        @RealPostgres
        TestDatabase perTest;
        @RealRedis
        TestRedis redis;

        @Test
        void cs01_connection_pool_race_during_cold_start(ScenarioContext ctx) throws Exception {
            record(ctx);
            ctx.figure("answer", 42);
            ctx.figure("ratio", 5.25);
        }

        @Test
        void cs02_migration_lock_conflicts_multiple_services(ScenarioContext ctx) throws Exception {
            record(ctx);
            ctx.figure("attempts", 7);
            throw new AssertionError("deliberate failure: expected 1 row, found 2");
        }

        private void record(ScenarioContext ctx) throws Exception {
            assertThat(perTest.name()).isNotEqualTo(shared.name());
            try (Connection c = perTest.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(perTest.name());
            }
            DATABASES.add(shared.name());
            DATABASES.add(perTest.name());
            DATABASES.add(ctx.database().name());
            PREFIXES.add(redis.prefix());
            RedisClient client = RedisClient.create(redis.uri().toString());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().set(redis.prefix() + "k", "v");
            } finally {
                client.shutdown();
            }
        }
    }

    @ColdstartScenarios
    static class MisusedFixture {
        @RealPostgres
        static String notADatabase;

        @Test
        void anything() {
        }
    }

    @Test
    void injectsFreshResourcesRecordsEveryScenarioAndCleansUpAfterwards(@TempDir Path out) throws Exception {
        var results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(ScenarioCatalogue.OUTPUT_DIR_PARAMETER, out.toString())
                .selectors(selectClass(Fixture.class))
                .execute();

        results.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        // one shared database, one per test (x2), one ScenarioContext database per test (x2)
        assertThat(DATABASES).hasSize(5);
        try (Connection c = DriverManager.getConnection(RealServices.postgres().jdbcUrl("postgres"),
                RealServices.postgres().user(), RealServices.postgres().password())) {
            for (String db : DATABASES) {
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT count(*) FROM pg_database WHERE datname = '" + db + "'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("database %s dropped", db).isZero();
                }
            }
        }
        RedisClient client = RedisClient.create(RealServices.redis().toString());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (String prefix : PREFIXES) {
                assertThat(c.sync().keys(prefix + "*")).as("keys under %s deleted", prefix).isEmpty();
            }
        } finally {
            client.shutdown();
        }

        String table = Files.readString(out.resolve("scenario-catalogue.txt"));
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("SCENARIO").contains("RESULT");
        assertThat(lines.get(1)).startsWith("CS-01").contains("connection_pool_race_during_cold_start")
                .contains("PASS").contains("answer=42").contains("ratio=5.250");
        assertThat(lines.get(2)).startsWith("CS-02").contains("FAIL").contains("attempts=7")
                .contains("FAILED: deliberate failure: expected 1 row, found 2");
        assertThat(table).contains("1 of 2 scenarios passed");
        String json = Files.readString(out.resolve("scenario-catalogue.json"));
        assertThat(json).startsWith("{\"scenarios\":[{\"id\":\"CS-01\"")
                .contains("\"passed\":false").contains("\"figures\":{\"answer\":\"42\"");
    }

    @Test
    void misuseNamesTheField() {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(MisusedFixture.class)).execute();

        results.containerEvents().assertStatistics(s -> s.failed(1));
        Throwable error = results.containerEvents().failed().list().get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(error).hasMessageContaining("MisusedFixture.notADatabase")
                .hasMessageContaining("declare it as TestDatabase");
    }
}
