package dev.coldstart.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.database.internal.ConnectionGate;
import dev.coldstart.database.internal.DriverDataSource;
import dev.coldstart.database.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A HikariCP connection pool as a {@link Component} that does not fail fast when the database is
 * down: {@link #start()} creates the pool without touching the network, and {@link #probe()} runs a
 * real {@code SELECT 1} through it, so the {@link dev.coldstart.core.StartupOrchestrator}'s retry
 * policy (exponential backoff with full jitter, a cap and a circuit breaker) decides how often the
 * database is tried until the component's start deadline.
 *
 * <p>How it avoids a connection storm while the database is down (CS-05): HikariCP is created with
 * {@code initializationFailTimeout = -1} (HikariCP's documented way to "bypass any initial connection
 * attempt" so the pool "starts immediately") and with {@code minimumIdle = 0}, so it has no reason to
 * connect on its own. Until the database has been reached once, each probe makes exactly one physical
 * connection attempt, and HikariCP's own attempts (made only when application threads already wait
 * for a connection) are limited to one at a time with a jittered backoff. After the first success the
 * pool's minimum idle is raised to {@link PoolConfig#minimumIdle()} and it behaves as plain HikariCP,
 * which opens further connections on demand and tops up idle ones at its housekeeping runs (every
 * 30 s).
 *
 * <p>The pool never holds more than {@link PoolConfig#maximumPoolSize()} physical connections; each
 * carries {@link PoolConfig#applicationName()} (pgJDBC's {@code ApplicationName} property) so that
 * {@code pg_stat_activity} tells instances apart. {@link #openDedicatedConnection()} opens connections
 * outside that count, for the migration lock.
 *
 * <p>Thread-safe: {@code start}/{@code stop} are called by one thread at a time, {@code probe},
 * {@link #dataSource()} and the counters from any thread.
 *
 * <pre>{@code
 * DataSourceComponent pool = DataSourceComponent.of("orders-db", PoolConfig.builder()
 *         .jdbcUrl("jdbc:postgresql://db:5432/orders").username("orders").password(secret)
 *         .applicationName("orders-" + hostname).build());
 * StartupOrchestrator.builder().component(pool).build().start();
 * try (Connection c = pool.dataSource().getConnection()) { ... }
 * }</pre>
 */
public final class DataSourceComponent implements Component, DataSourceProvider {
    private static final Logger log = LoggerFactory.getLogger(DataSourceComponent.class);
    /** Suffix of the application name of {@linkplain #openDedicatedConnection() dedicated connections}. */
    public static final String DEDICATED_SUFFIX = "/dedicated";
    private static final int MAX_APPLICATION_NAME = 63;

    private final String name;
    private final PoolConfig config;
    private final DriverDataSource driver;
    private final DriverDataSource dedicated;
    private volatile ConnectionGate gate;
    private volatile HikariDataSource pool;
    private volatile long startedNanos;

    private DataSourceComponent(String name, PoolConfig config) {
        this.name = Checks.notBlank(name, "name");
        this.config = Checks.notNull(config, "config");
        this.driver = new DriverDataSource(config.jdbcUrl(), driverProperties(config));
        Properties dedicatedProperties = driverProperties(config);
        if (config.isPostgresql()) {
            dedicatedProperties.setProperty("ApplicationName", dedicatedApplicationName(config.applicationName()));
        }
        this.dedicated = new DriverDataSource(config.jdbcUrl(), dedicatedProperties);
    }

    /**
     * The application name of dedicated connections: the pool's with a {@value #DEDICATED_SUFFIX}
     * suffix, cut to PostgreSQL's 63 characters, so {@code pg_stat_activity} still names the instance
     * but a count of the pool's connections does not include them.
     *
     * @param applicationName the pool's application name; not null
     * @return the dedicated connections' application name, at most 63 characters
     */
    public static String dedicatedApplicationName(String applicationName) {
        int room = MAX_APPLICATION_NAME - DEDICATED_SUFFIX.length();
        String base = applicationName.length() > room ? applicationName.substring(0, room) : applicationName;
        return base + DEDICATED_SUFFIX;
    }

    /**
     * Creates the component; nothing is opened until {@link #start()}.
     *
     * @param name the component's name, also HikariCP's pool name; not blank
     * @param config the pool settings; not null
     * @return a new component
     * @throws dev.coldstart.core.ConfigurationException if an argument is blank or null
     */
    public static DataSourceComponent of(String name, PoolConfig config) {
        return new DataSourceComponent(name, config);
    }

    static Properties driverProperties(PoolConfig config) {
        Properties p = new Properties();
        config.dataSourceProperties().forEach(p::setProperty);
        if (config.username() != null) {
            p.setProperty("user", config.username());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        if (config.isPostgresql()) {
            String seconds = Long.toString(Sql.wholeSeconds(config.connectTimeout()));
            p.putIfAbsent("ApplicationName", config.applicationName());
            p.putIfAbsent("connectTimeout", seconds);
            p.putIfAbsent("loginTimeout", seconds);
        }
        return p;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The settings this component was built with.
     *
     * @return the config
     */
    public PoolConfig config() {
        return config;
    }

    /**
     * Creates the HikariCP pool and returns at once: no connection is attempted here, so this never
     * blocks on the database. Idempotent while started.
     */
    @Override
    public void start() {
        if (pool != null) {
            return;
        }
        long t0 = System.nanoTime();
        ConnectionGate g = new ConnectionGate(name, driver, this::onFirstContact);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setDataSource(g);
        hc.setMaximumPoolSize(config.maximumPoolSize());
        hc.setMinimumIdle(0);
        hc.setConnectionTimeout(config.acquireTimeout().toMillis());
        long validation = Math.min(config.probeTimeout().toMillis(), config.acquireTimeout().toMillis());
        hc.setValidationTimeout(Math.max(PoolConfig.MIN_ACQUIRE_TIMEOUT.toMillis(), validation));
        hc.setInitializationFailTimeout(-1);
        this.gate = g;
        this.startedNanos = t0;
        this.pool = new HikariDataSource(hc);
        if (g.isOpen()) {
            onFirstContact();
        }
        log.info("{} - pool created in {} ms ({}); it connects when first probed",
                name, Duration.ofNanos(System.nanoTime() - t0).toMillis(), config);
    }

    private void onFirstContact() {
        HikariDataSource p = pool;
        if (p == null) {
            return;
        }
        if (config.minimumIdle() > 0) {
            p.getHikariConfigMXBean().setMinimumIdle(config.minimumIdle());
        }
        ConnectionGate g = gate;
        log.info("{} - database reached after {} connection attempt(s) in {} ms", name,
                g == null ? 1 : g.attempts(), Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
    }

    /**
     * Runs {@code SELECT 1} on a pooled connection, with {@link PoolConfig#acquireTimeout()} to get the
     * connection and {@link PoolConfig#probeTimeout()} for the query. Before the database has been
     * reached once, first makes one physical connection attempt (see the class comment).
     *
     * @return up, or down with the driver's reason (SQLState included; never the password)
     * @throws InterruptedException if interrupted while another first connection attempt is in flight
     */
    @Override
    public Health probe() throws InterruptedException {
        HikariDataSource ds = pool;
        ConnectionGate g = gate;
        if (ds == null || g == null) {
            return Health.down(name + " - not started");
        }
        try {
            g.firstContact(config.acquireTimeout());
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.setQueryTimeout((int) Sql.wholeSeconds(config.probeTimeout()));
                try (ResultSet rs = st.executeQuery("SELECT 1")) {
                    if (!rs.next()) {
                        return Health.down(name + " - SELECT 1 returned no row");
                    }
                }
            }
            return Health.up();
        } catch (SQLException e) {
            return Health.down(name + " - SELECT 1 failed: " + Sql.describe(e));
        }
    }

    /**
     * Closes the pool; in-flight connections are given HikariCP's shutdown grace, then closed.
     *
     * @param drainTimeout not used: HikariCP bounds its own shutdown
     */
    @Override
    public void stop(Duration drainTimeout) {
        HikariDataSource p = pool;
        if (p == null) {
            return;
        }
        pool = null;
        p.close();
        log.info("{} - pool closed", name);
    }

    /**
     * The pooled data source (a {@code HikariDataSource}; {@code unwrap} it for HikariCP's metrics).
     *
     * @return the data source
     * @throws IllegalStateException if not started, or stopped
     */
    @Override
    public DataSource dataSource() {
        HikariDataSource p = pool;
        if (p == null) {
            throw new IllegalStateException(name + " - the pool is not started; start it (or let the orchestrator "
                    + "start it) before asking for its data source");
        }
        return p;
    }

    /**
     * Opens a physical connection outside the pool, with the pool's URL and credentials; on
     * PostgreSQL its application name is the pool's followed by {@value #DEDICATED_SUFFIX}. It does
     * not count against {@link PoolConfig#maximumPoolSize()}: budget one extra connection per
     * instance while migrations run.
     *
     * @return a new connection; the caller closes it
     * @throws SQLException if the database cannot be reached
     * @throws IllegalStateException if not started
     */
    @Override
    public Connection openDedicatedConnection() throws SQLException {
        dataSource();
        return dedicated.getConnection();
    }

    /**
     * Physical connection attempts the pool has made so far (successful or not), not counting
     * dedicated connections. Useful to check that a database outage does not cause a retry storm.
     *
     * @return zero before start
     */
    public long connectionAttempts() {
        ConnectionGate g = gate;
        return g == null ? 0 : g.attempts();
    }

    /**
     * Whether the pool has reached the database at least once since it was started.
     *
     * @return true after the first successful physical connection
     */
    public boolean hasConnected() {
        ConnectionGate g = gate;
        return g != null && g.isOpen();
    }

    @Override
    public String toString() {
        return "DataSourceComponent[" + name + ", " + config + "]";
    }
}
