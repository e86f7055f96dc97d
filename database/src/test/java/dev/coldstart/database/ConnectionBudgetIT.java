package dev.coldstart.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CS-05's budget: pool sizes against the server's max_connections, read from a real PostgreSQL. */
class ConnectionBudgetIT {
    private static TestDatabase db;
    private static int available;
    private static int maxConnections;
    private static int superuserReserved;

    @BeforeAll
    static void readServerLimits() throws Exception {
        db = TestDatabase.create("budget");
        try (Connection c = db.connect("cs-test-observer"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('max_connections')::int,"
                        + " current_setting('superuser_reserved_connections')::int,"
                        + " coalesce(current_setting('reserved_connections', true), '0')::int")) {
            rs.next();
            maxConnections = rs.getInt(1);
            superuserReserved = rs.getInt(2);
            available = maxConnections - superuserReserved - rs.getInt(3);
        }
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        db.close();
    }

    @Test
    void fitsWhenThePoolsAddUpToWhatTheServerAllows() throws Exception {
        try (Connection c = db.connect("cs-budget")) {
            ConnectionBudget.Report r = ConnectionBudget.ofPools(available - 1, 1).enforce(c);

            assertThat(r.fits()).isTrue();
            assertThat(r.demand()).isEqualTo(available);
            assertThat(r.available()).isEqualTo(available);
            assertThat(r.maxConnections()).isEqualTo(maxConnections);
            assertThat(r.superuserReserved()).isEqualTo(superuserReserved);
        }
    }

    @Test
    void failsFastNamingDemandAndAvailableConnections() throws Exception {
        int perInstance = available / 4 + 1;
        try (Connection c = db.connect("cs-budget")) {
            ConnectionBudget budget = ConnectionBudget.ofInstances(4, perInstance);

            assertThat(budget.check(c).fits()).isFalse();
            assertThatThrownBy(() -> budget.enforce(c)).isInstanceOf(ConfigurationException.class)
                    .hasMessage("connection budget exceeded: 4 pool(s) may open " + 4 * perInstance + " connection(s), "
                            + "but the server allows only " + available + " (max_connections " + maxConnections
                            + " - superuser_reserved_connections " + superuserReserved + "). Lower maximumPoolSize (to at "
                            + "most " + available / 4 + " per pool for 4 equal pools), run fewer instances, or raise "
                            + "max_connections (or put a connection pooler such as PgBouncer in front).");
        }
    }

    @Test
    void asAComponentKeepsAnOversizedFleetFromReady() {
        DataSourceComponent pool = DataSourceComponent.of("db", db.poolConfig("cs-budget-fleet").build());
        try (StartupOrchestrator o = StartupOrchestrator.builder().component(pool)
                .component(ConnectionBudget.ofInstances(available, 3).component("budget", pool)).build()) {

            StartupFailedException e = catchThrowableOfType(StartupFailedException.class, o::start);

            assertThat(e.failedComponents()).containsExactly("budget");
            assertThat(e.getCause()).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("may open " + available * 3 + " connection(s)")
                    .hasMessageContaining("allows only " + available);
            assertThat(o.isReady()).isFalse();
        }
    }

    @Test
    void rejectsPoolSizesThatAreNotPositive() {
        assertThatThrownBy(() -> ConnectionBudget.ofPools(3, 0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("poolSizes[1] must be greater than 0, but was 0");
        assertThatThrownBy(() -> ConnectionBudget.ofInstances(0, 5)).hasMessage("instances must be greater than 0, but was 0");
        assertThat(ConnectionBudget.ofInstances(20, 6).demand()).isEqualTo(120);
    }
}
