package dev.coldstart.testkit;

import dev.coldstart.coordination.PortPolicy;
import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.Checks;
import java.net.URI;
import java.time.Duration;

/**
 * What a coordination scenario hands to {@link CoordinationScenarios#coordinatedService(CoordinationEnvironment)}
 * for one instance of your service: where its dependencies are (often a fault proxy in front of the
 * real server), the HTTP port and port policy to bind with, the registry to register in, and the
 * timings the scenario needs the instance to use. A value the service ignores can make a scenario
 * fail; the failure message then says which.
 *
 * <p>Immutable and thread-safe; built by the testkit with {@link #builder()}. Builders are not
 * thread-safe.
 */
public final class CoordinationEnvironment {
    private final String instanceName;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final URI redisUri;
    private final String redisKeyPrefix;
    private final int httpPort;
    private final PortPolicy portPolicy;
    private final Duration portRetryTimeout;
    private final ServiceRegistry registry;
    private final String serviceName;
    private final Duration drainDelay;
    private final Duration startTimeout;
    private final Duration optionalStartTimeout;

    private CoordinationEnvironment(Builder b) {
        this.instanceName = b.instanceName;
        this.jdbcUrl = b.jdbcUrl;
        this.jdbcUser = b.jdbcUser;
        this.jdbcPassword = b.jdbcPassword;
        this.redisUri = b.redisUri;
        this.redisKeyPrefix = b.redisKeyPrefix;
        this.httpPort = b.httpPort;
        this.portPolicy = b.portPolicy;
        this.portRetryTimeout = b.portRetryTimeout;
        this.registry = b.registry;
        this.serviceName = b.serviceName;
        this.drainDelay = b.drainDelay;
        this.startTimeout = b.startTimeout;
        this.optionalStartTimeout = b.optionalStartTimeout;
    }

    /**
     * Starts a builder; the testkit builds environments, users only read them.
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
        b.httpPort = httpPort;
        b.portPolicy = portPolicy;
        b.portRetryTimeout = portRetryTimeout;
        b.registry = registry;
        b.serviceName = serviceName;
        b.drainDelay = drainDelay;
        b.startTimeout = startTimeout;
        b.optionalStartTimeout = optionalStartTimeout;
        return b;
    }

    /**
     * A name unique to this instance: use it as the JDBC application name and as the instance id
     * you register under.
     *
     * @return letters, digits, {@code .}, {@code _} and {@code -} only, so it is a valid registry id
     */
    public String instanceName() {
        return instanceName;
    }

    /**
     * The JDBC URL of a fresh PostgreSQL database, often through a fault proxy. The database is
     * dropped after the scenario.
     *
     * @return the URL; never null
     */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The database user.
     *
     * @return the user; never null
     */
    public String jdbcUser() {
        return jdbcUser;
    }

    /**
     * The database password.
     *
     * @return the password, possibly empty; never null
     */
    public String jdbcPassword() {
        return jdbcPassword;
    }

    /**
     * The Redis your <em>optional</em> component (a cache, say) must use; in CS-10 it is a fault proxy
     * that refuses connections at first. Keys must start with {@link #redisKeyPrefix()}.
     *
     * @return the URI, for example {@code redis://127.0.0.1:40123}; never null
     */
    public URI redisUri() {
        return redisUri;
    }

    /**
     * The prefix every Redis key of this instance must start with; cleaned after the scenario.
     *
     * @return the prefix, ending in {@code :}; never null
     */
    public String redisKeyPrefix() {
        return redisKeyPrefix;
    }

    /**
     * The port your HTTP server (probes and API) must bind.
     *
     * @return 0 for an ephemeral port, else 1 to 65535 (CS-08 hands a port another process holds)
     */
    public int httpPort() {
        return httpPort;
    }

    /**
     * What your server must do when {@link #httpPort()} is in use: give it to your
     * {@code PortAllocator}.
     *
     * @return the policy; never null
     */
    public PortPolicy portPolicy() {
        return portPolicy;
    }

    /**
     * How long {@link PortPolicy#RETRY} retries the bind: give it to your {@code PortAllocator}.
     *
     * @return a positive duration
     */
    public Duration portRetryTimeout() {
        return portRetryTimeout;
    }

    /**
     * The registry your service must register in (through a {@code ServiceRegistration} installed
     * into its orchestrator), on the port it actually bound. Owned by the scenario, which closes it;
     * an in-memory registry or a {@code RedisServiceRegistry} on the real Redis.
     *
     * @return the registry; never null
     */
    public ServiceRegistry registry() {
        return registry;
    }

