package dev.coldstart.database;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.database.internal.AdvisoryLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable settings of a {@link MigrationComponent}: where the migrations are, which history table
 * records them, the cross-instance lock around them, and the {@link SchemaGuard} rules.
 *
 * <p>The lock is a PostgreSQL advisory lock whose {@code bigint} key is derived from
 * {@link #lockName()}: the first 8 bytes of SHA-256 of {@code "coldstart.migration:" + lockName}.
 * Advisory locks are scoped to one database, so services sharing a database share a lock only if
 * they share the lock name; by default it is the history table's qualified name, which is exactly
 * the set of instances that migrate the same schema.
 *
 * <p>Built configs are immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * MigrationConfig config = MigrationConfig.builder()
 *         .locations("classpath:db/migration")
 *         .lockTimeout(Duration.ofMinutes(2))
 *         .schemaGuard(SchemaGuard.builder().pendingPolicy(PendingPolicy.REFUSE).build())
 *         .build();
 * }</pre>
 */
public final class MigrationConfig {
    /** Default migration location: {@code classpath:db/migration}, Flyway's default. */
    public static final String DEFAULT_LOCATION = "classpath:db/migration";
    /** Default history table: {@code flyway_schema_history}, Flyway's default. */
    public static final String DEFAULT_TABLE = "flyway_schema_history";
    /** Default longest wait for the migration lock: 30 s. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);
    /** Default first interval between lock polls: 50 ms. */
    public static final Duration DEFAULT_LOCK_POLL_INITIAL = Duration.ofMillis(50);
    /** Default cap on the interval between lock polls: 1 s. */
    public static final Duration DEFAULT_LOCK_POLL_MAX = Duration.ofSeconds(1);

    private static final MigrationConfig DEFAULTS = builder().build();

    private final List<String> locations;
    private final String schema;
    private final String table;
    private final String lockName;
    private final String explicitLockName;
    private final Duration lockTimeout;
    private final Duration lockPollInitial;
    private final Duration lockPollMax;
    private final SchemaGuard schemaGuard;
    private final Map<String, String> flywayProperties;

    private MigrationConfig(Builder b) {
        this.locations = List.copyOf(b.locations);
        this.schema = b.schema;
        this.table = b.table;
        this.explicitLockName = b.lockName;
        this.lockName = b.lockName != null ? b.lockName : (b.schema == null ? "" : b.schema + ".") + b.table;
        this.lockTimeout = b.lockTimeout;
        this.lockPollInitial = b.lockPollInitial;
        this.lockPollMax = b.lockPollMax;
        this.schemaGuard = b.schemaGuard;
        this.flywayProperties = Map.copyOf(b.flywayProperties);
    }

    /**
     * The defaults: {@code classpath:db/migration}, the connection's default schema,
     * {@code flyway_schema_history}, a 30 s lock timeout, {@link SchemaGuard#ofDefaults()}.
     *
     * @return the shared default config
     */
    public static MigrationConfig ofDefaults() {
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
     * A builder holding this config's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.locations.clear();
        b.locations.addAll(locations);
        b.schema = schema;
        b.table = table;
        b.lockName = explicitLockName;
        b.lockTimeout = lockTimeout;
        b.lockPollInitial = lockPollInitial;
        b.lockPollMax = lockPollMax;
        b.schemaGuard = schemaGuard;
        b.flywayProperties.putAll(flywayProperties);
        return b;
    }

    /**
     * Flyway locations of the migrations this service ships.
     *
     * @return an immutable, non-empty list
     */
    public List<String> locations() {
        return locations;
    }

    /**
     * The schema Flyway manages and where the history table lives.
     *
     * @return the schema, or null for the connection's default schema
     */
    public String schema() {
        return schema;
    }

    /**
     * The history table's name.
     *
     * @return never blank
     */
    public String table() {
        return table;
    }

    /**
     * The name the lock key is derived from; by default {@code [schema.]table}.
     *
     * @return never blank
     */
    public String lockName() {
        return lockName;
    }

    /**
     * The advisory lock key derived from {@link #lockName()} (see the class comment).
     *
     * @return the {@code bigint} key passed to {@code pg_try_advisory_lock}
     */
    public long lockKey() {
        return AdvisoryLock.keyFor(lockName);
    }

    /**
     * The longest wait for the lock before {@link MigrationLockTimeoutException}.
     *
     * @return a positive duration
     */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /**
     * The first interval between lock polls; it doubles up to {@link #lockPollMax()}.
     *
     * @return a positive duration
     */
    public Duration lockPollInitial() {
        return lockPollInitial;
    }

    /**
     * The cap on the interval between lock polls.
     *
     * @return a duration at least {@link #lockPollInitial()}
     */
    public Duration lockPollMax() {
        return lockPollMax;
    }

    /**
     * The schema rules applied before and after migrating.
     *
     * @return the guard
     */
    public SchemaGuard schemaGuard() {
        return schemaGuard;
    }

