package dev.coldstart.database;

import dev.coldstart.core.Checks;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where the database components of this module get their connections: a pooled {@link DataSource}
 * for ordinary work, and dedicated connections that belong to no pool, for session-scoped state
 * such as the migration lock.
 *
 * <p>{@link DataSourceComponent} is the usual implementation. Implementations are thread-safe.
 */
public interface DataSourceProvider {

    /**
     * The pooled data source.
     *
     * @return the data source
     * @throws IllegalStateException if the provider is not started yet
     */
    DataSource dataSource();

    /**
     * Opens a new physical connection that belongs to no pool; the caller closes it. Session-level
     * state on it (an advisory lock) dies with the session if the process dies, and closing it never
     * returns it to a pool where another caller could inherit that state.
     *
     * @return a new connection in auto-commit mode
     * @throws SQLException if the database cannot be reached
     * @throws IllegalStateException if the provider is not started yet
     */
    Connection openDedicatedConnection() throws SQLException;

    /**
     * Wraps a data source the application manages itself. Its {@link #openDedicatedConnection()}
     * borrows from the same data source, so with a pooling data source a session-level lock outlives
     * a crash only until the pool closes the connection: prefer {@link DataSourceComponent}.
     *
     * @param dataSource not null
     * @return a provider
     * @throws dev.coldstart.core.ConfigurationException if the data source is null
     */
    static DataSourceProvider of(DataSource dataSource) {
        Checks.notNull(dataSource, "dataSource");
        return new DataSourceProvider() {
            @Override
            public DataSource dataSource() {
                return dataSource;
            }

            @Override
            public Connection openDedicatedConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public String toString() {
                return "DataSourceProvider[" + dataSource + "]";
            }
        };
    }
}
