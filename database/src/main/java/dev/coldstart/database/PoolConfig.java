package dev.coldstart.database;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of a {@link DataSourceComponent}: where the database is, how many connections the
 * pool may hold, and the timeouts that bound every wait.
 *
 * <p>Built configs are immutable and thread-safe; builders are not thread-safe. {@link #toString()}
 * masks the password and every data source property whose name contains "password" or "secret".
 *
 * <pre>{@code
 * PoolConfig config = PoolConfig.builder()
 *         .jdbcUrl("jdbc:postgresql://127.0.0.1:5432/orders")
 *         .username("orders")
 *         .password(System.getenv("ORDERS_DB_PASSWORD"))
 *         .maximumPoolSize(8)
 *         .applicationName("orders-" + podName)
 *         .build();
 * }</pre>
 */
public final class PoolConfig {
    /** Default largest number of physical connections: 10, HikariCP's default. */
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;
    /** Default application name reported to PostgreSQL: {@code "coldstart"}. */
    public static final String DEFAULT_APPLICATION_NAME = "coldstart";
    /** Default time to open one physical connection (TCP connect and login): 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default time a caller waits for a pooled connection: 5 s. */
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(5);
    /** Default timeout of the probe's {@code SELECT 1}: 2 s. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** Smallest acquire timeout HikariCP accepts: 250 ms. */
    public static final Duration MIN_ACQUIRE_TIMEOUT = Duration.ofMillis(250);

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final int maximumPoolSize;
    private final int minimumIdle;
    private final boolean minimumIdleFollowsMaximum;
    private final String applicationName;
    private final Duration connectTimeout;
    private final Duration acquireTimeout;
    private final Duration probeTimeout;
    private final Map<String, String> dataSourceProperties;

    private PoolConfig(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.username = b.username;
        this.password = b.password;
        this.maximumPoolSize = b.maximumPoolSize;
        this.minimumIdleFollowsMaximum = b.minimumIdle < 0;
        this.minimumIdle = minimumIdleFollowsMaximum ? b.maximumPoolSize : b.minimumIdle;
        this.applicationName = b.applicationName;
        this.connectTimeout = b.connectTimeout;
        this.acquireTimeout = b.acquireTimeout;
        this.probeTimeout = b.probeTimeout;
        this.dataSourceProperties = Map.copyOf(b.dataSourceProperties);
    }

    /**
     * Starts a builder with the defaults; {@link Builder#jdbcUrl(String)} must be set before
     * {@code build()}.
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
        b.jdbcUrl = jdbcUrl;
        b.username = username;
        b.password = password;
        b.maximumPoolSize = maximumPoolSize;
        b.minimumIdle = minimumIdleFollowsMaximum ? -1 : minimumIdle;
        b.applicationName = applicationName;
        b.connectTimeout = connectTimeout;
        b.acquireTimeout = acquireTimeout;
        b.probeTimeout = probeTimeout;
        b.dataSourceProperties.putAll(dataSourceProperties);
        return b;
    }

    /**
     * The JDBC URL.
     *
     * @return never blank
     */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The user name.
     *
     * @return the user, or null when the URL or the driver supplies it
     */
    public String username() {
        return username;
    }

    /**
     * The password. Never log it; {@link #toString()} masks it.
     *
     * @return the password, or null when none is set
     */
    public String password() {
        return password;
    }

    /**
     * The largest number of physical connections the pool holds.
     *
     * @return at least 1
     */
    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    /**
     * The idle connections the pool keeps once the database has been reached.
     *
     * @return between 0 and {@link #maximumPoolSize()}
     */
    public int minimumIdle() {
        return minimumIdle;
    }

    /**
     * The name PostgreSQL shows in {@code pg_stat_activity.application_name} for every connection of
     * the pool (the pgJDBC {@code ApplicationName} property), so instances can be told apart.
     *
     * @return never blank
     */
    public String applicationName() {
        return applicationName;
    }

    /**
     * How long opening one physical connection may take, TCP connect and login included.
     *
     * @return a positive duration; sent to pgJDBC in whole seconds, rounded up
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long a caller of {@code getConnection()} waits for a pooled connection (HikariCP's
     * {@code connectionTimeout}).
     *
     * @return at least 250 ms
     */
    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    /**
     * The query timeout of the probe's {@code SELECT 1}.
     *
     * @return a positive duration; sent to the driver in whole seconds, rounded up
     */
    public Duration probeTimeout() {
        return probeTimeout;
    }

    /**
     * Extra driver properties, passed to the JDBC driver with every physical connection.
     *
     * @return an immutable map
     */
    public Map<String, String> dataSourceProperties() {
        return dataSourceProperties;
    }

    /**
     * Whether the URL names PostgreSQL (pgJDBC), which decides the driver properties that are set.
     *
     * @return true for {@code jdbc:postgresql:} URLs
     */
    public boolean isPostgresql() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public String toString() {
        Map<String, String> props = new LinkedHashMap<>();
        dataSourceProperties.forEach((k, v) -> props.put(k, isSecret(k) ? "****" : v));
        return "PoolConfig{jdbcUrl=" + maskUrl(jdbcUrl) + ", username=" + username
                + ", password=" + (password == null ? "null" : "****")
                + ", maximumPoolSize=" + maximumPoolSize + ", minimumIdle=" + minimumIdle
                + ", applicationName=" + applicationName + ", connectTimeout=" + connectTimeout
                + ", acquireTimeout=" + acquireTimeout + ", probeTimeout=" + probeTimeout
                + ", dataSourceProperties=" + props + '}';
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("secret");
    }

    /** Masks {@code password=...} query parameters, which pgJDBC accepts in the URL. */
    private static String maskUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PoolConfig)) {
            return false;
        }
        PoolConfig c = (PoolConfig) o;
        return maximumPoolSize == c.maximumPoolSize && minimumIdle == c.minimumIdle && jdbcUrl.equals(c.jdbcUrl)
                && Objects.equals(username, c.username) && Objects.equals(password, c.password)
                && applicationName.equals(c.applicationName) && connectTimeout.equals(c.connectTimeout)
                && acquireTimeout.equals(c.acquireTimeout) && probeTimeout.equals(c.probeTimeout)
                && dataSourceProperties.equals(c.dataSourceProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jdbcUrl, username, maximumPoolSize, applicationName);
    }

    /** Builder for {@link PoolConfig}; not thread-safe. */
    public static final class Builder {
        private String jdbcUrl;
        private String username;
        private String password;
        private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
        private int minimumIdle = -1;
        private String applicationName = DEFAULT_APPLICATION_NAME;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
        private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
        private final Map<String, String> dataSourceProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the JDBC URL; required.
         *
         * @param jdbcUrl a {@code jdbc:} URL, for example {@code jdbc:postgresql://127.0.0.1:5432/orders}
         * @return this builder
         * @throws ConfigurationException if blank or not starting with {@code jdbc:}
         */
        public Builder jdbcUrl(String jdbcUrl) {
            Checks.notBlank(jdbcUrl, "jdbcUrl");
            Checks.check(jdbcUrl.startsWith("jdbc:"), "jdbcUrl must start with \"jdbc:\", but was \"" + jdbcUrl + '"');
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /**
         * Sets the user name.
         *
         * @param username the user; null to let the URL or the driver decide (default)
         * @return this builder
         */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /**
         * Sets the password; it is masked in {@link PoolConfig#toString()}.
         *
         * @param password the password; null for none (default)
         * @return this builder
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * Sets the largest number of physical connections.
         *
         * @param maximumPoolSize at least 1; default 10
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = Checks.positive(maximumPoolSize, "maximumPoolSize");
            return this;
        }

        /**
         * Sets the idle connections kept once the database has been reached. Before that the pool keeps
         * none, so that a pool whose database is down makes no connection attempts of its own.
         *
         * @param minimumIdle 0 or more, at most {@code maximumPoolSize}; default equal to
         *     {@code maximumPoolSize} (a fixed-size pool, as HikariCP recommends)
         * @return this builder
         * @throws ConfigurationException if negative
         */
        public Builder minimumIdle(int minimumIdle) {
            this.minimumIdle = Checks.notNegative(minimumIdle, "minimumIdle");
            return this;
        }

        /**
         * Sets the application name shown in {@code pg_stat_activity}.
         *
         * @param applicationName not blank, at most 63 characters (PostgreSQL's NAMEDATALEN - 1);
         *     default {@code "coldstart"}
         * @return this builder
         * @throws ConfigurationException if blank or too long
         */
        public Builder applicationName(String applicationName) {
            Checks.notBlank(applicationName, "applicationName");
            Checks.check(applicationName.length() <= 63,
                    "applicationName must be at most 63 characters, but was " + applicationName.length()
                            + " (\"" + applicationName + "\")");
            this.applicationName = applicationName;
            return this;
        }

        /**
         * Sets how long opening one physical connection may take.
         *
         * @param connectTimeout positive; default 5 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Sets how long {@code getConnection()} waits for a pooled connection.
         *
         * @param acquireTimeout at least 250 ms; default 5 s
         * @return this builder
         * @throws ConfigurationException if shorter than 250 ms
         */
        public Builder acquireTimeout(Duration acquireTimeout) {
            Checks.notNull(acquireTimeout, "acquireTimeout");
            Checks.check(acquireTimeout.compareTo(MIN_ACQUIRE_TIMEOUT) >= 0,
                    "acquireTimeout must be at least " + MIN_ACQUIRE_TIMEOUT + ", but was " + acquireTimeout);
            this.acquireTimeout = acquireTimeout;
            return this;
        }

        /**
         * Sets the query timeout of the probe.
         *
         * @param probeTimeout positive; default 2 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder probeTimeout(Duration probeTimeout) {
            this.probeTimeout = Checks.positive(probeTimeout, "probeTimeout");
            return this;
        }

        /**
         * Adds a driver property, for example {@code sslmode=verify-full}.
         *
         * @param name not blank
         * @param value not null
         * @return this builder
         * @throws ConfigurationException if the name is blank or the value null
         */
        public Builder dataSourceProperty(String name, String value) {
            dataSourceProperties.put(Checks.notBlank(name, "dataSourceProperty name"),
                    Checks.notNull(value, "dataSourceProperty " + name));
            return this;
        }

        /**
         * Builds the config, checking the rules that span fields.
         *
         * @return an immutable config
         * @throws ConfigurationException if {@code jdbcUrl} was not set or {@code minimumIdle} exceeds
         *     {@code maximumPoolSize}
         */
        public PoolConfig build() {
            Checks.check(jdbcUrl != null, "jdbcUrl must be set, but was null");
            Checks.check(minimumIdle <= maximumPoolSize, "minimumIdle must be at most maximumPoolSize ("
                    + maximumPoolSize + "), but was " + minimumIdle);
            return new PoolConfig(this);
        }
    }
}