    /**
     * Extra Flyway settings in Flyway's property syntax ({@code flyway.placeholders.x}, ...), applied
     * before the settings above.
     *
     * @return an immutable map
     */
    public Map<String, String> flywayProperties() {
        return flywayProperties;
    }

    @Override
    public String toString() {
        return "MigrationConfig{locations=" + locations + ", schema=" + schema + ", table=" + table + ", lockName="
                + lockName + ", lockTimeout=" + lockTimeout + ", lockPollInitial=" + lockPollInitial + ", lockPollMax="
                + lockPollMax + ", schemaGuard=" + schemaGuard + ", flywayProperties=" + flywayProperties.keySet() + '}';
    }

    /** Builder for {@link MigrationConfig}; not thread-safe. */
    public static final class Builder {
        private final List<String> locations = new ArrayList<>(List.of(DEFAULT_LOCATION));
        private String schema;
        private String table = DEFAULT_TABLE;
        private String lockName;
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private Duration lockPollInitial = DEFAULT_LOCK_POLL_INITIAL;
        private Duration lockPollMax = DEFAULT_LOCK_POLL_MAX;
        private SchemaGuard schemaGuard = SchemaGuard.ofDefaults();
        private final Map<String, String> flywayProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Replaces the migration locations.
         *
         * @param locations Flyway locations such as {@code classpath:db/migration} or
         *     {@code filesystem:/srv/sql}; at least one, none blank; default {@code classpath:db/migration}
         * @return this builder
         * @throws ConfigurationException if empty or a location is blank
         */
        public Builder locations(String... locations) {
            Checks.notNull(locations, "locations");
            Checks.check(locations.length > 0, "locations must not be empty, but was []");
            List<String> copy = new ArrayList<>();
            for (String l : locations) {
                copy.add(Checks.notBlank(l, "locations[" + copy.size() + "]"));
            }
            this.locations.clear();
            this.locations.addAll(copy);
            return this;
        }

        /**
         * Sets the schema Flyway manages.
         *
         * @param schema a schema name; null for the connection's default schema (default)
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder schema(String schema) {
            this.schema = schema == null ? null : Checks.notBlank(schema, "schema");
            return this;
        }

        /**
         * Sets the history table's name.
         *
         * @param table not blank; default {@code flyway_schema_history}
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder table(String table) {
            this.table = Checks.notBlank(table, "table");
            return this;
        }

        /**
         * Sets the name the lock key is derived from.
         *
         * @param lockName not blank, or null for {@code [schema.]table} (default)
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder lockName(String lockName) {
            this.lockName = lockName == null ? null : Checks.notBlank(lockName, "lockName");
            return this;
        }

        /**
         * Sets the longest wait for the lock. Keep it below the component's start deadline so the
         * timeout, which names the holder, is what the report shows.
         *
         * @param lockTimeout positive; default 30 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = Checks.positive(lockTimeout, "lockTimeout");
            return this;
        }

        /**
         * Sets the first interval between lock polls.
         *
         * @param lockPollInitial positive; default 50 ms
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder lockPollInitial(Duration lockPollInitial) {
            this.lockPollInitial = Checks.positive(lockPollInitial, "lockPollInitial");
            return this;
        }

        /**
         * Sets the cap on the interval between lock polls.
         *
         * @param lockPollMax positive, at least {@code lockPollInitial}; default 1 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder lockPollMax(Duration lockPollMax) {
            this.lockPollMax = Checks.positive(lockPollMax, "lockPollMax");
            return this;
        }

        /**
         * Sets the schema rules.
         *
         * @param schemaGuard not null; default {@link SchemaGuard#ofDefaults()}
         * @return this builder
         * @throws ConfigurationException if null
         */
        public Builder schemaGuard(SchemaGuard schemaGuard) {
            this.schemaGuard = Checks.notNull(schemaGuard, "schemaGuard");
            return this;
        }

        /**
         * Adds a Flyway setting in Flyway's property syntax, for what this config does not name. Settings
         * of Flyway's database plugins ({@code flyway.postgresql.*}) need jackson-databind on the
         * classpath; {@code flyway.postgresql.transactional.lock} is always false here (see
         * {@link MigrationComponent}).
         *
         * @param key a key starting with {@code flyway.}
         * @param value not null
         * @return this builder
         * @throws ConfigurationException if the key does not start with {@code flyway.} or the value is null
         */
        public Builder flywayProperty(String key, String value) {
            Checks.notBlank(key, "flywayProperty key");
            Checks.check(key.startsWith("flyway."), "flywayProperty key must start with \"flyway.\", but was \"" + key + '"');
            flywayProperties.put(key, Checks.notNull(value, "flywayProperty " + key));
            return this;
        }

        /**
         * Builds the config, checking the rules that span fields.
         *
         * @return an immutable config
         * @throws ConfigurationException if {@code lockPollMax < lockPollInitial}
         */
        public MigrationConfig build() {
            Checks.check(lockPollMax.compareTo(lockPollInitial) >= 0, "lockPollMax must be greater than or equal to "
                    + "lockPollInitial (" + lockPollInitial + "), but was " + lockPollMax);
            return new MigrationConfig(this);
        }
    }
}
