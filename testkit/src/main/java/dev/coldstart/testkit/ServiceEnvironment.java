package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.net.URI;
import java.time.Duration;

/**
 * What the testkit hands a {@link ServiceFactory} for one service instance: where its dependencies
 * are (often a fault proxy in front of the real server) and the figures the scenario needs the
 * instance to use. A factory passes each value to the matching component; a value it ignores can
 * make a scenario fail, and the scenario's message says which.
 *
 * <p>Immutable and thread-safe; built by the testkit with {@link #builder()}.
 */
public final class ServiceEnvironment {
    private final String instanceName;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final URI redisUri;
    private final String redisKeyPrefix;
    private final int maximumPoolSize;
    private final Duration startTimeout;
    private final Duration migrationLockTimeout;

    private ServiceEnvironment(Builder b) {
        this.instanceName = b.instanceName;
        this.jdbcUrl = b.jdbcUrl;
        this.jdbcUser = b.jdbcUser;
        this.jdbcPassword = b.jdbcPassword;
        this.redisUri = b.redisUri;
        this.redisKeyPrefix = b.redisKeyPrefix;
        this.maximumPoolSize = b.maximumPoolSize;
        this.startTimeout = b.startTimeout;
        this.migrationLockTimeout = b.migrationLockTimeout;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.instanceName = instanceName;
        b.jdbcUrl = jdbcUrl;
        b.jdbcUser = jdbcUser;
        b.jdbcPassword = jdbcPassword;
        b.redisUri = redisUri;
        b.redisKeyPrefix = redisKeyPrefix;
        b.maximumPoolSize = maximumPoolSize;
        b.startTimeout = startTimeout;
        b.migrationLockTimeout = migrationLockTimeout;
        return b;
    }

    /**
     * A name unique to this instance; use it as the JDBC application name so the scenario can count
     * the instance's connections in {@code pg_stat_activity}.
     *
     * @return a non-blank name
     */
    public String instanceName() {
        return instanceName;
    }

    /**
     * The JDBC URL of the database, often through a fault proxy.
     *
     * @return the URL, or null when the scenario needs no database
     */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The database user.
     *
     * @return the user, or null when the scenario needs no database
     */
    public String jdbcUser() {
        return jdbcUser;
    }

    /**
     * The database password.
     *
     * @return the password, possibly empty; null when the scenario needs no database
     */
    public String jdbcPassword() {
        return jdbcPassword;
    }

    /**
     * The Redis URI.
     *
     * @return the URI, or null when the scenario needs no Redis
     */
    public URI redisUri() {
        return redisUri;
    }

    /**
     * The prefix every Redis key of this instance must start with.
     *
     * @return the prefix, or null when the scenario needs no Redis
     */
    public String redisKeyPrefix() {
        return redisKeyPrefix;
    }

    /**
     * The largest pool the instance may open, in physical connections.
     *
     * @return at least 1; default 10
     */
    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    /**
     * The start deadline the instance's database components should use.
     *
     * @return a positive duration; default 60 s
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * How long the instance's migration may wait for the cross-instance migration lock.
     *
     * @return a positive duration; default 60 s
     */
    public Duration migrationLockTimeout() {
        return migrationLockTimeout;
    }

    @Override
    public String toString() {
        return "ServiceEnvironment{instanceName=" + instanceName + ", jdbcUrl=" + jdbcUrl + ", jdbcUser=" + jdbcUser
                + ", jdbcPassword=" + (jdbcPassword == null || jdbcPassword.isEmpty() ? "(none)" : "****")
                + ", redisUri=" + redisUri + ", redisKeyPrefix=" + redisKeyPrefix + ", maximumPoolSize="
                + maximumPoolSize + ", startTimeout=" + startTimeout + ", migrationLockTimeout=" + migrationLockTimeout + '}';
    }

    /** Builder for {@link ServiceEnvironment}; not thread-safe. */
    public static final class Builder {
        private String instanceName = "coldstart-instance";
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private URI redisUri;
        private String redisKeyPrefix;
        private int maximumPoolSize = 10;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration migrationLockTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * Sets the instance name.
         *
         * @param instanceName not blank
         * @return this builder
         */
        public Builder instanceName(String instanceName) {
            this.instanceName = Checks.notBlank(instanceName, "instanceName");
            return this;
        }

        /**
         * Sets the database coordinates.
         *
         * @param url the JDBC URL; not blank
         * @param user the user; not null
         * @param password the password; not null, may be empty
         * @return this builder
         */
        public Builder database(String url, String user, String password) {
            this.jdbcUrl = Checks.notBlank(url, "jdbcUrl");
            this.jdbcUser = Checks.notNull(user, "jdbcUser");
            this.jdbcPassword = Checks.notNull(password, "jdbcPassword");
            return this;
        }

        /**
         * Sets the Redis coordinates.
         *
         * @param uri the URI; not null
         * @param keyPrefix the key prefix; not blank
         * @return this builder
         */
        public Builder redis(URI uri, String keyPrefix) {
            this.redisUri = Checks.notNull(uri, "redisUri");
            this.redisKeyPrefix = Checks.notBlank(keyPrefix, "redisKeyPrefix");
            return this;
        }

        /**
         * Sets the largest pool.
         *
         * @param maximumPoolSize at least 1
         * @return this builder
         */
        public Builder maximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = Checks.positive(maximumPoolSize, "maximumPoolSize");
            return this;
        }

        /**
         * Sets the start deadline.
         *
         * @param startTimeout positive
         * @return this builder
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Checks.positive(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Sets the migration lock wait.
         *
         * @param migrationLockTimeout positive
         * @return this builder
         */
        public Builder migrationLockTimeout(Duration migrationLockTimeout) {
            this.migrationLockTimeout = Checks.positive(migrationLockTimeout, "migrationLockTimeout");
            return this;
        }

        /**
         * Builds the environment.
         *
         * @return an immutable environment
         */
        public ServiceEnvironment build() {
            return new ServiceEnvironment(this);
        }
    }
}
