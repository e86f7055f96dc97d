package dev.coldstart.database;

import dev.coldstart.core.NonRetryableException;
import java.util.List;

/**
 * The database schema is not one this service may run against: newer than the migrations it ships,
 * with pending migrations it must not apply, with a failed migration, or with an applied script that
 * differs from the shipped one. Never retried: the schema will not change by itself.
 *
 * <p>The message names the expected and found versions (or the scripts) and what to do; the getters
 * expose the same facts. Immutable and thread-safe.
 */
public class SchemaMismatchException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    /** Why the schema was refused. */
    public enum Reason {
        /** The database has migrations newer than any the service ships, not declared compatible. */
        NEWER_SCHEMA,
        /** Shipped migrations are pending and the policy is {@link PendingPolicy#REFUSE}. */
        PENDING_MIGRATIONS,
        /** A migration is recorded as failed in the history table. */
        FAILED_MIGRATION,
        /** An applied migration differs from the shipped one (checksum, description, type) or is missing. */
        VALIDATION_FAILED
    }

    /** Why the schema was refused. */
    private final Reason reason;
    /** The newest shipped version, or null. */
    private final String expectedVersion;
    /** The database's version, or null. */
    private final String foundVersion;
    /** The scripts concerned. */
    private final List<String> scripts;

    /**
     * Creates the exception.
     *
     * @param reason why the schema was refused; not null
     * @param expectedVersion the newest version the service ships; null if it ships none
     * @param foundVersion the database's current version; null for an empty schema
     * @param scripts the scripts concerned; copied
     * @param message what happened, what was expected and what to do
     */
    public SchemaMismatchException(Reason reason, String expectedVersion, String foundVersion, List<String> scripts,
            String message) {
        super(message);
        this.reason = reason;
        this.expectedVersion = expectedVersion;
        this.foundVersion = foundVersion;
        this.scripts = List.copyOf(scripts);
    }

    /**
     * Why the schema was refused.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * The newest migration version the service ships.
     *
     * @return the version, or null if the service ships no versioned migration
     */
    public String expectedVersion() {
        return expectedVersion;
    }

    /**
     * The version the database is at.
     *
     * @return the version, or null for a schema without applied migrations
     */
    public String foundVersion() {
        return foundVersion;
    }

    /**
     * The scripts concerned: pending, failed, newer or drifted ones.
     *
     * @return an immutable list, possibly empty
     */
    public List<String> scripts() {
        return scripts;
    }
}
