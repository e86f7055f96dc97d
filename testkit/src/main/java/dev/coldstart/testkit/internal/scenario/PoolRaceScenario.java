package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.AttemptRecord;
import dev.coldstart.core.StartupReport;
import dev.coldstart.database.DataSourceComponent;
import dev.coldstart.testkit.DatabaseScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.ServiceEnvironment;
import dev.coldstart.testkit.ServiceFactory;
import dev.coldstart.testkit.ServiceInstance;
import dev.coldstart.testkit.TestDatabase;
import dev.coldstart.testkit.fault.TcpFault;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * CS-01 connection_pool_race_during_cold_start: see {@code DatabaseScenarios}.
 *
 * <p>The application threads start together with the orchestrator and each asks the pool for a
 * connection as soon as the pool object exists (the data source stops refusing), which is the
 * moment the pool is created; the proxy delays every database connect.
 */
public final class PoolRaceScenario {
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
    public PoolRaceScenario(ScenarioContext ctx, ServiceFactory factory, DatabaseScenarioParameters parameters) {
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
        TcpFaultProxy proxy = ctx.closeAfter(TcpFaultProxy.start(db.server().host(), db.server().port()));
        proxy.setFault(TcpFault.latency(p.poolRaceConnectLatency(), Duration.ZERO));
        String app = "cs01-" + ScenarioSupport.tag();
        ServiceEnvironment env = ScenarioSupport.environment(db, db.jdbcUrl(proxy.host(), proxy.port()), app)
                .startTimeout(p.startDeadline()).build();
        ServiceInstance instance = ScenarioSupport.create(ctx, factory, env);
        DataSourceComponent pool = ScenarioSupport.component(ctx, instance, DataSourceComponent.class);
        assertThat(pool.config().applicationName()).as("the pool's JDBC application name: the service must use "
                + "ServiceEnvironment.instanceName() so its connections can be counted").isEqualTo(app);
        int maximumPoolSize = pool.config().maximumPoolSize();
        int threads = p.poolRaceThreads();
        long deadlineNanos = p.poolRaceDeadline().toNanos();

        ExecutorService workers = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<Long>> queries = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ConnectionSampler sampler = ConnectionSampler.start(db, app)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < threads; i++) {
                queries.add(CompletableFuture.supplyAsync(() -> selectOne(pool, go, t0, deadlineNanos), workers));
            }
            go.countDown();
            long callT0 = System.nanoTime();
            CompletableFuture<StartupReport> started = instance.orchestrator().startAsync();
            Duration startCall = Duration.ofNanos(System.nanoTime() - callT0);

            long slowest = 0;
            int succeeded = 0;
            List<String> failures = new ArrayList<>();
            for (CompletableFuture<Long> q : queries) {
                try {
                    long took = q.get(deadlineNanos + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
                    slowest = Math.max(slowest, took);
                    succeeded++;
                } catch (Exception e) {
                    failures.add(String.valueOf(e.getCause() == null ? e : e.getCause()));
                }
            }
            StartupReport report = ScenarioSupport.await(started, p.startDeadline(), ctx.id() + " startup");
            ctx.report(report);
            Duration poolCreation = firstAttempt(report, pool.name());
            ctx.figure("threads", threads);
            ctx.figure("succeeded", succeeded);
            ctx.figure("slowestMillis", TimeUnit.NANOSECONDS.toMillis(slowest));
            ctx.figure("maxPhysicalConnections", sampler.max());
            ctx.figure("maximumPoolSize", maximumPoolSize);
            ctx.figure("poolFirstAttemptMillis", poolCreation.toMillis());

            assertThat(failures).as("application threads whose SELECT 1 failed").isEmpty();
            assertThat(succeeded).isEqualTo(threads);
            assertThat(Duration.ofNanos(slowest)).as("time until the last thread's SELECT 1 succeeded")
                    .isLessThanOrEqualTo(p.poolRaceDeadline());
            assertThat(sampler.samples()).as("pg_stat_activity samples taken").isPositive();
            assertThat(sampler.max()).as("physical connections of the pool in pg_stat_activity")
                    .isLessThanOrEqualTo(maximumPoolSize);
            assertThat(startCall).as("time startAsync() blocked its caller").isLessThan(Duration.ofSeconds(1));
            assertThat(poolCreation).as("the pool's first start attempt (creation and first probe)")
                    .isLessThanOrEqualTo(env.startTimeout());
        } finally {
            workers.shutdownNow();
        }
    }

    private static long selectOne(DataSourceComponent pool, CountDownLatch go, long t0, long deadlineNanos) {
        try {
            go.await();
            DataSource ds = null;
            while (ds == null) {
                try {
                    ds = pool.dataSource();
                } catch (IllegalStateException notYetCreated) {
                    if (System.nanoTime() - t0 > deadlineNanos) {
                        throw new IllegalStateException("the pool was not created within the deadline");
                    }
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                }
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                if (rs.getInt(1) != 1) {
                    throw new IllegalStateException("SELECT 1 returned " + rs.getInt(1));
                }
            }
            return System.nanoTime() - t0;
        } catch (Exception e) {
            throw new IllegalStateException(e.toString(), e);
        }
    }

    private Duration firstAttempt(StartupReport report, String component) {
        AttemptRecord first = report.component(component).attemptHistory().get(0);
        return Duration.between(first.startedAt(), first.endedAt());
    }
}
