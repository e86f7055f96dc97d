package dev.coldstart.database.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A non-pooling {@link DataSource} over {@link DriverManager}: every call opens a new physical
 * connection with the same URL and properties. Thread-safe; the properties are copied once.
 */
public final class DriverDataSource implements DataSource {
    private final String url;
    private final Properties properties;
    private volatile int loginTimeoutSeconds;

    /**
     * Creates the data source.
     *
     * @param url the JDBC URL
     * @param properties driver properties (user, password, ApplicationName, timeouts); copied
     */
    public DriverDataSource(String url, Properties properties) {
        this.url = url;
        this.properties = new Properties();
        this.properties.putAll(properties);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("user", username);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // DriverManager logging is global; a per-data-source writer is not supported.
    }

    /**
     * Remembers the value (HikariCP reads it back to bound its shutdown); the driver receives its
     * timeouts as properties (pgJDBC's {@code connectTimeout}/{@code loginTimeout}) instead.
     */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("java.util.logging is not used");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
