package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupReport;
import dev.coldstart.database.ConnectionBudget;
import dev.coldstart.database.DataSourceComponent;
import dev.coldstart.testkit.DatabaseScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.ServiceFactory;
import dev.coldstart.testkit.ServiceInstance;
import dev.coldstart.testkit.TestDatabase;
import dev.coldstart.testkit.fault.FaultSchedule;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * CS-05 connection_retry_storm_overwhelming_db: see {@code DatabaseScenarios}.
 *
 * <p>Two fault proxies in front of the same database reset every connection for the outage, from
 * the same instant: the service's instances go through one, the naive baseline (a plain JDBC
 * connect every 500 ms per instance, what code without backoff does) through the other, so both
 * counts come from the same run on the same machine. The schema is migrated once before the outage:
 * the scenario is a restart against a database that went down, not a first deploy.
 */
public final class RetryStormScenario {
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
    public RetryStormScenario(ScenarioContext ctx, ServiceFactory factory, DatabaseScenarioParameters parameters) {
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
        TestDatabase db = ctx.database();
        String tag = ScenarioSupport.tag();
        try (ServiceInstance first = factory.create(ScenarioSupport.environment(db, db.jdbcUrl(), "cs05-first-" + tag)
                .maximumPoolSize(p.stormPoolSize()).startTimeout(p.startDeadline()).build())) {
            assertThat(first.orchestrator().start().state()).isEqualTo(ServiceState.READY);
        }

        TcpFaultProxy ours = ctx.closeAfter(TcpFaultProxy.start(db.server().host(), db.server().port()));
        TcpFaultProxy naive = ctx.closeAfter(TcpFaultProxy.start(db.server().host(), db.server().port()));
        String app = "cs05-" + tag;
        List<ServiceInstance> instances = new ArrayList<>();
        int[] poolSizes = new int[p.stormInstances()];
        for (int i = 0; i < p.stormInstances(); i++) {
            ServiceInstance inst = ScenarioSupport.create(ctx, factory, ScenarioSupport.environment(db,
                    db.jdbcUrl(ours.host(), ours.port()), app + "-" + i)
                    .maximumPoolSize(p.stormPoolSize()).startTimeout(p.startDeadline()).build());
            instances.add(inst);
            // One dedicated connection per instance comes on top of its pool (the migration lock).
            poolSizes[i] = ScenarioSupport.component(ctx, inst, DataSourceComponent.class).config().maximumPoolSize() + 1;
        }
        ConnectionBudget.Report budget;
        try (Connection c = db.connect()) {
            budget = ConnectionBudget.ofPools(poolSizes).check(c);
        }

        ExecutorService baseline = Executors.newFixedThreadPool(p.stormInstances());
        try (ConnectionSampler sampler = ConnectionSampler.start(db, app + "-%")) {
            FaultSchedule outage = FaultSchedule.builder().resetFor(p.stormOutage()).thenForward();
            CompletableFuture<Void> oursBack = ours.schedule(outage);
            CompletableFuture<Void> naiveBack = naive.schedule(outage);
            List<CompletableFuture<StartupReport>> started = ScenarioSupport.startTogether(instances);
            long stopBaselineAt = System.nanoTime() + p.stormOutage().toNanos() + TimeUnit.SECONDS.toNanos(5);
            List<CompletableFuture<Integer>> naiveLoops = new ArrayList<>();
            for (int i = 0; i < p.stormInstances(); i++) {
                naiveLoops.add(CompletableFuture.supplyAsync(() -> naiveRetries(db, naive, stopBaselineAt), baseline));
            }

            Duration wait = p.stormOutage().plusSeconds(10);
            ScenarioSupport.await(oursBack, wait, ctx.id() + " outage schedule");
            long oursAttempts = ours.stats().connectionAttempts();
            Instant recoveredAt = Instant.now();
            ScenarioSupport.await(naiveBack, wait, ctx.id() + " baseline outage schedule");
            long naiveAttempts = naive.stats().connectionAttempts();

            Duration slowestRecovery = Duration.ZERO;
            for (CompletableFuture<StartupReport> f : started) {
                StartupReport report = ScenarioSupport.await(f, p.startDeadline(), ctx.id() + " instance");
                ctx.report(report);
                assertThat(report.state()).as("an instance gave up before its start deadline").isEqualTo(ServiceState.READY);
                Duration recovery = Duration.between(recoveredAt, report.readyAt());
                slowestRecovery = recovery.compareTo(slowestRecovery) > 0 ? recovery : slowestRecovery;
            }
            for (CompletableFuture<Integer> loop : naiveLoops) {
                ScenarioSupport.await(loop, wait, ctx.id() + " baseline loop");
            }
            double ratio = naiveAttempts / (double) Math.max(1, oursAttempts);
            ctx.figure("instances", p.stormInstances());
            ctx.figure("attemptsDuringOutage", oursAttempts);
            ctx.figure("fixed500msAttempts", naiveAttempts);
            ctx.figure("ratio", ratio);
            ctx.figure("slowestReadyAfterRecoveryMillis", slowestRecovery.toMillis());
            ctx.figure("maxConnections", sampler.max());
            ctx.figure("connectionBudget", budget.available());

            assertThat(naiveAttempts).as("baseline attempts (sanity: the baseline really retried)")
                    .isGreaterThanOrEqualTo(p.stormInstances() * 2L);
            assertThat(ratio).as("fixed-interval attempts / the service's attempts during the outage (%d / %d)",
                    naiveAttempts, oursAttempts).isGreaterThanOrEqualTo(p.stormMinAttemptRatio());
            assertThat(slowestRecovery).as("slowest instance's time from the database's return to READY")
                    .isLessThanOrEqualTo(p.stormRecoveryBound());
            assertThat(budget.fits()).as("the instances' pools fit the server: %s", budget).isTrue();
            assertThat(sampler.max()).as("connections of all instances in pg_stat_activity")
                    .isLessThanOrEqualTo(budget.available());
        } finally {
            baseline.shutdownNow();
        }
    }

    /** A plain JDBC connect every interval until one succeeds or the time is up: no backoff, no jitter. */
    private int naiveRetries(TestDatabase db, TcpFaultProxy proxy, long stopAtNanos) {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password());
        props.setProperty("connectTimeout", "2");
        props.setProperty("ApplicationName", "cs05-naive");
        int attempts = 0;
        while (System.nanoTime() < stopAtNanos) {
            long next = System.nanoTime() + p.stormBaselineInterval().toNanos();
            attempts++;
            try {
                DriverManager.getConnection(db.jdbcUrl(proxy.host(), proxy.port()), props).close();
                return attempts;
            } catch (Exception e) {
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        }
        return attempts;
    }
}
