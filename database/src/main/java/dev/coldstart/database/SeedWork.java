package dev.coldstart.database;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Init-time work run by {@link InitOnce} in one transaction: inserting reference rows if they are
 * absent, across as many tables as needed.
 *
 * <p>The work may run several times: after a serialization failure, a deadlock or a unique violation
 * the transaction is rolled back and the work is called again on a fresh transaction. It must
 * therefore be idempotent given the database state (check-then-insert, or
 * {@code INSERT ... ON CONFLICT DO NOTHING}) and keep no state outside the database between calls.
 */
@FunctionalInterface
public interface SeedWork {

    /**
     * Does the work. Do not commit, roll back or change auto-commit: {@link InitOnce} owns the
     * transaction.
     *
     * @param connection a connection in a transaction at the configured isolation level
     * @throws SQLException any failure; SQLStates 40001, 40P01 and 23505 (by default) are retried
     */
    void seed(Connection connection) throws SQLException;
}
