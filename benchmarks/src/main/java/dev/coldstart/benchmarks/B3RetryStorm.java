package dev.coldstart.benchmarks;

import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupReport;
import dev.coldstart.examples.demo.DemoConfig;
import dev.coldstart.examples.demo.DemoService;
import dev.coldstart.testkit.TestDatabase;
import dev.coldstart.testkit.fault.FaultSchedule;
import dev.coldstart.testkit.fault.TcpFaultProxy;
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

/**
 * B3: instances of the demo start while the database is down, against the same number of naive
 * clients that retry a plain JDBC connect every 500 ms, in the same run. Two TCP fault proxies of the
 * testkit stand in front of the same real PostgreSQL and reset every connection for the outage, from
 * the same instant; each proxy counts the connection attempts that reach it. The database is migrated
 * once before the outage: a restart against a database that went down, as the testkit's CS-05 does.
 * The demo retries its database components with backoff from 1 s doubling to a 5 s cap, full jitter,
 * and a circuit breaker (see {@code DemoService}).
 */
public final class B3RetryStorm {
    /** The demo's backoff cap: READY is due within this plus 2 s of the database's return. */
    public static final Duration DEMO_BACKOFF_CAP = Duration.ofSeconds(5);

    private final int instances;
    private final Duration outage;
    private final Duration naiveInterval;

    /**
     * Prepares a run.
     *
     * @param instances demo instances, and as many naive clients
     * @param outage how long the database is down from the start
     * @param naiveInterval the naive clients' retry interval (500 ms in the row)
     */
    public B3RetryStorm(int instances, Duration outage, Duration naiveInterval) {
        this.instances = instances;
        this.outage = outage;
        this.naiveInterval = naiveInterval;
    }

    /**
     * The figures of one run.
     *
     * @param oursAttempts connection attempts of the demo instances during the outage
     * @param naiveAttempts connection attempts of the naive clients during the outage
     * @param slowestReadyAfterRecovery the longest time from the database's return to an instance's READY
     * @param allReady whether every instance reached READY
     * @param loadAverage the 1-minute load average at the end of the run
     */
    public record Result(long oursAttempts, long naiveAttempts, Duration slowestReadyAfterRecovery, boolean allReady,
            double loadAverage) {
        /**
         * Naive attempts over the demo's.
         *
         * @return the ratio; the target is at least 5
         */
        public double attemptRatio() {
            return naiveAttempts / (double) Math.max(1, oursAttempts);
        }
    }

    /**
     * Runs once in a fresh database, dropped afterwards.
     *
     * @return the figures
     * @throws Exception if the run cannot be set up
     */
    public Result run() throws Exception {
        try (TestDatabase db = TestDatabase.create("b3");
             TcpFaultProxy ours = TcpFaultProxy.start(db.server().host(), db.server().port());
             TcpFaultProxy naive = TcpFaultProxy.start(db.server().host(), db.server().port())) {
            try (DemoService first = DemoService.create(config(db, db.jdbcUrl(), "b3-first"))) {
                first.orchestrator().start();
            }
            List<DemoService> services = new ArrayList<>();
            ExecutorService naiveClients = Executors.newFixedThreadPool(instances);
            try {
                for (int i = 0; i < instances; i++) {
                    services.add(DemoService.create(config(db, db.jdbcUrl(ours.host(), ours.port()), "b3-" + i)));
                }
                FaultSchedule schedule = FaultSchedule.builder().resetFor(outage).thenForward();
                CompletableFuture<Void> oursBack = ours.schedule(schedule);
                CompletableFuture<Void> naiveBack = naive.schedule(schedule);
                List<CompletableFuture<StartupReport>> started = new ArrayList<>();
                for (DemoService s : services) {
                    started.add(s.orchestrator().startAsync());
                }
                long stopNaiveAt = System.nanoTime() + outage.toNanos() + TimeUnit.SECONDS.toNanos(5);
                List<CompletableFuture<Integer>> loops = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    loops.add(CompletableFuture.supplyAsync(() -> naiveRetries(db, naive, stopNaiveAt), naiveClients));
                }
                Duration wait = outage.plusSeconds(30);
                oursBack.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                long oursAttempts = ours.stats().connectionAttempts();
                Instant recoveredAt = Instant.now();
                naiveBack.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                long naiveAttempts = naive.stats().connectionAttempts();
                Duration slowest = Duration.ZERO;
                boolean allReady = true;
                for (CompletableFuture<StartupReport> f : started) {
                    StartupReport report = f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                    allReady &= report.state() == ServiceState.READY;
                    Duration recovery = Duration.between(recoveredAt, report.readyAt());
                    slowest = recovery.compareTo(slowest) > 0 ? recovery : slowest;
                }
                for (CompletableFuture<Integer> loop : loops) {
                    loop.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                }
                return new Result(oursAttempts, naiveAttempts, slowest, allReady, Machine.loadAverage());
            } finally {
                naiveClients.shutdownNow();
                services.forEach(DemoService::close);
            }
        }
    }

    private static DemoConfig config(TestDatabase db, String url, String name) {
        return DemoConfig.builder().jdbcUrl(url).jdbcUser(db.user()).jdbcPassword(db.password()).httpPort(0)
                .appName(name).maximumPoolSize(2).startTimeout(Duration.ofSeconds(60)).build();
    }

    /** A plain JDBC connect every interval until one succeeds or the time is up: no backoff, no jitter. */
    private int naiveRetries(TestDatabase db, TcpFaultProxy proxy, long stopAtNanos) {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password());
        props.setProperty("connectTimeout", "2");
        props.setProperty("ApplicationName", "b3-naive");
        int attempts = 0;
        while (System.nanoTime() < stopAtNanos) {
            long next = System.nanoTime() + naiveInterval.toNanos();
            attempts++;
            try {
                DriverManager.getConnection(db.jdbcUrl(proxy.host(), proxy.port()), props).close();
                return attempts;
            } catch (Exception e) {
                Peers.work(next - System.nanoTime());
            }
        }
        return attempts;
    }
}
