package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupReport;
import dev.coldstart.database.MigrationComponent;
import dev.coldstart.testkit.DatabaseScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.ServiceEnvironment;
import dev.coldstart.testkit.ServiceFactory;
import dev.coldstart.testkit.ServiceInstance;
import dev.coldstart.testkit.ServiceProcessFactory;
import dev.coldstart.testkit.TestDatabase;
import dev.coldstart.testkit.fault.ChildJvm;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * CS-02 migration_lock_conflicts_multiple_services: see {@code DatabaseScenarios}. Four parts, each
 * on a fresh database: instances (threads) racing; processes and threads racing, when the user
 * gives a process factory; a lock holder whose session is terminated; a wait past its deadline.
 */
public final class MigrationLockScenario {
    private static final Duration LOCK_DEADLINE = Duration.ofSeconds(2);

    private final ScenarioContext ctx;
    private final ServiceFactory factory;
    private final ServiceProcessFactory processes;
    private final DatabaseScenarioParameters p;

    /**
     * Prepares the scenario.
     *
     * @param ctx the scenario's context
     * @param factory the user's service
     * @param processes how to run it as a process; null to race threads only
     * @param parameters the figures
     */
    public MigrationLockScenario(ScenarioContext ctx, ServiceFactory factory, ServiceProcessFactory processes,
            DatabaseScenarioParameters parameters) {
        this.ctx = ctx;
        this.factory = factory;
        this.processes = processes;
        this.p = parameters;
    }

    /**
     * Runs the scenario and asserts every pass criterion.
     *
     * @throws Exception on failure
     */
    public void run() throws Exception {
        instancesRace();
        if (processes != null) {
            processesRace();
        } else {
            ctx.figure("processes", "not given");
        }
        terminatedHolder();
        waitPastDeadline();
    }

    private void instancesRace() throws Exception {
        TestDatabase db = ctx.database();
        String tag = ScenarioSupport.tag();
        List<ServiceInstance> instances = new ArrayList<>();
        List<MigrationComponent> migrations = new ArrayList<>();
        for (int i = 0; i < p.migrationInstances(); i++) {
            ServiceInstance inst = ScenarioSupport.create(ctx, factory, env(db, "cs02-" + tag + "-" + i).build());
            instances.add(inst);
            migrations.add(ScenarioSupport.component(ctx, inst, MigrationComponent.class));
        }
        List<CompletableFuture<StartupReport>> started = ScenarioSupport.startTogether(instances);
        for (CompletableFuture<StartupReport> f : started) {
            assertThat(ScenarioSupport.await(f, p.startDeadline(), ctx.id() + " instance").state())
                    .isEqualTo(ServiceState.READY);
        }
        assertHistoryOnce(db, migrations.get(0));
        long waiters = migrations.stream().filter(m -> m.lastLockWait().orElseThrow().compareTo(Duration.ZERO) > 0).count();
        long longest = migrations.stream().mapToLong(m -> m.lastLockWait().orElseThrow().toMillis()).max().orElse(0);
        ctx.figure("instances", p.migrationInstances());
        ctx.figure("instancesThatWaited", waiters);
        ctx.figure("longestLockWaitMillis", longest);
        assertThat(migrations).as("every instance measured its lock wait (what it logs)")
                .allSatisfy(m -> assertThat(m.lastLockWait()).isPresent());
    }

