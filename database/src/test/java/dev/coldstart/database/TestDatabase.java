package dev.coldstart.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh PostgreSQL database for one test class, created on the server named by
 * {@code COLDSTART_PG_URL} (with {@code COLDSTART_PG_USER}/{@code COLDSTART_PG_PASSWORD}) or else the
 * local default 127.0.0.1:5432 as {@code postgres}, and dropped (sessions included) on close.
 */
final class TestDatabase implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]*).*");

    final String host;
    final int port;
    final String name;
    private final String user;
    private final String password;
    private final String adminUrl;

    private TestDatabase(String host, int port, String adminDb, String user, String password, String name) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.name = name;
        this.adminUrl = "jdbc:postgresql://" + host + ":" + port + "/" + adminDb;
    }

    static TestDatabase create(String prefix) throws SQLException {
        String url = System.getenv().getOrDefault("COLDSTART_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException("COLDSTART_PG_URL must look like jdbc:postgresql://host:port/db, but was " + url);
        }
        String user = System.getenv().getOrDefault("COLDSTART_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("COLDSTART_PG_PASSWORD", "");
        String name = ("cs_" + prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL))
                .toLowerCase(Locale.ROOT);
        TestDatabase db = new TestDatabase(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)),
                m.group(3), user, password, name);
        try (Connection c = db.admin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SQLException("cannot create a test database on " + db.adminUrl + " as " + user + ": start "
                    + "PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) or set COLDSTART_PG_URL", e);
        }
        return db;
    }

    private Properties props(String applicationName) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", applicationName);
        return p;
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(adminUrl, props("cs-test-admin"));
    }

    String jdbcUrl() {
        return jdbcUrl(port);
    }

    String jdbcUrl(int viaPort) {
        return "jdbc:postgresql://" + host + ":" + viaPort + "/" + name;
    }

    /** A raw connection to this database, outside any pool, with its own application name. */
    Connection connect(String applicationName) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), props(applicationName));
    }

    PoolConfig.Builder poolConfig(String applicationName) {
        PoolConfig.Builder b = PoolConfig.builder().jdbcUrl(jdbcUrl()).username(user).applicationName(applicationName)
                .maximumPoolSize(3);
        if (!password.isEmpty()) {
            b.password(password);
        }
        return b;
    }

    /** Runs statements on a fresh connection. */
    void execute(String... sql) throws SQLException {
        try (Connection c = connect("cs-test-setup"); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** The number of sessions on this database with the given application name. */
    int sessions(String applicationName) throws SQLException {
        try (Connection c = connect("cs-test-observer");
                var ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name = ?")) {
            ps.setString(1, name);
            ps.setString(2, applicationName);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
