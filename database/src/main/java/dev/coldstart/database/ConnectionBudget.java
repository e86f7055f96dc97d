package dev.coldstart.database;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.Health;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the connections a fleet of instances may open fit in what the PostgreSQL server
 * allows ordinary users (CS-05): {@code max_connections} minus {@code superuser_reserved_connections}
 * minus {@code reserved_connections} (PostgreSQL 16 and later; 0 before), read from the server.
 *
 * <p>Count each instance's demand as its {@link PoolConfig#maximumPoolSize()} plus one for the
 * migration lock's dedicated connection while it migrates. Immutable and thread-safe.
 *
 * <pre>{@code
 * ConnectionBudget budget = ConnectionBudget.ofInstances(20, poolConfig.maximumPoolSize() + 1);
 * try (Connection c = pool.dataSource().getConnection()) {
 *     budget.enforce(c);   // ConfigurationException naming both numbers if 20 x 11 does not fit
 * }
 * }</pre>
 */
public final class ConnectionBudget {
    private static final Logger log = LoggerFactory.getLogger(ConnectionBudget.class);

    private final int[] poolSizes;
    private final int demand;

    private ConnectionBudget(int[] poolSizes) {
        this.poolSizes = poolSizes.clone();
        long sum = 0;
        for (int s : poolSizes) {
            sum += s;
        }
        Checks.check(sum <= Integer.MAX_VALUE, "poolSizes must add up to at most " + Integer.MAX_VALUE + ", but was " + sum);
        this.demand = (int) sum;
    }

    /**
     * A budget for {@code instances} instances of one service, each opening at most
     * {@code connectionsPerInstance}.
     *
     * @param instances at least 1
     * @param connectionsPerInstance at least 1
     * @return the budget
     * @throws ConfigurationException if an argument is not positive
     */
    public static ConnectionBudget ofInstances(int instances, int connectionsPerInstance) {
        Checks.positive(instances, "instances");
        Checks.positive(connectionsPerInstance, "connectionsPerInstance");
        int[] sizes = new int[instances];
        Arrays.fill(sizes, connectionsPerInstance);
        return new ConnectionBudget(sizes);
    }

    /**
     * A budget for pools of different sizes, one entry per pool.
     *
     * @param poolSizes at least one, each at least 1
     * @return the budget
     * @throws ConfigurationException if empty or a size is not positive
     */
    public static ConnectionBudget ofPools(int... poolSizes) {
        Checks.notNull(poolSizes, "poolSizes");
        Checks.check(poolSizes.length > 0, "poolSizes must not be empty, but was []");
        for (int i = 0; i < poolSizes.length; i++) {
            Checks.positive(poolSizes[i], "poolSizes[" + i + "]");
        }
        return new ConnectionBudget(poolSizes);
    }

    /**
     * The connections the pools may open together.
     *
     * @return the sum of the pool sizes
     */
    public int demand() {
        return demand;
    }

    /**
     * Reads the server's limits and compares.
     *
     * @param connection any connection to the server
     * @return the comparison
     * @throws SQLException if the settings cannot be read
     */
    public Report check(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('max_connections')::int,"
                        + " current_setting('superuser_reserved_connections')::int,"
                        + " coalesce(current_setting('reserved_connections', true), '0')::int")) {
            rs.next();
            return new Report(demand, poolSizes.length, rs.getInt(1), rs.getInt(2), rs.getInt(3));
        }
    }

    /**
     * Reads the server's limits and fails fast if the pools do not fit.
     *
     * @param connection any connection to the server
     * @return the comparison, when it fits
     * @throws ConfigurationException if the demand exceeds the available connections; the message
     *     names both numbers and what to change
     * @throws SQLException if the settings cannot be read
     */
    public Report enforce(Connection connection) throws SQLException {
        Report r = check(connection);
        if (!r.fits()) {
            throw new ConfigurationException(r.toString());
        }
        return r;
    }

    /**
     * This check as a component that runs {@link #enforce(Connection)} on a pooled connection when
     * started, so that a fleet sized beyond the server fails before READY rather than under load.
     *
     * @param name the component's name; not blank
     * @param pool the pool to borrow the connection from; the component depends on it
     * @return a new component
     * @throws ConfigurationException if an argument is blank or null
     */
    public Component component(String name, DataSourceComponent pool) {
        Checks.notNull(pool, "pool");
        Checks.notBlank(name, "name");
        return Component.builder(name)
                .dependsOn(pool.name())
                .onStart(() -> {
                    try (Connection c = pool.dataSource().getConnection()) {
                        log.info("{} - {}", name, enforce(c));
                    }
                })
                .probe(Health::up)
                .build();
    }

    @Override
    public String toString() {
        return "ConnectionBudget{pools=" + poolSizes.length + ", demand=" + demand + '}';
    }

    /**
     * A comparison of demand with the server's limits. Immutable.
     *
     * @param demand the connections the pools may open together
     * @param pools how many pools make up the demand
     * @param maxConnections the server's {@code max_connections}
     * @param superuserReserved the server's {@code superuser_reserved_connections}
     * @param reserved the server's {@code reserved_connections}; 0 before PostgreSQL 16
     */
    public record Report(int demand, int pools, int maxConnections, int superuserReserved, int reserved) {
        /**
         * The connections ordinary users may open.
         *
         * @return {@code maxConnections - superuserReserved - reserved}
         */
        public int available() {
            return maxConnections - superuserReserved - reserved;
        }

        /**
         * Whether the demand fits.
         *
         * @return true if {@code demand <= available()}
         */
        public boolean fits() {
            return demand <= available();
        }

        @Override
        public String toString() {
            String limits = "max_connections " + maxConnections + " - superuser_reserved_connections "
                    + superuserReserved + (reserved > 0 ? " - reserved_connections " + reserved : "");
            if (fits()) {
                return "connection budget fits: " + pools + " pool(s) may open " + demand + " connection(s), the server "
                        + "allows " + available() + " (" + limits + ")";
            }
            return "connection budget exceeded: " + pools + " pool(s) may open " + demand + " connection(s), but the "
                    + "server allows only " + available() + " (" + limits + "). Lower maximumPoolSize (to at most "
                    + Math.max(0, available() / pools) + " per pool for " + pools + " equal pools), run fewer "
                    + "instances, or raise max_connections (or put a connection pooler such as PgBouncer in front).";
        }
    }
}