    private void processesRace() throws Exception {
        try (TestDatabase db = TestDatabase.create("cs02_processes")) {
            String tag = ScenarioSupport.tag();
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    children.add(ChildJvm.start(processes.create(env(db, "cs02p-" + tag + "-" + i).build())));
                }
                List<ServiceInstance> instances = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    instances.add(ScenarioSupport.create(ctx, factory, env(db, "cs02t-" + tag + "-" + i).build()));
                }
                for (CompletableFuture<StartupReport> f : ScenarioSupport.startTogether(instances)) {
                    assertThat(ScenarioSupport.await(f, p.startDeadline(), ctx.id() + " instance").state())
                            .isEqualTo(ServiceState.READY);
                }
                for (ChildJvm child : children) {
                    assertThat(child.awaitExit(p.startDeadline())).as("exit code of %s (0 = READY); output:%n%s",
                            child, child.output()).isZero();
                }
                assertHistoryOnce(db, ScenarioSupport.component(ctx, instances.get(0), MigrationComponent.class));
                ctx.figure("processes", children.size());
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    private void terminatedHolder() throws Exception {
        try (TestDatabase db = TestDatabase.create("cs02_terminated")) {
            String name = "cs02-waiter-" + ScenarioSupport.tag();
            ServiceInstance inst = ScenarioSupport.create(ctx, factory, env(db, name).build());
            MigrationComponent m = ScenarioSupport.component(ctx, inst, MigrationComponent.class);
            try (Connection holder = connect(db, "cs02-crashed-holder")) {
                int holderPid = lock(holder, m.config().lockKey());
                CompletableFuture<StartupReport> started = inst.orchestrator().startAsync();
                // Terminate the holder only once the instance is really waiting for the lock.
                await().atMost(p.startDeadline()).until(() -> pollsForLock(db, name));
                try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(" + holderPid + ")");
                }
                StartupReport report = ScenarioSupport.await(started, p.startDeadline(), ctx.id() + " waiter");
                assertThat(report.state()).isEqualTo(ServiceState.READY);
                assertHistoryOnce(db, m);
                ctx.figure("waitAfterHolderTerminatedMillis", m.lastLockWait().orElseThrow().toMillis());
                assertThat(m.lastLockWait()).as("the waiter's measured wait").hasValueSatisfying(
                        w -> assertThat(w).isPositive());
            }
        }
    }

    private void waitPastDeadline() throws Exception {
        try (TestDatabase db = TestDatabase.create("cs02_deadline")) {
            ServiceInstance inst = ScenarioSupport.create(ctx, factory, env(db, "cs02-impatient-" + ScenarioSupport.tag())
                    .migrationLockTimeout(LOCK_DEADLINE).build());
            MigrationComponent m = ScenarioSupport.component(ctx, inst, MigrationComponent.class);
            String holderName = "cs02-stuck-holder";
            try (Connection holder = connect(db, holderName)) {
                int holderPid = lock(holder, m.config().lockKey());
                long t0 = System.nanoTime();
                CompletableFuture<StartupReport> started = inst.orchestrator().startAsync();
                Throwable failure;
                try {
                    started.get(p.startDeadline().toMillis() + 10_000, TimeUnit.MILLISECONDS);
                    failure = null;
                } catch (ExecutionException e) {
                    failure = e.getCause();
                }
                ctx.figure("deadlineFailureAfterMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                assertThat(failure).as("start while another session holds the lock past the lock deadline")
                        .isInstanceOf(StartupFailedException.class);
                assertThat(failure.getMessage()).as("the error names the lock, the holder's pid and application name")
                        .contains(m.config().lockName())
                        .contains(Integer.toString(holderPid))
                        .contains(holderName);
                assertThat(inst.orchestrator().isReady()).isFalse();
            }
        }
    }

    private ServiceEnvironment.Builder env(TestDatabase db, String name) {
        return ScenarioSupport.environment(db, db.jdbcUrl(), name).startTimeout(p.startDeadline());
    }

    private void assertHistoryOnce(TestDatabase db, MigrationComponent m) throws Exception {
        String table = (m.config().schema() == null ? "" : m.config().schema() + ".") + m.config().table();
        Map<String, Integer> perVersion = new LinkedHashMap<>();
        int failed;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT version, count(*) FROM " + table
                    + " WHERE version IS NOT NULL GROUP BY version ORDER BY min(installed_rank)")) {
                while (rs.next()) {
                    perVersion.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + " WHERE NOT success")) {
                rs.next();
                failed = rs.getInt(1);
            }
        }
        ctx.figure("versions", perVersion.size());
        assertThat(perVersion).as("migration versions in %s", table).isNotEmpty();
        assertThat(perVersion.values()).as("rows per version in %s: %s", table, perVersion).containsOnly(1);
        assertThat(failed).as("failed rows in %s", table).isZero();
    }

    /** Whether a session of the instance is polling for an advisory lock right now. */
    private static boolean pollsForLock(TestDatabase db, String instanceName) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                + "WHERE application_name LIKE ? AND query LIKE '%pg_try_advisory_lock%'")) {
            ps.setString(1, instanceName + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private static Connection connect(TestDatabase db, String applicationName) throws Exception {
        Connection c = db.connect();
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = '" + applicationName + "'");
        }
        return c;
    }

    private static int lock(Connection c, long key) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?), pg_backend_pid()")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(2);
            }
        }
    }
}
