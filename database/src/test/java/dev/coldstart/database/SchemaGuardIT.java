package dev.coldstart.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coldstart.core.NonRetryableException;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.database.SchemaGuard.SchemaStatus;
import dev.coldstart.database.SchemaMismatchException.Reason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CS-04: the service ships migrations up to version 2 (db/guard/v2); each case prepares its own schema. */
class SchemaGuardIT {
    private static final String SHIPS_V2 = "classpath:db/guard/v2";
    private static final String SHIPS_V3 = "classpath:db/guard/v3";

    private static TestDatabase db;
    private static DataSourceComponent pool;

    @BeforeAll
    static void createDatabase() throws Exception {
        db = TestDatabase.create("guard");
        pool = DataSourceComponent.of("db", db.poolConfig("cs-guard").build());
        pool.start();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        pool.stop(Duration.ofSeconds(1));
        db.close();
    }

    /** Brings a schema to a version with plain Flyway, as another release or an operator would. */
    private static void prepare(String schema, String location, String target) {
        Flyway.configure().dataSource(pool.dataSource()).schemas(schema).locations(location).target(target).load().migrate();
    }

    private static MigrationComponent service(String schema, SchemaGuard guard) {
        return MigrationComponent.of("migrations", pool,
                MigrationConfig.builder().locations(SHIPS_V2).schema(schema).schemaGuard(guard).build());
    }

    private static SchemaMismatchException refusal(String schema, SchemaGuard guard) {
        return catchThrowableOfType(SchemaMismatchException.class, () -> service(schema, guard).start());
    }

    @Test
    void appliesPendingMigrationsUnderTheApplyPolicy() throws Exception {
        prepare("g_pending_apply", SHIPS_V2, "1");
        MigrationComponent m = service("g_pending_apply", SchemaGuard.ofDefaults());

        m.start();

        assertThat(m.schemaStatus().orElseThrow()).isEqualTo(new SchemaStatus("2", "2", List.of(), false));
        assertThat(versions("g_pending_apply")).containsExactly("1", "2");
        assertThat(m.probe().isUp()).isTrue();
    }

    @Test
    void refusesPendingMigrationsUnderTheRefusePolicyAndChangesNothing() throws Exception {
        prepare("g_pending_refuse", SHIPS_V2, "1");

        SchemaMismatchException e = refusal("g_pending_refuse",
                SchemaGuard.builder().pendingPolicy(PendingPolicy.REFUSE).build());

        assertThat(e).isInstanceOf(NonRetryableException.class);
        assertThat(e.reason()).isEqualTo(Reason.PENDING_MIGRATIONS);
        assertThat(e.expectedVersion()).isEqualTo("2");
        assertThat(e.foundVersion()).isEqualTo("1");
        assertThat(e.scripts()).containsExactly("V2__add_account_name.sql");
        assertThat(e.getMessage()).contains("at version 1", "expects version 2", "REFUSE", "V2__add_account_name.sql",
                "Run the migrations");
        assertThat(versions("g_pending_refuse")).containsExactly("1");
    }

    @Test
    void refusesANewerSchemaNamingBothVersionsAndNeverBecomesReady() throws Exception {
        prepare("g_newer", SHIPS_V3, "3");
        DataSourceComponent ownPool = DataSourceComponent.of("db", db.poolConfig("cs-guard-old-release").build());
        MigrationComponent m = MigrationComponent.of("migrations", ownPool,
                MigrationConfig.builder().locations(SHIPS_V2).schema("g_newer").build());
        try (StartupOrchestrator o = StartupOrchestrator.builder().serviceName("old-release").component(ownPool)
                .component(m).build()) {

            StartupFailedException failed = catchThrowableOfType(StartupFailedException.class, o::start);

            assertThat(failed.getCause()).isInstanceOf(SchemaMismatchException.class);
            SchemaMismatchException e = (SchemaMismatchException) failed.getCause();
            assertThat(e.reason()).isEqualTo(Reason.NEWER_SCHEMA);
            assertThat(e.expectedVersion()).isEqualTo("2");
            assertThat(e.foundVersion()).isEqualTo("3");
            assertThat(e.getMessage()).contains("at version 3", "expected version 2", "V3__add_account_created.sql",
                    "compatibleUpTo(\"3\")");
            assertThat(o.isReady()).isFalse();
            assertThat(failed.report().components()).filteredOn(c -> c.name().equals("migrations")).singleElement()
                    .satisfies(c -> assertThat(c.attempts()).isEqualTo(1));
        }
        assertThat(m.schemaStatus()).isEmpty();
    }

    @Test
    void acceptsANewerSchemaOnlyWhenDeclaredCompatible() throws Exception {
        prepare("g_newer_ok", SHIPS_V3, "3");

        MigrationComponent upTo3 = service("g_newer_ok", SchemaGuard.builder().compatibleUpTo("3").build());
        upTo3.start();
        MigrationComponent anyNewer = service("g_newer_ok", SchemaGuard.builder().acceptNewerSchema(true).build());
        anyNewer.start();
        SchemaMismatchException tooNew = refusal("g_newer_ok", SchemaGuard.builder().compatibleUpTo("2.5").build());

        assertThat(upTo3.schemaStatus().orElseThrow()).isEqualTo(new SchemaStatus("2", "3", List.of(), true));
        assertThat(anyNewer.schemaStatus().orElseThrow().newerAccepted()).isTrue();
        assertThat(tooNew.reason()).isEqualTo(Reason.NEWER_SCHEMA);
        assertThat(tooNew.getMessage()).contains("declared compatible only up to version 2.5", "at version 3");
        assertThat(versions("g_newer_ok")).containsExactly("1", "2", "3");
    }

    @Test
    void refusesAFailedMigrationRowNamingTheScript() throws Exception {
        prepare("g_failed", SHIPS_V2, "2");
        db.execute("UPDATE g_failed.flyway_schema_history SET success = false WHERE version = '2'");

        SchemaMismatchException e = refusal("g_failed", SchemaGuard.ofDefaults());

        assertThat(e.reason()).isEqualTo(Reason.FAILED_MIGRATION);
        assertThat(e.scripts()).containsExactly("V2__add_account_name.sql");
        assertThat(e.expectedVersion()).isEqualTo("2");
        assertThat(e.getMessage()).contains("recorded as failed", "version 2 (V2__add_account_name.sql)",
                "expecting version 2", "remove the failed row");
    }

    @Test
    void refusesChecksumDriftNamingTheScriptAndBothChecksums() throws Exception {
        prepare("g_drift", SHIPS_V2, "2");
        db.execute("UPDATE g_drift.flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");

        SchemaMismatchException e = refusal("g_drift", SchemaGuard.ofDefaults());

        assertThat(e.reason()).isEqualTo(Reason.VALIDATION_FAILED);
        assertThat(e.scripts()).singleElement().asString().contains("V1__create_account.sql");
        assertThat(e.getMessage()).containsIgnoringCase("checksum").contains("version 1", "V1__create_account.sql",
                "expected version 2, found 2", "Flyway repair");
    }

    @Test
    void rejectsAVersionThatIsNotAFlywayVersion() {
        assertThat(catchThrowableOfType(dev.coldstart.core.ConfigurationException.class,
                () -> SchemaGuard.builder().compatibleUpTo("three")))
                .hasMessage("compatibleUpTo must be a Flyway version such as \"3\" or \"2.1\", but was \"three\"");
    }

    private static List<String> versions(String schema) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection c = db.connect("cs-test-observer"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version FROM " + schema + ".flyway_schema_history"
                        + " WHERE version IS NOT NULL AND success ORDER BY installed_rank")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }
}
