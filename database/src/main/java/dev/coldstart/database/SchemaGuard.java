package dev.coldstart.database;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Decides whether a service may run against the schema it finds: the rules a
 * {@link MigrationComponent} applies, under its migration lock, before and after migrating.
 *
 * <p>{@link #check(Flyway)} refuses, with a {@link SchemaMismatchException} whose message names the
 * expected and found versions (or the scripts) and what to do:
 * <ul>
 *   <li>a migration recorded as failed in the history table (Flyway state {@code FAILED});</li>
 *   <li>an applied migration that differs from the shipped one: checksum drift, changed description
 *       or type, or an applied version the service no longer ships (Flyway's
 *       {@code validateWithResult()}, with pending and future migrations left to the rules below);</li>
 *   <li>a schema newer than the newest migration the service ships (Flyway state
 *       {@code FUTURE_SUCCESS}), unless declared compatible with {@link Builder#compatibleUpTo(String)}
 *       or {@link Builder#acceptNewerSchema(boolean)};</li>
 *   <li>pending migrations when the policy is {@link PendingPolicy#REFUSE}.</li>
 * </ul>
 * It reads everything through Flyway's {@code info()} and {@code validateWithResult()} APIs, never by
 * parsing the history table.
 *
 * <p>Immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * SchemaGuard guard = SchemaGuard.builder()
 *         .pendingPolicy(PendingPolicy.APPLY)
 *         .compatibleUpTo("42")   // this release also runs on schema 42 (additive changes only)
 *         .build();
 * }</pre>
 */
public final class SchemaGuard {
    private static final SchemaGuard DEFAULTS = builder().build();

    private final PendingPolicy pendingPolicy;
    private final boolean acceptNewerSchema;
    private final String compatibleUpTo;

    private SchemaGuard(Builder b) {
        this.pendingPolicy = b.pendingPolicy;
        this.acceptNewerSchema = b.acceptNewerSchema;
        this.compatibleUpTo = b.compatibleUpTo;
    }

    /**
     * The defaults: apply pending migrations, refuse any newer schema.
     *
     * @return the shared default guard
     */
    public static SchemaGuard ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this guard's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.pendingPolicy = pendingPolicy;
        b.acceptNewerSchema = acceptNewerSchema;
        b.compatibleUpTo = compatibleUpTo;
        return b;
    }

    /**
     * What happens to pending migrations.
     *
     * @return the policy; default {@link PendingPolicy#APPLY}
     */
    public PendingPolicy pendingPolicy() {
        return pendingPolicy;
    }

    /**
     * Whether any newer schema is accepted.
     *
     * @return false by default
     */
    public boolean acceptNewerSchema() {
        return acceptNewerSchema;
    }

    /**
     * The newest schema version this service declares it works with, beyond those it ships.
     *
     * @return the version, or null when none is declared (default)
     */
    public String compatibleUpTo() {
        return compatibleUpTo;
    }

    /**
     * Checks the schema Flyway sees against this guard's rules. Makes no change to the database.
     *
     * @param flyway a configured Flyway (data source, locations, schema, table); not null
     * @return the schema's status when it is acceptable; pending migrations are listed for
     *     {@link PendingPolicy#APPLY}
     * @throws SchemaMismatchException if a rule refuses the schema (see the class comment)
     * @throws org.flywaydb.core.api.FlywayException if Flyway cannot read the schema (for example the
     *     database is unreachable): a transient failure
     */
    public SchemaStatus check(Flyway flyway) {
        Checks.requireArgument(flyway, "flyway");
        String table = flyway.getConfiguration().getTable();
        // A copy that leaves pending and future migrations to the rules below, so that validation
        // reports only drift of what was applied.
        Flyway checker = Flyway.configure(flyway.getConfiguration().getClassLoader())
                .configuration(flyway.getConfiguration())
                .ignoreMigrationPatterns("*:pending", "*:future")
                .load();
        MigrationInfoService info = checker.info();
        MigrationInfo[] all = info.all();

        MigrationVersion shipped = null;
        MigrationVersion found = null;
        List<MigrationInfo> failed = new ArrayList<>();
        List<MigrationInfo> future = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (MigrationInfo m : all) {
            MigrationState state = m.getState();
            MigrationVersion v = m.getVersion();
            if (v != null && state.isResolved() && (shipped == null || v.compareTo(shipped) > 0)) {
                shipped = v;
            }
            if (v != null && state.isApplied() && !state.isFailed() && (found == null || v.compareTo(found) > 0)) {
                found = v;
            }
            if (state.isFailed()) {
                failed.add(m);
            } else if (state == MigrationState.FUTURE_SUCCESS) {
                future.add(m);
            } else if (state == MigrationState.PENDING) {
                pending.add(m.getScript());
            }
        }
        String expected = shipped == null ? null : shipped.getVersion();
        String current = found == null ? null : found.getVersion();

        if (!failed.isEmpty()) {
            List<String> scripts = new ArrayList<>();
            StringBuilder what = new StringBuilder();
            for (MigrationInfo m : failed) {
                scripts.add(m.getScript());
                what.append(what.length() == 0 ? "" : "; ").append(label(m)).append(" installed on ")
                        .append(m.getInstalledOn()).append(" by ").append(m.getInstalledBy());
            }
            throw new SchemaMismatchException(SchemaMismatchException.Reason.FAILED_MIGRATION, expected, current,
                    scripts, "schema guard: " + failed.size() + " migration(s) recorded as failed in " + table + ": "
                    + what + ". The schema may be half-changed, so this service (expecting version "
                    + expected + ", found " + current + ") will not start. Repair the schema by hand, then remove "
                    + "the failed row (Flyway repair does it) and restart.");
        }

        ValidateResult validation = checker.validateWithResult();
        if (!validation.validationSuccessful) {
            List<String> scripts = new ArrayList<>();
            StringBuilder what = new StringBuilder();
            for (ValidateOutput o : validation.invalidMigrations) {
                scripts.add(o.filepath == null || o.filepath.isBlank() ? "version " + o.version : o.filepath);
                what.append(what.length() == 0 ? "" : "; ").append("version ").append(o.version).append(" (")
                        .append(o.filepath == null || o.filepath.isBlank() ? o.description : o.filepath).append("): ")
                        .append(o.errorDetails == null ? "invalid" : oneLine(o.errorDetails.errorMessage));
            }
            if (what.length() == 0) {
                what.append(oneLine(validation.getAllErrorMessages()));
            }
            throw new SchemaMismatchException(SchemaMismatchException.Reason.VALIDATION_FAILED, expected, current,
                    scripts, "schema guard: the applied migrations in " + table + " differ from the ones this service "
                    + "ships (expected version " + expected + ", found " + current + "): " + what
                    + ". An applied migration must never change: restore the shipped script to what was applied, or, "
                    + "if the change is intended and already reflected in the schema, run Flyway repair to realign "
                    + "the history table; then restart.");
        }

        boolean newerAccepted = false;
        if (!future.isEmpty()) {
            List<String> scripts = new ArrayList<>();
            for (MigrationInfo m : future) {
                scripts.add(m.getScript());
            }
            boolean declared = acceptNewerSchema
                    || (compatibleUpTo != null && found != null && found.compareTo(MigrationVersion.fromVersion(compatibleUpTo)) <= 0);
            if (!declared) {
                String declaration = compatibleUpTo == null ? "no newer schema was declared compatible"
                        : "it was declared compatible only up to version " + compatibleUpTo;
                throw new SchemaMismatchException(SchemaMismatchException.Reason.NEWER_SCHEMA, expected, current,
                        scripts, "schema guard: the database schema is at version " + current + ", newer than the "
                        + "newest migration this service ships (expected version " + expected + "; newer: "
                        + String.join(", ", scripts) + "), and " + declaration + ". A newer release has migrated "
                        + "this database. Deploy a release that ships version " + current + ", or, if this release "
                        + "works with schema " + current + ", declare it with SchemaGuard.builder().compatibleUpTo(\""
                        + current + "\").");
            }
            newerAccepted = true;
        }

        if (!pending.isEmpty() && pendingPolicy == PendingPolicy.REFUSE) {
            throw new SchemaMismatchException(SchemaMismatchException.Reason.PENDING_MIGRATIONS, expected, current,
                    pending, "schema guard: the database schema is at version " + current + " but this service expects "
                    + "version " + expected + ", and its pending policy is REFUSE; " + pending.size()
                    + " pending migration(s): " + String.join(", ", pending) + ". Run the migrations (the migration "
                    + "job, or a release with PendingPolicy.APPLY), then restart.");
        }
        return new SchemaStatus(expected, current, pending, newerAccepted);
    }

    private static String label(MigrationInfo m) {
        return "version " + (m.getVersion() == null ? "(repeatable)" : m.getVersion().getVersion()) + " (" + m.getScript() + ")";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    @Override
    public String toString() {
        return "SchemaGuard{pendingPolicy=" + pendingPolicy + ", acceptNewerSchema=" + acceptNewerSchema
                + ", compatibleUpTo=" + compatibleUpTo + '}';
    }

    /**
     * What {@link SchemaGuard#check(Flyway)} found on an acceptable schema. Immutable.
     *
     * @param shippedVersion the newest version among the shipped migrations; null if none
     * @param currentVersion the newest applied version; null for an empty schema
     * @param pendingScripts scripts shipped but not applied, in order
     * @param newerAccepted whether the schema is newer than the shipped migrations and was accepted as
     *     declared compatible
     */
    public record SchemaStatus(String shippedVersion, String currentVersion, List<String> pendingScripts,
            boolean newerAccepted) {
        /**
         * Creates the status, copying the list.
         *
         * @param shippedVersion the newest shipped version; null if none
         * @param currentVersion the newest applied version; null if none
         * @param pendingScripts pending scripts; copied
         * @param newerAccepted whether a newer schema was accepted
         */
        public SchemaStatus {
            pendingScripts = List.copyOf(pendingScripts);
        }
    }

    /** Builder for {@link SchemaGuard}; not thread-safe. */
    public static final class Builder {
        private PendingPolicy pendingPolicy = PendingPolicy.APPLY;
        private boolean acceptNewerSchema;
        private String compatibleUpTo;

        private Builder() {
        }

        /**
         * Sets what happens to pending migrations.
         *
         * @param pendingPolicy not null; default {@link PendingPolicy#APPLY}
         * @return this builder
         * @throws ConfigurationException if null
         */
        public Builder pendingPolicy(PendingPolicy pendingPolicy) {
            this.pendingPolicy = Checks.notNull(pendingPolicy, "pendingPolicy");
            return this;
        }

        /**
         * Accepts any schema newer than the shipped migrations. Prefer {@link #compatibleUpTo(String)},
         * which names the versions this release was checked against.
         *
         * @param acceptNewerSchema true to accept any newer schema; default false
         * @return this builder
         */
        public Builder acceptNewerSchema(boolean acceptNewerSchema) {
            this.acceptNewerSchema = acceptNewerSchema;
            return this;
        }

        /**
         * Declares that this release works with schemas up to and including a version newer than the
         * migrations it ships, as during a rolling deploy where the next release migrates first.
         *
         * @param version a Flyway version such as {@code "3"} or {@code "2.1"}; null to declare none
         * @return this builder
         * @throws ConfigurationException if the version is blank or not a Flyway version
         */
        public Builder compatibleUpTo(String version) {
            if (version != null) {
                Checks.notBlank(version, "compatibleUpTo");
                try {
                    MigrationVersion.fromVersion(version);
                } catch (RuntimeException e) {
                    throw new ConfigurationException("compatibleUpTo must be a Flyway version such as \"3\" or "
                            + "\"2.1\", but was \"" + version + '"');
                }
            }
            this.compatibleUpTo = version;
            return this;
        }

        /**
         * Builds the guard.
         *
         * @return an immutable guard
         */
        public SchemaGuard build() {
            return new SchemaGuard(this);
        }
    }
}