    /**
     * The service name to register under; the instance id is {@link #instanceName()}.
     *
     * @return a valid registry service name; never null
     */
    public String serviceName() {
        return serviceName;
    }

    /**
     * The drain delay of your {@code ServiceRegistration}: how long it waits after deregistering
     * before the service may stop serving.
     *
     * @return zero or more
     */
    public Duration drainDelay() {
        return drainDelay;
    }

    /**
     * The start deadline of your required components.
     *
     * @return a positive duration
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The start deadline of your optional components, after which they are degraded and retried in
     * the background.
     *
     * @return a positive duration
     */
    public Duration optionalStartTimeout() {
        return optionalStartTimeout;
    }

    @Override
    public String toString() {
        return "CoordinationEnvironment{instanceName=" + instanceName + ", jdbcUrl=" + jdbcUrl + ", jdbcUser="
                + jdbcUser + ", jdbcPassword=" + (jdbcPassword == null || jdbcPassword.isEmpty() ? "(none)" : "****")
                + ", redisUri=" + redisUri + ", redisKeyPrefix=" + redisKeyPrefix + ", httpPort=" + httpPort
                + ", portPolicy=" + portPolicy + ", portRetryTimeout=" + portRetryTimeout + ", registry=" + registry
                + ", serviceName=" + serviceName + ", drainDelay=" + drainDelay + ", startTimeout=" + startTimeout
                + ", optionalStartTimeout=" + optionalStartTimeout + '}';
    }

    /** Builder for {@link CoordinationEnvironment}; not thread-safe. */
    public static final class Builder {
        private String instanceName = "coldstart-instance";
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private URI redisUri;
        private String redisKeyPrefix;
        private int httpPort;
        private PortPolicy portPolicy = PortPolicy.FAIL;
        private Duration portRetryTimeout = Duration.ofSeconds(30);
        private ServiceRegistry registry;
        private String serviceName = "coldstart-service";
        private Duration drainDelay = Duration.ofMillis(500);
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration optionalStartTimeout = Duration.ofSeconds(2);

        private Builder() {
        }

        /**
         * Sets the instance name.
         *
         * @param instanceName letters, digits, {@code .}, {@code _}, {@code -}
         * @return this builder
         */
        public Builder instanceName(String instanceName) {
            Checks.notBlank(instanceName, "instanceName");
            Checks.check(instanceName.matches("[A-Za-z0-9._-]{1,128}"),
                    "instanceName must consist of 1 to 128 letters, digits, '.', '_' or '-', but was \"" + instanceName + "\"");
            this.instanceName = instanceName;
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
         * Sets the HTTP port and what to do when it is in use.
         *
         * @param port 0 to 65535
         * @param policy not null
         * @param retryTimeout how long {@link PortPolicy#RETRY} retries; positive
         * @return this builder
         */
        public Builder http(int port, PortPolicy policy, Duration retryTimeout) {
            Checks.check(port >= 0 && port <= 65535, "httpPort must be between 0 and 65535, but was " + port);
            this.httpPort = port;
            this.portPolicy = Checks.notNull(policy, "portPolicy");
            this.portRetryTimeout = Checks.positive(retryTimeout, "portRetryTimeout");
            return this;
        }

        /**
         * Sets where and how the instance registers.
         *
         * @param registry the registry; not null
         * @param serviceName the service name; not blank
         * @param drainDelay the drain delay after deregistering; zero or more
         * @return this builder
         */
        public Builder registry(ServiceRegistry registry, String serviceName, Duration drainDelay) {
            this.registry = Checks.notNull(registry, "registry");
            this.serviceName = Checks.notBlank(serviceName, "serviceName");
            this.drainDelay = Checks.notNegative(drainDelay, "drainDelay");
            return this;
        }

        /**
         * Sets the start deadlines.
         *
         * @param required of required components; positive
         * @param optional of optional components; positive
         * @return this builder
         */
        public Builder startTimeouts(Duration required, Duration optional) {
            this.startTimeout = Checks.positive(required, "startTimeout");
            this.optionalStartTimeout = Checks.positive(optional, "optionalStartTimeout");
            return this;
        }

        /**
         * Builds the environment.
         *
         * @return an immutable environment
         * @throws dev.coldstart.core.ConfigurationException if the database, Redis or registry is missing
         */
        public CoordinationEnvironment build() {
            Checks.check(jdbcUrl != null, "jdbcUrl must be set, but was null");
            Checks.check(redisUri != null, "redisUri must be set, but was null");
            Checks.check(registry != null, "registry must be set, but was null");
            return new CoordinationEnvironment(this);
        }
    }
}
