package dev.coldstart.testkit;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

/**
 * A fresh PostgreSQL database for one test class or test, created on a {@link RealServices}
 * server and dropped (with its sessions terminated) on {@link #close()}.
 *
 * <p>Names look like {@code cs_<label>_<8 hex>}, so leftovers of a killed run are easy to find.
 * Thread-safe.
 */
public final class TestDatabase implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RealServices.PostgresServer server;
    private final String name;
    private volatile boolean closed;

    private TestDatabase(RealServices.PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Creates a fresh database on the located server.
     *
     * @param label a readable part of the name, for example the test class; sanitised to {@code [a-z0-9_]}
     * @return the database, empty
     * @throws RealServiceUnavailableException if no PostgreSQL was found
     * @throws IllegalStateException if the database cannot be created
     */
    public static TestDatabase create(String label) {
        RealServices.PostgresServer server = RealServices.postgres();
        String clean = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (clean.length() > 30) {
            clean = clean.substring(clean.length() - 30);
        }
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        String name = "cs_" + clean + "_" + HexFormat.of().formatHex(suffix);
        TestDatabase db = new TestDatabase(server, name);
        db.admin("CREATE DATABASE " + name);
        return db;
    }

    /**
     * The database's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The JDBC URL of this database, directly on the server (no fault proxy).
     *
     * @return the URL
     */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /**
     * The JDBC URL of this database reached through another host and port, such as a fault proxy.
     *
     * @param host the host, normally 127.0.0.1
     * @param port the port
     * @return the URL
     */
    public String jdbcUrl(String host, int port) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    /**
     * The server this database lives on.
     *
     * @return the server
     */
    public RealServices.PostgresServer server() {
        return server;
    }

    /**
     * The user to log in as.
     *
     * @return the user name
     */
    public String user() {
        return server.user();
    }

    /**
     * The password to log in with; empty under trust authentication.
     *
     * @return the password, never null
     */
    public String password() {
        return server.password();
    }

    /**
     * Opens a direct connection to this database, for assertions.
     *
     * @return a new connection; the caller closes it
     * @throws SQLException if the connection fails
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), properties("coldstart-testkit"));
    }

    /**
     * Drops the database, terminating its sessions first. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private Properties properties(String applicationName) {
        Properties p = new Properties();
        p.setProperty("user", server.user());
        p.setProperty("password", server.password());
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("connectTimeout", "5");
        return p;
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), properties("coldstart-testkit-admin"));
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("coldstart-testkit - could not run '" + sql + "' on " + server
                    + ": " + e.getMessage() + ". The test user must be allowed to create and drop databases.", e);
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on " + server.host() + ":" + server.port() + "]";
    }
}
