package dev.coldstart.database;

/**
 * What the {@link SchemaGuard} does with migrations the service ships that the database has not
 * applied yet.
 */
public enum PendingPolicy {
    /** Apply them with Flyway, under the migration lock: the default. */
    APPLY,
    /**
     * Refuse to start with a {@link SchemaMismatchException}: for services whose migrations are run
     * by a separate job or an operator, which must never change the schema themselves.
     */
    REFUSE
}
