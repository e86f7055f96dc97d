package dev.coldstart.database;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.database.internal.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Init-time seeding that many instances may run at once (CS-03): runs a {@link SeedWork} in one
 * transaction at a declared {@link IsolationLevel} and retries the transaction on serialization
 * failures (40001), deadlocks (40P01) and unique violations (23505), with full-jitter backoff and a
 * bounded number of attempts, so none of these reaches the caller. Any other failure is not retried
 * here and propagates (the orchestrator's policy then decides).
 *
 * <p>As a {@link Component}, {@link #start()} runs the work once and {@link #probe()} reports up after
 * it committed. {@link #run()} can also be called directly, any number of times. Thread-safe: the
 * component holds no per-run state besides volatile counters.
 *
 * <pre>{@code
 * InitOnce seed = InitOnce.of("reference-data", pool, connection -> {
 *     try (PreparedStatement ps = connection.prepareStatement(
 *             "INSERT INTO tenant(key, name) VALUES ('default', 'Default') ON CONFLICT (key) DO NOTHING")) {
 *         ps.executeUpdate();
 *     }
 * }).dependsOn("migrations");
 * }</pre>
 */
public final class InitOnce implements Component {
    private static final Logger log = LoggerFactory.getLogger(InitOnce.class);

    private final String name;
    private final DataSourceProvider source;
    private final InitOnceConfig config;
    private final SeedWork work;
    private final Set<String> dependsOn;
    private final AtomicLong retries = new AtomicLong();
    private volatile SeedResult lastResult;

    private InitOnce(String name, DataSourceProvider source, InitOnceConfig config, SeedWork work, Set<String> dependsOn) {
        this.name = Checks.notBlank(name, "name");
        this.source = Checks.notNull(source, "source");
        this.config = Checks.notNull(config, "config");
        this.work = Checks.notNull(work, "work");
        this.dependsOn = Set.copyOf(dependsOn);
    }

    /**
     * Creates seeding with the default config over a pool component, depending on it.
     *
     * @param name the component's name; not blank
     * @param pool the pool; not null
     * @param work the work; not null
     * @return a new component
     * @throws dev.coldstart.core.ConfigurationException if an argument is blank or null
     */
    public static InitOnce of(String name, DataSourceComponent pool, SeedWork work) {
        return of(name, pool, InitOnceConfig.ofDefaults(), work);
    }

    /**
     * Creates seeding over a pool component, depending on it.
     *
     * @param name the component's name; not blank
     * @param pool the pool; not null
     * @param config the isolation and retry settings; not null
     * @param work the work; not null
     * @return a new component
     * @throws dev.coldstart.core.ConfigurationException if an argument is blank or null
     */
    public static InitOnce of(String name, DataSourceComponent pool, InitOnceConfig config, SeedWork work) {
        Checks.notNull(pool, "pool");
        return new InitOnce(name, pool, config, work, Set.of(pool.name()));
    }

    /**
     * Creates seeding over any connection source, with no dependencies (add them with
     * {@link #dependsOn(String...)}).
     *
     * @param name the component's name; not blank
     * @param source where connections come from; not null
     * @param config the isolation and retry settings; not null
     * @param work the work; not null
     * @return a new component
     * @throws dev.coldstart.core.ConfigurationException if an argument is blank or null
     */
    public static InitOnce of(String name, DataSourceProvider source, InitOnceConfig config, SeedWork work) {
        return new InitOnce(name, source, config, work, Set.of());
    }

    /**
     * A copy of this component that also depends on the named components, typically the migrations
     * that create the tables it fills.
     *
     * @param names component names; not blank
     * @return a new component
     * @throws dev.coldstart.core.ConfigurationException if a name is blank
     */
    public InitOnce dependsOn(String... names) {
        Set<String> deps = new LinkedHashSet<>(dependsOn);
        for (String n : names) {
            deps.add(Checks.notBlank(n, "dependsOn"));
        }
        return new InitOnce(name, source, config, work, deps);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> dependsOn() {
        return dependsOn;
    }

    /**
     * The settings this component was built with.
     *
     * @return the config
     */
    public InitOnceConfig config() {
        return config;
    }

    /**
     * Retries made over the life of this object, across all runs.
     *
     * @return zero or more
     */
    public long retries() {
        return retries.get();
    }

    /**
     * The outcome of the last successful run.
     *
     * @return the result; empty before one
     */
    public Optional<SeedResult> lastResult() {
        return Optional.ofNullable(lastResult);
    }

    /**
     * Runs the work once.
     *
     * @throws SQLException see {@link #run()}
     * @throws InterruptedException see {@link #run()}
     */
    @Override
    public void start() throws SQLException, InterruptedException {
        run();
    }

    /**
     * Reports up once a run has committed; the work's effect is permanent, so there is nothing further
     * to check.
     *
     * @return up after a committed run, else down
     */
    @Override
    public Health probe() {
        return lastResult == null ? Health.down(name + " - seeding has not committed yet") : Health.up();
    }

    /**
     * Runs the work in a transaction, retrying the retryable SQLStates with backoff.
     *
     * @return how many attempts it took and which states were retried
     * @throws SeedingFailedException if every attempt ended in a retryable state
     * @throws SQLException a non-retryable failure of the work, the commit or the connection
     * @throws InterruptedException if interrupted during a backoff; the transaction was rolled back
     */
    public SeedResult run() throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        List<String> retried = new ArrayList<>();
        long ceiling = Math.max(1, config.initialBackoff().toMillis());
        for (int attempt = 1; ; attempt++) {
            SQLException failure;
            try (Connection c = source.dataSource().getConnection()) {
                failure = attempt(c);
            }
            if (failure == null) {
                SeedResult result = new SeedResult(attempt, retried, Duration.ofNanos(System.nanoTime() - t0));
                lastResult = result;
                if (retried.isEmpty()) {
                    log.info("{} - seeding committed at {} in {}", name, config.isolation(), Sql.seconds(result.elapsed()));
                } else {
                    log.info("{} - seeding committed at {} after {} attempt(s) (retried {}) in {}", name,
                            config.isolation(), attempt, retried, Sql.seconds(result.elapsed()));
                }
                return result;
            }
            String state = Sql.findSqlState(failure, config.retryableSqlStates());
            if (state == null) {
                throw failure;
            }
            if (attempt >= config.maxAttempts()) {
                throw new SeedingFailedException(name + " - seeding failed after " + attempt + " attempt(s), each "
                        + "ended in a retryable conflict (last SQLState " + state + ", retried " + retried + "). "
                        + "Contention is unusually high: raise maxAttempts or maxBackoff in InitOnceConfig, or make "
                        + "the work shorter.", attempt, state, failure);
            }
            retried.add(state);
            retries.incrementAndGet();
            long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);
            log.debug("{} - attempt {}/{} hit SQLState {}; retrying in {} ms", name, attempt, config.maxAttempts(),
                    state, delay);
            TimeUnit.MILLISECONDS.sleep(delay);
            ceiling = Math.min(config.maxBackoff().toMillis(), ceiling * 2);
        }
    }

    /** One transaction; returns the failure to classify, or null when committed. */
    private SQLException attempt(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        c.setAutoCommit(false);
        c.setTransactionIsolation(config.isolation().jdbcLevel());
        try {
            work.seed(c);
            c.commit();
            return null;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            return e;
        } catch (RuntimeException | Error e) {
            c.rollback();
            throw e;
        } finally {
            restore(c, isolation, autoCommit);
        }
    }

    /** Gives the connection back as it was lent; a broken one is left for the pool to evict. */
    private static void restore(Connection c, int isolation, boolean autoCommit) {
        try {
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(autoCommit);
        } catch (SQLException broken) {
            // the session is gone; the pool discards such connections on return
        }
    }

    @Override
    public String toString() {
        return "InitOnce[" + name + ", " + config + "]";
    }

    /**
     * The outcome of one {@link InitOnce#run()}. Immutable.
     *
     * @param attempts the attempts made, the committed one included; at least 1
     * @param retriedSqlStates the SQLState of each retried attempt, in order
     * @param elapsed the wall time of the run, backoffs included
     */
    public record SeedResult(int attempts, List<String> retriedSqlStates, Duration elapsed) {
        /**
         * Creates the result, copying the list.
         *
         * @param attempts at least 1
         * @param retriedSqlStates copied
         * @param elapsed the run's wall time
         */
        public SeedResult {
            retriedSqlStates = List.copyOf(retriedSqlStates);
        }
    }
}
