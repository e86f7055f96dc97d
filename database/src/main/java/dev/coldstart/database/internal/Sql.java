package dev.coldstart.database.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Small helpers shared by the database components. Stateless and thread-safe. */
public final class Sql {
    private Sql() {
    }

    /**
     * A duration in whole seconds, rounded up, at least 1: the unit JDBC timeouts take.
     *
     * @param d a positive duration
     * @return seconds, at least 1
     */
    public static long wholeSeconds(Duration d) {
        long millis = d.toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    /**
     * A duration as seconds with one decimal, for log lines: {@code "1.6 s"}.
     *
     * @param d a duration
     * @return the formatted text, locale-independent
     */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /**
     * The first SQLState among the exception, its causes and its chained exceptions that is in
     * {@code wanted}.
     *
     * @param t the failure
     * @param wanted the states looked for
     * @return the state, or null if none matches
     */
    public static String findSqlState(Throwable t, Set<String> wanted) {
        int guard = 0;
        for (Throwable c = t; c != null && guard < 32; c = c.getCause(), guard++) {
            if (c instanceof SQLException) {
                for (SQLException s = (SQLException) c; s != null && guard < 32; s = s.getNextException(), guard++) {
                    if (s.getSQLState() != null && wanted.contains(s.getSQLState())) {
                        return s.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    /**
     * One line describing a driver failure: its message, its root cause's message if different, and
     * its SQLState.
     *
     * @param e the failure
     * @return a single line, without stack trace
     */
    public static String describe(SQLException e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !sb.toString().contains(root.getMessage())) {
            sb.append(" (cause: ").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
        }
        if (e.getSQLState() != null) {
            sb.append(" [SQLState ").append(e.getSQLState()).append(']');
        }
        return sb.toString().replace('\n', ' ');
    }

    /**
     * Whether a connection talks to PostgreSQL, from its metadata.
     *
     * @param c an open connection
     * @return true for PostgreSQL
     * @throws SQLException if the metadata cannot be read
     */
    public static boolean isPostgresql(Connection c) throws SQLException {
        return "PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
    }

    /**
     * Closes a connection, ignoring failures: used on paths that already report a failure.
     *
     * @param c the connection; may be null
     */
    public static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // the session is gone or going; nothing left to release
        }
    }
}
