package dev.coldstart.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TCP fault proxy in front of the real PostgreSQL at 127.0.0.1:5432, driven through PgJDBC. */
class TcpFaultProxyPostgresIT {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static String database;

    private TcpFaultProxy proxy;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = "cs_fault_proxy_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        admin("CREATE DATABASE " + database);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    @BeforeEach
    void startProxy() {
        proxy = TcpFaultProxy.start(TcpFaultProxyConfig.builder().upstream("127.0.0.1", 5432).name("pg-proxy").build());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void forwardsQueriesToPostgres() throws SQLException {
        try (Connection c = connect(5)) {
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(currentDatabase(c)).isEqualTo(database);
        }
        assertThat(proxy.stats().connectionsForwarded()).isEqualTo(1);
        assertThat(proxy.stats().bytesUpstreamToClient()).isPositive();
    }

    @Test
    void connectLatencySlowsEveryNewJdbcConnection() throws SQLException {
        proxy.setFault(TcpFault.latency(Duration.ofMillis(200), Duration.ZERO));
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            try (Connection c = connect(5)) {
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(millis).isBetween(200L, 1_500L);
                assertThat(selectOne(c)).isEqualTo(1);
            }
        }
    }

    @Test
    void refuseMakesJdbcConnectFailWithConnectionRefused() {
        proxy.setFault(TcpFault.refuse());
        assertThatThrownBy(() -> connect(1)).isInstanceOf(SQLException.class)
                .hasRootCauseInstanceOf(ConnectException.class)
                .hasStackTraceContaining("Connection refused");
        assertThat(proxy.stats().connectionAttempts()).isZero();
    }

    @Test
    void resetMakesEveryJdbcConnectFailAndCountsEachAttempt() {
        proxy.setFault(TcpFault.reset());
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> connect(1)).isInstanceOf(SQLException.class)
                    .hasRootCauseInstanceOf(SocketException.class)
                    .hasStackTraceContaining("Connection reset");
        }
        assertThat(proxy.stats().connectionAttempts()).as("one TCP connection per JDBC attempt").isEqualTo(5);
        assertThat(proxy.stats().connectionsReset()).isEqualTo(5);
    }

    @Test
    void blackholeMakesAJdbcConnectWithOneSecondTimeoutsFail() {
        proxy.setFault(TcpFault.blackhole());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> connect(1)).isInstanceOf(SQLException.class);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(millis).isBetween(900L, 4_000L);
        assertThat(proxy.stats().connectionAttempts()).isEqualTo(1);
        assertThat(proxy.stats().connectionsForwarded()).as("held, never connected upstream").isZero();
    }

    @Test
    void blackholeMakesAQueryOnAnOpenConnectionTimeOutAndLiftingItRestoresService() throws SQLException {
        try (Connection c = connect(1)) {
            assertThat(selectOne(c)).isEqualTo(1);
            proxy.setFault(TcpFault.blackhole());
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLException.class)
                    .hasRootCauseInstanceOf(SocketTimeoutException.class);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(millis).isBetween(900L, 4_000L);
        }
        proxy.clearFault();
        try (Connection c = connect(5)) {
            assertThat(selectOne(c)).isEqualTo(1);
        }
    }

    @Test
    void resetOpenConnectionsBreaksAnOpenJdbcConnectionLikeAServerCrash() throws SQLException {
        try (Connection c = connect(5)) {
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(proxy.resetOpenConnections()).isEqualTo(1);
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLException.class);
        }
    }

    private Connection connect(int timeoutSeconds) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
        p.setProperty("socketTimeout", String.valueOf(timeoutSeconds));
        p.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
        p.setProperty("ApplicationName", "coldstart-fault-proxy-it");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database, p);
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String currentDatabase(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
