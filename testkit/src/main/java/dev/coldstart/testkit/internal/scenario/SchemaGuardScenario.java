package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.Availability;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupListener;
import dev.coldstart.core.StartupReport;
import dev.coldstart.database.MigrationComponent;
import dev.coldstart.database.MigrationConfig;
import dev.coldstart.testkit.DatabaseScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.ServiceFactory;
import dev.coldstart.testkit.ServiceInstance;
import dev.coldstart.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * CS-04 schema_version_mismatch_detection: see {@code DatabaseScenarios}. The scenario prepares each
 * database with Flyway itself, using the service's own migration locations, then starts one
 * instance against it.
 */
public final class SchemaGuardScenario {
    private final ScenarioContext ctx;
    private final ServiceFactory factory;
    private final DatabaseScenarioParameters p;

    /**
     * Prepares the scenario.
     *
     * @param ctx the scenario's context
     * @param factory the user's service
     * @param parameters the figures
     */
    public SchemaGuardScenario(ScenarioContext ctx, ServiceFactory factory, DatabaseScenarioParameters parameters) {
        this.ctx = ctx;
        this.factory = factory;
        this.p = parameters;
    }

    /** What happened when an instance started against a prepared database. */
    private record Outcome(StartupReport report, StartupFailedException failure, boolean everReady) {
    }

    /**
     * Runs the scenario and asserts every pass criterion.
     *
     * @throws Exception on failure
     */
    public void run() throws Exception {
        MigrationConfig config;
        List<MigrationVersion> shipped;
        try (TestDatabase probe = TestDatabase.create("cs04_shipped")) {
            ServiceInstance inst = ScenarioSupport.create(ctx, factory, env(probe, "cs04-shipped"));
            config = ScenarioSupport.component(ctx, inst, MigrationComponent.class).config();
            shipped = new ArrayList<>();
            for (MigrationInfo i : ScenarioSupport.flywayConfig(probe, config).load().info().pending()) {
                if (i.getVersion() != null) {
                    shipped.add(i.getVersion());
                }
            }
            inst.close();
        }
        assertThat(shipped).as("versioned migrations the service ships in %s", config.locations()).isNotEmpty();
        MigrationVersion latest = shipped.get(shipped.size() - 1);
        String newer = next(latest.getVersion());
        ctx.figure("shippedVersion", latest.getVersion());

        pendingWork(config, shipped, latest);
        newerSchema(config, latest, newer);
        failedRow(config, latest, newer);
        checksumDrift(config, shipped.get(0));
    }

    private void pendingWork(MigrationConfig config, List<MigrationVersion> shipped, MigrationVersion latest) throws Exception {
        try (TestDatabase db = TestDatabase.create("cs04_pending")) {
            if (shipped.size() > 1) {
                ScenarioSupport.flywayConfig(db, config).target(shipped.get(shipped.size() - 2)).load().migrate();
            }
            Outcome o = start(db, "cs04-pending");
            if (o.failure() == null) {
                assertThat(current(db, config)).as("schema version after pending work was applied").isEqualTo(latest.getVersion());
                ctx.figure("pending", "applied");
            } else {
                assertThat(o.failure().getMessage()).as("refusal of pending work names the versions")
                        .contains(latest.getVersion());
                assertThat(o.everReady()).as("READY against a refused schema").isFalse();
                ctx.figure("pending", "refused by policy");
            }
        }
    }

    private void newerSchema(MigrationConfig config, MigrationVersion latest, String newer) throws Exception {
        Path dir = Files.createTempDirectory("coldstart-cs04-");
        try (TestDatabase db = TestDatabase.create("cs04_newer")) {
            Files.writeString(dir.resolve("V" + newer + "__newer_release.sql"), "SELECT 1;\n", StandardCharsets.UTF_8);
            ScenarioSupport.flywayConfig(db, config, "filesystem:" + dir).load().migrate();
            Outcome o = start(db, "cs04-newer");
            boolean declared = p.declaredCompatibleUpTo() != null
                    && MigrationVersion.fromVersion(p.declaredCompatibleUpTo()).compareTo(MigrationVersion.fromVersion(newer)) >= 0;
            if (declared) {
                assertThat(o.failure()).as("start against schema %s, declared compatible up to %s", newer,
                        p.declaredCompatibleUpTo()).isNull();
                ctx.figure("newerSchema", "accepted as declared");
            } else {
                assertThat(o.failure()).as("start against schema %s when the service ships %s and declares no "
                        + "compatibility", newer, latest.getVersion()).isNotNull();
                assertThat(o.failure().getMessage()).as("the refusal names the expected and found versions")
                        .contains(latest.getVersion()).contains(newer);
                assertThat(o.everReady()).as("READY against a refused newer schema").isFalse();
                ctx.figure("newerSchema", "refused");
            }
        } finally {
            deleteTree(dir);
        }
    }

