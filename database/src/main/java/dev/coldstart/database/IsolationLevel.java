package dev.coldstart.database;

import java.sql.Connection;

/** The transaction isolation level {@link InitOnce} runs its work at. */
public enum IsolationLevel {
    /** {@code READ COMMITTED}: cheap, correct only with unique constraints and insert-if-absent SQL. */
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    /** {@code REPEATABLE READ}: snapshot isolation; write skew remains possible. */
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    /** {@code SERIALIZABLE}: any check-then-insert logic is correct; conflicts surface as 40001. */
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    private final int jdbcLevel;

    IsolationLevel(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /**
     * The JDBC constant.
     *
     * @return one of {@code Connection.TRANSACTION_*}
     */
    public int jdbcLevel() {
        return jdbcLevel;
    }
}
