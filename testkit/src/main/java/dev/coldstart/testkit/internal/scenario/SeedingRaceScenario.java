package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.AttemptRecord;
import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupReport;
import dev.coldstart.database.InitOnce;
import dev.coldstart.database.MigrationComponent;
import dev.coldstart.testkit.DatabaseScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.ServiceFactory;
import dev.coldstart.testkit.ServiceInstance;
import dev.coldstart.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * CS-03 transaction_isolation_concurrent_init: see {@code DatabaseScenarios}. Each repetition runs
 * on a fresh database, migrated with the service's own migrations and holding no seeded rows, so
 * every race starts from the same state.
 */
public final class SeedingRaceScenario {
    /** What a retryable SQLSTATE looks like when it escapes into a start attempt's error. */
    private static final Pattern ESCAPED = Pattern.compile(
            "40001|40P01|23505|could not serialize|deadlock detected|duplicate key value", Pattern.CASE_INSENSITIVE);
    private static final int POOL_SIZE = 2;

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
    public SeedingRaceScenario(ScenarioContext ctx, ServiceFactory factory, DatabaseScenarioParameters parameters) {
        this.ctx = ctx;
        this.factory = factory;
        this.p = parameters;
    }

    /**
     * Runs the scenario and asserts every pass criterion.
     *
     * @throws Exception on failure
     */
    public void run() throws Exception {
        long retries = 0;
        int runsWithRetries = 0;
        List<String> escaped = new ArrayList<>();
        for (int r = 0; r < p.seedingRepetitions(); r++) {
            try (TestDatabase db = TestDatabase.create("cs03_r" + r)) {
                String tag = ScenarioSupport.tag();
                List<ServiceInstance> instances = new ArrayList<>();
                List<InitOnce> seeds = new ArrayList<>();
                try {
                    for (int i = 0; i < p.seedingInstances(); i++) {
                        ServiceInstance inst = factory.create(ScenarioSupport.environment(db, db.jdbcUrl(),
                                "cs03-" + tag + "-" + i).maximumPoolSize(POOL_SIZE).startTimeout(p.startDeadline()).build());
                        instances.add(inst);
                        seeds.add(ScenarioSupport.component(ctx, inst, InitOnce.class));
                    }
                    // The schema is in place before the race (as after a deploy's migration), so the instances
                    // reach their seeding together instead of one by one behind the migration lock.
                    MigrationComponent migrations = ScenarioSupport.component(ctx, instances.get(0), MigrationComponent.class);
                    ScenarioSupport.flywayConfig(db, migrations.config()).load().migrate();
                    List<CompletableFuture<StartupReport>> started = ScenarioSupport.startTogether(instances);
                    for (CompletableFuture<StartupReport> f : started) {
                        StartupReport report = ScenarioSupport.await(f, p.startDeadline(), ctx.id() + " instance");
                        assertThat(report.state()).isEqualTo(ServiceState.READY);
                        collectEscaped(report, r, escaped);
                    }
                    for (InitOnce seed : seeds) {
                        retries += seed.retries();
                        runsWithRetries += seed.retries() > 0 ? 1 : 0;
                    }
                    checkRows(db, r);
                } finally {
                    instances.forEach(ServiceInstance::close);
                }
            }
        }
        ctx.figure("repetitions", p.seedingRepetitions());
        ctx.figure("instances", p.seedingInstances());
        ctx.figure("retriedTransactions", retries);
        ctx.figure("runsThatRetried", runsWithRetries);
        ctx.figure("escapedToCaller", escaped.size());
        assertThat(escaped).as("retryable SQLSTATEs that reached the orchestrator instead of being retried "
                + "inside the seeding transaction").isEmpty();
    }

    private static void collectEscaped(StartupReport report, int repetition, List<String> escaped) {
        for (ComponentReport c : report.components()) {
            for (AttemptRecord a : c.attemptHistory()) {
                if (a.error() != null && ESCAPED.matcher(a.error()).find()) {
                    escaped.add("repetition " + repetition + ", " + c.name() + " attempt " + a.number() + ": " + a.error());
                }
            }
        }
    }

    private void checkRows(TestDatabase db, int repetition) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (Map.Entry<String, Integer> check : p.seededRowCounts().entrySet()) {
                try (ResultSet rs = s.executeQuery(check.getKey())) {
                    assertThat(rs.next()).as("%s returned no row", check.getKey()).isTrue();
                    assertThat(rs.getInt(1)).as("repetition %d: %s", repetition, check.getKey()).isEqualTo(check.getValue());
                }
            }
        }
    }
}