    private void failedRow(MigrationConfig config, MigrationVersion latest, String newer) throws Exception {
        try (TestDatabase db = TestDatabase.create("cs04_failed")) {
            ScenarioSupport.flywayConfig(db, config).load().migrate();
            String script = "V" + newer + "__newer_release_that_failed.sql";
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + table(config) + " (installed_rank, version, description, type, script,"
                        + " checksum, installed_by, execution_time, success) SELECT max(installed_rank) + 1, '" + newer
                        + "', 'newer release that failed', 'SQL', '" + script + "', 0, 'coldstart-testkit', 0, false FROM "
                        + table(config));
            }
            Outcome o = start(db, "cs04-failed");
            assertThat(o.failure()).as("start against a history with a failed row").isNotNull();
            assertThat(o.failure().getMessage()).as("the refusal names the failed migration")
                    .containsAnyOf(script, "version " + newer, newer);
            assertThat(o.everReady()).as("READY with a failed migration row").isFalse();
            ctx.figure("failedRow", "refused");
        }
    }

    private void checksumDrift(MigrationConfig config, MigrationVersion first) throws Exception {
        try (TestDatabase db = TestDatabase.create("cs04_drift")) {
            ScenarioSupport.flywayConfig(db, config).load().migrate();
            String script;
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE " + table(config) + " SET checksum = coalesce(checksum, 0) + 1 WHERE version = '"
                        + first.getVersion() + "'");
                try (var rs = s.executeQuery("SELECT script FROM " + table(config) + " WHERE version = '"
                        + first.getVersion() + "'")) {
                    rs.next();
                    script = rs.getString(1);
                }
            }
            Outcome o = start(db, "cs04-drift");
            assertThat(o.failure()).as("start against an applied script whose checksum differs").isNotNull();
            assertThat(o.failure().getMessage()).as("the refusal names the drifted script").contains(script);
            assertThat(o.everReady()).as("READY with checksum drift").isFalse();
            ctx.figure("checksumDrift", "refused");
        }
    }

    private Outcome start(TestDatabase db, String name) throws Exception {
        ServiceInstance inst = ScenarioSupport.create(ctx, factory, env(db, name + "-" + ScenarioSupport.tag()));
        AtomicBoolean everReady = new AtomicBoolean();
        inst.orchestrator().addListener(new StartupListener() {
            @Override
            public void onAvailabilityChanged(Availability availability) {
                if (availability.isReady()) {
                    everReady.set(true);
                }
            }
        });
        try {
            StartupReport report = inst.orchestrator().startAsync()
                    .get(p.startDeadline().toMillis() + 10_000, TimeUnit.MILLISECONDS);
            assertThat(report.state()).isEqualTo(ServiceState.READY);
            return new Outcome(report, null, true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StartupFailedException f) {
                return new Outcome(f.report(), f, everReady.get() || inst.orchestrator().isReady());
            }
            throw e;
        } finally {
            inst.close();
        }
    }

    private dev.coldstart.testkit.ServiceEnvironment env(TestDatabase db, String name) {
        return ScenarioSupport.environment(db, db.jdbcUrl(), name).startTimeout(p.startDeadline()).build();
    }

    private static String table(MigrationConfig config) {
        return (config.schema() == null ? "" : config.schema() + ".") + config.table();
    }

    private static String current(TestDatabase db, MigrationConfig config) {
        MigrationInfo current = ScenarioSupport.flywayConfig(db, config).load().info().current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    /** The version after this one in its last numeric part: {@code 4} gives {@code 5}, {@code 1.2} gives {@code 1.3}. */
    static String next(String version) {
        int dot = version.lastIndexOf('.');
        String head = dot < 0 ? "" : version.substring(0, dot + 1);
        String last = dot < 0 ? version : version.substring(dot + 1);
        return head + (new java.math.BigInteger(last).add(java.math.BigInteger.ONE));
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
