package dev.coldstart.database;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.core.NonRetryableException;
import dev.coldstart.database.SchemaGuard.SchemaStatus;
import dev.coldstart.database.internal.AdvisoryLock;
import dev.coldstart.database.internal.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway migrations as a {@link Component}, run by one instance at a time across every instance of a
 * service, and checked by a {@link SchemaGuard} before the service may become READY.
 *
 * <p>What {@link #start()} does on PostgreSQL:
 * <ol>
 *   <li>checks the schema with the {@link SchemaGuard} without any lock (Flyway's {@code info()} only
 *       reads). When nothing is pending it is done: a restart or scale-out against an up-to-date
 *       schema never queues on the lock, and a newer schema, a failed row or a checksum drift is
 *       refused at once. Otherwise it goes on:</li>
 *   <li>opens a <em>dedicated</em> connection ({@link DataSourceProvider#openDedicatedConnection()}),
 *       not a pooled one, and takes a session-level advisory lock on it, polling
 *       {@code pg_try_advisory_lock} with backoff (from {@link MigrationConfig#lockPollInitial()},
 *       doubling to {@link MigrationConfig#lockPollMax()}) until {@link MigrationConfig#lockTimeout()}.
 *       If the process dies the session ends and PostgreSQL releases the lock; a pooled connection
 *       could instead carry the lock back into the pool. An instance that waited logs at INFO whom it
 *       waited for and for how long ({@link #lastLockWait()}); a wait past the timeout ends in
 *       {@link MigrationLockTimeoutException}, naming the holder's pid and application name;</li>
 *   <li>under the lock, checks the schema with the {@link SchemaGuard} (failed rows, checksum drift,
 *       newer schema, pending policy), applies pending migrations with {@code flyway.migrate()} on the
 *       pooled data source, and checks again;</li>
 *   <li>releases the lock and closes the dedicated connection.</li>
 * </ol>
 *
 * <p>Flyway's own lock. Flyway also takes a PostgreSQL advisory lock around {@code migrate()}, with a
 * key of its own (derived from the history table), on its own connection. The two never deadlock: the
 * keys differ (see {@link MigrationConfig}), and ours is always taken first and released last, so
 * Flyway's is uncontended among coldstart instances and still protects against tools that bypass
 * coldstart, or against a second instance if our lock session is killed mid-migration. This component
 * sets {@code flyway.postgresql.transactional.lock=false}: with the default transactional lock Flyway
 * holds a transaction open for the whole run, and a non-transactional migration such as
 * {@code CREATE INDEX CONCURRENTLY}, which waits for every open transaction, hangs forever
 * (flyway/flyway#3497, #3682). For the same reason our lock is polled, never awaited in
 * {@code pg_advisory_lock}: a blocked waiter is a transaction that such a migration would wait for.
 *
 * <p>On other databases (detected with {@code DatabaseMetaData.getDatabaseProductName()}) there is no
 * advisory lock: Flyway's own locking serialises instances, which is logged once per component.
 *
 * <p>The probe reports up once the schema was accepted and a pooled connection is valid. It does not
 * re-check the schema version: during a rolling deploy a newer release migrates while older instances
 * still serve, and they must stay READY if they were declared compatible at start.
 *
 * <p>Thread-safe: {@code start} runs on one thread at a time; the getters read volatile snapshots.
 *
 * <pre>{@code
 * DataSourceComponent pool = DataSourceComponent.of("orders-db", poolConfig);
 * MigrationComponent migrations = MigrationComponent.of("orders-migrations", pool, MigrationConfig.ofDefaults());
 * StartupOrchestrator.builder().component(pool).component(migrations).build().start();
 * }</pre>
 */
public final class MigrationComponent implements Component {
    private static final Logger log = LoggerFactory.getLogger(MigrationComponent.class);

    private final String name;
    private final DataSourceProvider source;
    private final MigrationConfig config;
    private final Set<String> dependsOn;
    private final AtomicBoolean fallbackLogged = new AtomicBoolean();
    private volatile Duration lastLockWait;
    private volatile SchemaStatus schemaStatus;

    private MigrationComponent(String name, DataSourceProvider source, MigrationConfig config, Set<String> dependsOn) {
        this.name = Checks.notBlank(name, "name");
        this.source = Checks.notNull(source, "source");
        this.config = Checks.notNull(config, "config");
        this.dependsOn = Set.copyOf(dependsOn);
    }

    /**
     * Creates a migration component that uses a pool component and depends on it.
     *
     * @param name the component's name; not blank
     * @param pool the pool; not null
     * @param config the migration settings; not null
     * @return a new component
     * @throws dev.coldstart.core.ConfigurationException if an argument is blank or null
     */
    public static MigrationComponent of(String name, DataSourceComponent pool, MigrationConfig config) {
        Checks.notNull(pool, "pool");
        return new MigrationComponent(name, pool, config, Set.of(pool.name()));
    }

    /**
     * Creates a migration component over any connection source.
     *
     * @param name the component's name; not blank
     * @param source where connections come from; not null
     * @param config the migration settings; not null
     * @param dependsOn the components that must be healthy first (usually the pool's name)
     * @return a new component
     * @throws dev.coldstart.core.ConfigurationException if an argument is blank or null
     */
    public static MigrationComponent of(String name, DataSourceProvider source, MigrationConfig config,
            String... dependsOn) {
        Set<String> deps = new LinkedHashSet<>();
        for (String d : dependsOn) {
            deps.add(Checks.notBlank(d, "dependsOn"));
        }
        return new MigrationComponent(name, source, config, deps);
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
    public MigrationConfig config() {
        return config;
    }

    /**
     * How long the last start waited for the migration lock.
     *
     * @return zero if the lock was free; empty before the lock was first taken, or on databases
     *     without the advisory lock
     */
    public Optional<Duration> lastLockWait() {
        return Optional.ofNullable(lastLockWait);
    }

    /**
     * The schema's status as the guard accepted it at the end of the last successful start.
     *
     * @return the status; empty before a successful start
     */
    public Optional<SchemaStatus> schemaStatus() {
        return Optional.ofNullable(schemaStatus);
    }

    /**
     * Takes the migration lock, checks the schema, applies pending migrations, checks again and
     * releases the lock (see the class comment).
     *
     * @throws MigrationLockTimeoutException if the lock was not acquired within the lock timeout
     * @throws SchemaMismatchException if the schema guard refuses the schema
     * @throws MigrationFailedException if a migration failed for a reason other than a lost connection
     * @throws SQLException if the database cannot be reached: transient, retried by the orchestrator
     * @throws InterruptedException if interrupted while waiting for the lock
     */
    @Override
    public void start() throws SQLException, InterruptedException {
        try {
            migrate(source.dataSource());
        } catch (FlywayException e) {
            if (isConnectionFailure(e)) {
                throw e;
            }
            throw new MigrationFailedException(name + " - Flyway failed: " + firstLine(e.getMessage()) + ". Fix the "
                    + "migrations or the configuration (locations " + config.locations() + ", table " + config.table()
                    + "), then restart.", e);
        }
    }

    private void migrate(DataSource ds) throws SQLException, InterruptedException {
        Flyway flyway = flyway(ds);
        String product;
        boolean postgresql;
        try (Connection c = ds.getConnection()) {
            product = c.getMetaData().getDatabaseProductName();
            postgresql = Sql.isPostgresql(c);
        }
        if (!postgresql) {
            if (fallbackLogged.compareAndSet(false, true)) {
                log.info("{} - database is {}, not PostgreSQL: no advisory lock is taken, Flyway's own locking "
                        + "serialises instances", name, product);
            }
            schemaStatus = guardAndMigrate(flyway);
            return;
        }
        // A restart or scale-out against an up-to-date schema is the common case: check without the lock
        // (Flyway's info is a read) so twenty replicas do not queue on it; anything pending takes the lock.
        SchemaStatus current = config.schemaGuard().check(flyway);
        if (current.pendingScripts().isEmpty()) {
            log.info("{} - schema at version {} (this service ships {}{}); nothing to migrate, lock not needed", name,
                    current.currentVersion(), current.shippedVersion(), current.newerAccepted()
                            ? ", newer schema accepted as declared compatible" : "");
            lastLockWait = Duration.ZERO;
            schemaStatus = current;
            return;
        }
        long key = config.lockKey();
        AdvisoryLock lock;
        try {
            lock = AdvisoryLock.acquire(name, source.openDedicatedConnection(), config.lockName(), key,
                    config.lockTimeout(), config.lockPollInitial(), config.lockPollMax());
        } catch (AdvisoryLock.TimedOut t) {
            throw lockTimeout(key, t);
        }
        try {
            lastLockWait = lock.waited();
            SchemaStatus status = guardAndMigrate(flyway);
            if (!lock.isHeld()) {
                log.warn("{} - migration lock '{}' was lost during the migration (its session ended); Flyway's own "
                        + "lock still serialised the migration itself", name, config.lockName());
            }
            schemaStatus = status;
        } finally {
            lock.close();
        }
    }

    private MigrationLockTimeoutException lockTimeout(long key, AdvisoryLock.TimedOut t) {
        AdvisoryLock.Holder h = t.holder();
        String holder = h == null ? "a session that released it just as the wait ended" : "the session with pid "
                + h.pid() + " (application_name '" + h.applicationName() + "')";
        String message = name + " - gave up waiting for migration lock '" + config.lockName() + "' (advisory lock key "
                + key + ") after " + Sql.seconds(t.waited()) + " (lockTimeout " + config.lockTimeout() + "); it is held by "
                + holder + ". If that instance is still migrating, raise lockTimeout; if it is stuck, end it with "
                + "SELECT pg_terminate_backend(" + (h == null ? "<pid>" : h.pid()) + ") and restart this one.";
        return new MigrationLockTimeoutException(config.lockName(), key, h == null ? null : h.pid(),
                h == null ? null : h.applicationName(), t.waited(), message);
    }

    private SchemaStatus guardAndMigrate(Flyway flyway) {
        SchemaGuard guard = config.schemaGuard();
        SchemaStatus before = guard.check(flyway);
        if (before.pendingScripts().isEmpty()) {
            log.info("{} - schema at version {} (this service ships {}{}); nothing to migrate", name,
                    before.currentVersion(), before.shippedVersion(), before.newerAccepted() ? ", newer schema accepted "
                            + "as declared compatible" : "");
            return before;
        }
        log.info("{} - applying {} pending migration(s) from version {} to {}: {}", name,
                before.pendingScripts().size(), before.currentVersion(), before.shippedVersion(),
                before.pendingScripts());
        long t0 = System.nanoTime();
        MigrateResult result;
        try {
            result = flyway.migrate();
        } catch (FlywayException e) {
            if (isConnectionFailure(e)) {
                throw e;
            }
            String message = name + " - migration failed: " + firstLine(e.getMessage()) + ". Fix the migration or "
                    + "the schema (the history table shows what was applied), then restart.";
            throw new MigrationFailedException(message, e);
        }
        SchemaStatus after = guard.check(flyway);
        log.info("{} - applied {} migration(s) in {}; schema now at version {}", name, result.migrationsExecuted,
                Sql.seconds(Duration.ofNanos(System.nanoTime() - t0)), after.currentVersion());
        return after;
    }

    private Flyway flyway(DataSource ds) {
        Map<String, String> props = new LinkedHashMap<>(config.flywayProperties());
        FluentConfiguration fc = Flyway.configure(Thread.currentThread().getContextClassLoader() == null
                        ? MigrationComponent.class.getClassLoader() : Thread.currentThread().getContextClassLoader())
                .configuration(props)
                .dataSource(ds)
                .locations(config.locations().toArray(String[]::new))
                .table(config.table())
                .failOnMissingLocations(true);
        if (config.schema() != null) {
            fc = fc.schemas(config.schema()).defaultSchema(config.schema());
        }
        Flyway flyway = fc.load();
        // See the class comment: a transactional lock hangs non-transactional migrations.
        PostgreSQLConfigurationExtension postgresql = flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class);
        if (postgresql != null) {
            postgresql.setTransactionalLock(false);
        }
        return flyway;
    }

    /**
     * Reports up once the schema was accepted and a pooled connection is valid.
     *
     * @return up, or down with the reason
     */
    @Override
    public Health probe() {
        SchemaStatus status = schemaStatus;
        if (status == null) {
            return Health.down(name + " - migrations not run yet");
        }
        try (Connection c = source.dataSource().getConnection()) {
            return c.isValid(2) ? Health.up() : Health.down(name + " - pooled connection is not valid");
        } catch (SQLException e) {
            return Health.down(name + " - cannot get a pooled connection: " + Sql.describe(e));
        }
    }

    private static boolean isConnectionFailure(Throwable t) {
        int guard = 0;
        for (Throwable c = t; c != null && guard < 32; c = c.getCause(), guard++) {
            if (c instanceof java.sql.SQLTransientConnectionException || c instanceof java.sql.SQLRecoverableException
                    || c instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (c instanceof SQLException) {
                String state = ((SQLException) c).getSQLState();
                if (state != null && (state.startsWith("08") || List.of("57P01", "57P02", "57P03").contains(state))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        return s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    @Override
    public String toString() {
        return "MigrationComponent[" + name + ", " + config + "]";
    }

    /**
     * A migration failed for a reason retrying cannot cure: an SQL error in a script, a missing
     * location. Flyway's exception is the cause.
     */
    public static class MigrationFailedException extends NonRetryableException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what failed and what to do
         * @param cause Flyway's exception
         */
        public MigrationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
