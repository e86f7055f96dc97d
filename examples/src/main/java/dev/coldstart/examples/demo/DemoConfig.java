package dev.coldstart.examples.demo;

import dev.coldstart.coordination.PortPolicy;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The demo's settings, from the command line or from code (the testkit builds it per instance).
 * Immutable; builders are not thread-safe.
 */
public final class DemoConfig {
    /** Default HTTP port: 8080. */
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** Default database user: {@code postgres}. */
    public static final String DEFAULT_JDBC_USER = "postgres";
    /** Default JDBC application name: {@code coldstart-demo}. */
    public static final String DEFAULT_APP_NAME = "coldstart-demo";
    /** Default pool size: 5 physical connections. */
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 5;
    /** Default start deadline of the database components: 60 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    /** Default wait for the cross-instance migration lock: 60 s. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);
    /** Default deadline of {@code --port-policy retry}: 30 s. */
    public static final Duration DEFAULT_PORT_RETRY_TIMEOUT = Duration.ofSeconds(30);
    /** Default prefix of the demo's Redis keys: {@code coldstart-demo:}. */
    public static final String DEFAULT_REDIS_KEY_PREFIX = "coldstart-demo:";
    /** Default name the demo registers under: {@code coldstart-demo}. */
    public static final String DEFAULT_SERVICE_NAME = "coldstart-demo";
    /** Default wait between leaving the registry and stopping the database components: 1 s. */
    public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(1);
    /** Default start deadline of the optional cache, after which the demo runs without it: 5 s. */
    public static final Duration DEFAULT_CACHE_START_TIMEOUT = Duration.ofSeconds(5);

    static final String USAGE = String.join("\n",
            "usage: java -jar coldstart-demo.jar [options]",
            "  --jdbc-url URL        database (else COLDSTART_PG_URL, else PostgreSQL on 127.0.0.1:5432 if it",
            "                        answers, else an embedded H2 in PostgreSQL mode)",
            "  --jdbc-user USER      database user (default postgres)",
            "  --jdbc-password PW    database password (default empty)",
            "  --http-port N         port of the probes and API, 0 for a free one (default 8080)",
            "  --app-name NAME       JDBC application name (default coldstart-demo)",
            "  --pool-size N         maximum physical connections of the pool (default 5)",
            "  --start-timeout SECS  start deadline of each database component (default 60)",
            "  --lock-timeout SECS   wait for the migration lock (default 60)",
            "  --redis-url URL       Redis for the service registry and the optional cache (else",
            "                        COLDSTART_REDIS_URL, else an in-memory registry and no cache)",
            "  --port-policy P       when the HTTP port is taken: fail, retry or fallback (a free port);",
            "                        default fail, and fallback with --http-port 0",
            "  --port-retry-timeout SECS  how long --port-policy retry keeps trying (default 30)",
            DemoFrontEndConfig.USAGE,
            DemoAuthConfig.USAGE,
            DemoResourcesConfig.USAGE,
            DemoWebSocketConfig.USAGE,
            "  --exit-when-ready     print the report and exit 0 once READY, 1 if a required component fails",
            "  --report-json PATH    also write the startup report as JSON to PATH",
            "  --report-html PATH    also write the startup report as an HTML timeline to PATH",
            "  --help                print this text");

    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final int httpPort;
    private final String appName;
    private final int maximumPoolSize;
    private final Duration startTimeout;
    private final Duration lockTimeout;
    private final boolean exitWhenReady;
    private final Path reportJson;
    private final Path reportHtml;
    private final String redisUrl;
    private final PortPolicy portPolicy;
    private final Duration portRetryTimeout;
    private final String redisKeyPrefix;
    private final String serviceName;
    private final String instanceId;
    private final Duration drainDelay;
    private final Duration cacheStartTimeout;
    private final DemoFrontEndConfig frontEnd;
    private final DemoAuthConfig auth;
    private final DemoResourcesConfig resources;
    private final DemoWebSocketConfig webSocket;

    private DemoConfig(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.jdbcUser = b.jdbcUser;
        this.jdbcPassword = b.jdbcPassword;
        this.httpPort = b.httpPort;
        this.appName = b.appName;
        this.maximumPoolSize = b.maximumPoolSize;
        this.startTimeout = b.startTimeout;
        this.lockTimeout = b.lockTimeout;
        this.exitWhenReady = b.exitWhenReady;
        this.reportJson = b.reportJson;
        this.reportHtml = b.reportHtml;
        this.redisUrl = b.redisUrl;
        this.portPolicy = b.portPolicy;
        this.portRetryTimeout = b.portRetryTimeout;
        this.redisKeyPrefix = b.redisKeyPrefix;
        this.serviceName = b.serviceName;
        this.instanceId = b.instanceId;
        this.drainDelay = b.drainDelay;
        this.cacheStartTimeout = b.cacheStartTimeout;
        this.frontEnd = b.frontEnd;
        this.auth = b.auth;
        this.resources = b.resources;
        this.webSocket = b.webSocket;
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
     * Parses command-line arguments.
     *
     * @param args the arguments
     * @return the settings
     * @throws ConfigurationException naming the option, the value and the rule, for a bad argument
     */
    public static DemoConfig parse(String... args) {
        Builder b = builder();
        DemoFrontEndConfig.Builder frontEnd = DemoFrontEndConfig.builder();
        DemoAuthConfig.Builder auth = DemoAuthConfig.builder();
        DemoResourcesConfig.Builder resources = DemoResourcesConfig.builder();
        DemoWebSocketConfig.Builder webSocket = DemoWebSocketConfig.builder();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--exit-when-ready" -> b.exitWhenReady(true);
                case "--jdbc-url" -> b.jdbcUrl(value(args, ++i, option));
                case "--jdbc-user" -> b.jdbcUser(value(args, ++i, option));
                case "--jdbc-password" -> b.jdbcPassword(value(args, ++i, option));
                case "--http-port" -> b.httpPort(number(args, ++i, option));
                case "--app-name" -> b.appName(value(args, ++i, option));
                case "--pool-size" -> b.maximumPoolSize(number(args, ++i, option));
                case "--start-timeout" -> b.startTimeout(Duration.ofSeconds(number(args, ++i, option)));
                case "--lock-timeout" -> b.lockTimeout(Duration.ofSeconds(number(args, ++i, option)));
                case "--report-json" -> b.reportJson(Path.of(value(args, ++i, option)));
                case "--report-html" -> b.reportHtml(Path.of(value(args, ++i, option)));
                case "--redis-url" -> b.redisUrl(value(args, ++i, option));
                case "--port-policy" -> b.portPolicy(portPolicy(value(args, ++i, option)));
                case "--port-retry-timeout" -> b.portRetryTimeout(Duration.ofSeconds(number(args, ++i, option)));
                default -> {
                    int used = DemoFrontEndConfig.parseOption(frontEnd, args, i);
                    if (used == 0) {
                        used = DemoAuthConfig.parseOption(auth, args, i, System.getenv());
                    }
                    if (used == 0) {
                        used = DemoResourcesConfig.parseOption(resources, args, i);
                    }
                    if (used == 0) {
                        used = DemoWebSocketConfig.parseOption(webSocket, args, i);
                    }
                    if (used == 0) {
                        throw new ConfigurationException("unknown option " + option + "\n" + USAGE);
                    }
                    i += used - 1;
                }
            }
        }
        return b.frontEnd(frontEnd.build()).auth(auth.build()).resources(resources.build()).webSocket(webSocket.build()).build();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new ConfigurationException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static PortPolicy portPolicy(String v) {
        return switch (v) {
            case "fail" -> PortPolicy.FAIL;
            case "retry" -> PortPolicy.RETRY;
            case "fallback" -> PortPolicy.EPHEMERAL_FALLBACK;
            default -> throw new ConfigurationException("--port-policy must be fail, retry or fallback, but was " + v);
        };
    }

    private static int number(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(option + " must be a whole number, but was " + v);
        }
    }

    /**
     * The JDBC URL chosen on the command line or in code.
     *
     * @return the URL, or null to let the demo choose (environment, local PostgreSQL, H2)
     */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The database user.
     *
     * @return the user
     */
    public String jdbcUser() {
        return jdbcUser;
    }

    /**
     * The database password.
     *
     * @return the password, possibly empty
     */
    public String jdbcPassword() {
        return jdbcPassword;
    }

    /**
     * The HTTP port; 0 for a free one.
     *
     * @return 0 to 65535
     */
    public int httpPort() {
        return httpPort;
    }

    /**
     * The JDBC application name.
     *
     * @return not blank
     */
    public String appName() {
        return appName;
    }

    /**
     * The pool's maximum physical connections.
     *
     * @return at least 1
     */
    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    /**
     * The start deadline of each database component.
     *
     * @return positive
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The wait for the migration lock.
     *
     * @return positive
     */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /**
     * Whether to exit once READY.
     *
     * @return true to print the report and exit
     */
    public boolean exitWhenReady() {
        return exitWhenReady;
    }

    /**
     * Where to write the JSON report.
     *
     * @return the path, or null for none
     */
    public Path reportJson() {
        return reportJson;
    }

    /**
     * Where to write the HTML timeline of the startup report.
     *
     * @return the path, or null for none
     */
    public Path reportHtml() {
        return reportHtml;
    }

    /**
     * The Redis chosen on the command line or in code, for the registry and the optional cache.
     *
     * @return a {@code redis://} URL, or null to let {@code main} look at {@code COLDSTART_REDIS_URL}
     *     (from code: no cache, and the registry given to {@code DemoService.create})
     */
    public String redisUrl() {
        return redisUrl;
    }

    /**
     * What the HTTP endpoint does when its port is taken.
     *
     * @return the policy given, else {@link PortPolicy#EPHEMERAL_FALLBACK} for port 0 and
     *     {@link PortPolicy#FAIL} otherwise
     */
    public PortPolicy portPolicy() {
        if (portPolicy != null) {
            return portPolicy;
        }
        return httpPort == 0 ? PortPolicy.EPHEMERAL_FALLBACK : PortPolicy.FAIL;
    }

    /**
     * How long {@link PortPolicy#RETRY} keeps trying to bind.
     *
     * @return positive; default 30 s
     */
    public Duration portRetryTimeout() {
        return portRetryTimeout;
    }

    /**
     * The prefix of every Redis key the demo writes (cache entries, and the registry under
     * {@code <prefix>registry}).
     *
     * @return not blank; default {@value #DEFAULT_REDIS_KEY_PREFIX}
     */
    public String redisKeyPrefix() {
        return redisKeyPrefix;
    }

    /**
     * The name the demo registers under.
     *
     * @return a registry service name; default {@value #DEFAULT_SERVICE_NAME}
     */
    public String serviceName() {
        return serviceName;
    }

    /**
     * The id the demo registers under.
     *
     * @return the id given, else the application name and this process's pid
     */
    public String instanceId() {
        return instanceId != null ? instanceId : appName.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + ProcessHandle.current().pid();
    }

    /**
     * How long the demo waits after leaving the registry before it stops its database components.
     *
     * @return zero or more; default 1 s
     */
    public Duration drainDelay() {
        return drainDelay;
    }

    /**
     * The start deadline of the optional cache, after which the demo runs degraded without it and
     * retries it in the background.
     *
     * @return positive; default 5 s
     */
    public Duration cacheStartTimeout() {
        return cacheStartTimeout;
    }

    /**
     * The front-end and API integration settings: request gate, CORS, asset origins, GraphQL
     * services, client build manifest.
     *
     * @return the settings; {@link DemoFrontEndConfig#ofDefaults()} by default
     */
    public DemoFrontEndConfig frontEnd() {
        return frontEnd;
    }

    /**
     * The optional OIDC settings: issuer, audience, partner issuer, key cache, client credentials.
     *
     * @return the settings; {@link DemoAuthConfig#ofDefaults()} (no auth) by default
     */
    public DemoAuthConfig auth() {
        return auth;
    }

    /**
     * The WebSocket endpoint's settings: port, heartbeat, buffer limits, token verifier.
     *
     * @return the settings; {@link DemoWebSocketConfig#ofDefaults()} (no endpoint) by default
     */
    public DemoWebSocketConfig webSocket() {
        return webSocket;
    }

    /**
     * The resource guards' settings: file-descriptor budget, monitors, bulk share of a link.
     *
     * @return the settings; {@link DemoResourcesConfig#ofDefaults()} by default
     */
    public DemoResourcesConfig resources() {
        return resources;
    }

    @Override
    public String toString() {
        return "DemoConfig{jdbcUrl=" + jdbcUrl + ", jdbcUser=" + jdbcUser + ", jdbcPassword="
                + (jdbcPassword.isEmpty() ? "(none)" : "****") + ", httpPort=" + httpPort + ", appName=" + appName
                + ", maximumPoolSize=" + maximumPoolSize + ", startTimeout=" + startTimeout + ", lockTimeout="
                + lockTimeout + ", exitWhenReady=" + exitWhenReady + ", reportJson=" + reportJson + ", reportHtml=" + reportHtml + ", redisUrl=" + (redisUrl == null ? null : "(set)") + ", portPolicy=" + portPolicy()
                + ", portRetryTimeout=" + portRetryTimeout + ", serviceName=" + serviceName + ", drainDelay=" + drainDelay
                + ", cacheStartTimeout=" + cacheStartTimeout + ", frontEnd=" + frontEnd + ", auth=" + auth + ", resources=" + resources + ", webSocket=" + webSocket + '}';
    }

    /** Builder for {@link DemoConfig}; not thread-safe. */
    public static final class Builder {
        private String jdbcUrl;
        private String jdbcUser = DEFAULT_JDBC_USER;
        private String jdbcPassword = "";
        private int httpPort = DEFAULT_HTTP_PORT;
        private String appName = DEFAULT_APP_NAME;
        private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private boolean exitWhenReady;
        private Path reportJson;
        private Path reportHtml;
        private String redisUrl;
        private PortPolicy portPolicy;
        private Duration portRetryTimeout = DEFAULT_PORT_RETRY_TIMEOUT;
        private String redisKeyPrefix = DEFAULT_REDIS_KEY_PREFIX;
        private String serviceName = DEFAULT_SERVICE_NAME;
        private String instanceId;
        private Duration drainDelay = DEFAULT_DRAIN_DELAY;
        private Duration cacheStartTimeout = DEFAULT_CACHE_START_TIMEOUT;
        private DemoFrontEndConfig frontEnd = DemoFrontEndConfig.ofDefaults();
        private DemoAuthConfig auth = DemoAuthConfig.ofDefaults();
        private DemoResourcesConfig resources = DemoResourcesConfig.ofDefaults();
        private DemoWebSocketConfig webSocket = DemoWebSocketConfig.ofDefaults();

        private Builder() {
        }

        /**
         * Sets the JDBC URL.
         *
         * @param jdbcUrl a {@code jdbc:postgresql:} or {@code jdbc:h2:} URL; not blank
         * @return this builder
         */
        public Builder jdbcUrl(String jdbcUrl) {
            Checks.notBlank(jdbcUrl, "jdbcUrl");
            Checks.check(jdbcUrl.startsWith("jdbc:postgresql:") || jdbcUrl.startsWith("jdbc:h2:"),
                    "jdbcUrl must start with jdbc:postgresql: or jdbc:h2:, but was " + jdbcUrl);
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /**
         * Sets the database user.
         *
         * @param jdbcUser not blank; default {@value DemoConfig#DEFAULT_JDBC_USER}
         * @return this builder
         */
        public Builder jdbcUser(String jdbcUser) {
            this.jdbcUser = Checks.notBlank(jdbcUser, "jdbcUser");
            return this;
        }

        /**
         * Sets the database password.
         *
         * @param jdbcPassword not null; default empty
         * @return this builder
         */
        public Builder jdbcPassword(String jdbcPassword) {
            this.jdbcPassword = Checks.notNull(jdbcPassword, "jdbcPassword");
            return this;
        }

        /**
         * Sets the HTTP port.
         *
         * @param httpPort 0 to 65535; default {@value DemoConfig#DEFAULT_HTTP_PORT}
         * @return this builder
         */
        public Builder httpPort(int httpPort) {
            Checks.check(httpPort >= 0 && httpPort <= 65535,
                    "httpPort must be between 0 and 65535, but was " + httpPort);
            this.httpPort = httpPort;
            return this;
        }

        /**
         * Sets the JDBC application name.
         *
         * @param appName not blank; default {@value DemoConfig#DEFAULT_APP_NAME}
         * @return this builder
         */
        public Builder appName(String appName) {
            this.appName = Checks.notBlank(appName, "appName");
            return this;
        }

        /**
         * Sets the pool size.
         *
         * @param maximumPoolSize at least 1; default {@value DemoConfig#DEFAULT_MAXIMUM_POOL_SIZE}
         * @return this builder
         */
        public Builder maximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = Checks.positive(maximumPoolSize, "maximumPoolSize");
            return this;
        }

        /**
         * Sets the start deadline of the database components.
         *
         * @param startTimeout positive; default 60 s
         * @return this builder
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Checks.positive(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Sets the wait for the migration lock.
         *
         * @param lockTimeout positive; default 60 s
         * @return this builder
         */
        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = Checks.positive(lockTimeout, "lockTimeout");
            return this;
        }

        /**
         * Sets whether to exit once READY.
         *
         * @param exitWhenReady true to exit
         * @return this builder
         */
        public Builder exitWhenReady(boolean exitWhenReady) {
            this.exitWhenReady = exitWhenReady;
            return this;
        }

        /**
         * Sets where to write the JSON report.
         *
         * @param reportJson the path; null for none
         * @return this builder
         */
        public Builder reportJson(Path reportJson) {
            this.reportJson = reportJson;
            return this;
        }

        /**
         * Sets where to write the HTML timeline of the startup report.
         *
         * @param reportHtml the path; null for none
         * @return this builder
         */
        public Builder reportHtml(Path reportHtml) {
            this.reportHtml = reportHtml;
            return this;
        }

        /**
         * Sets the Redis of the registry and the optional cache.
         *
         * @param redisUrl a {@code redis://} or {@code rediss://} URL, or null for none (the default)
         * @return this builder
         */
        public Builder redisUrl(String redisUrl) {
            if (redisUrl != null) {
                Checks.check(redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://"),
                        "redisUrl must start with redis:// or rediss://, but was " + redisUrl.replaceAll("//[^@/]*@", "//****@"));
            }
            this.redisUrl = redisUrl;
            return this;
        }

        /**
         * Sets what the HTTP endpoint does when its port is taken.
         *
         * @param portPolicy the policy, or null for the default (fail, or fallback for port 0)
         * @return this builder
         */
        public Builder portPolicy(PortPolicy portPolicy) {
            this.portPolicy = portPolicy;
            return this;
        }

        /**
         * Sets how long {@link PortPolicy#RETRY} keeps trying.
         *
         * @param portRetryTimeout positive; default 30 s
         * @return this builder
         */
        public Builder portRetryTimeout(Duration portRetryTimeout) {
            this.portRetryTimeout = Checks.positive(portRetryTimeout, "portRetryTimeout");
            return this;
        }

        /**
         * Sets the prefix of the demo's Redis keys.
         *
         * @param redisKeyPrefix not blank; default {@value DemoConfig#DEFAULT_REDIS_KEY_PREFIX}
         * @return this builder
         */
        public Builder redisKeyPrefix(String redisKeyPrefix) {
            this.redisKeyPrefix = Checks.notBlank(redisKeyPrefix, "redisKeyPrefix");
            return this;
        }

        /**
         * Sets the name and id the demo registers under.
         *
         * @param serviceName a registry service name; default {@value DemoConfig#DEFAULT_SERVICE_NAME}
         * @param instanceId the id, or null for the application name and the pid (the default)
         * @return this builder
         */
        public Builder registration(String serviceName, String instanceId) {
            this.serviceName = Checks.notBlank(serviceName, "serviceName");
            this.instanceId = instanceId;
            return this;
        }

        /**
         * Sets the wait between leaving the registry and stopping the database components.
         *
         * @param drainDelay zero or more; default 1 s
         * @return this builder
         */
        public Builder drainDelay(Duration drainDelay) {
            this.drainDelay = Checks.notNegative(drainDelay, "drainDelay");
            return this;
        }

        /**
         * Sets the start deadline of the optional cache.
         *
         * @param cacheStartTimeout positive; default 5 s
         * @return this builder
         */
        public Builder cacheStartTimeout(Duration cacheStartTimeout) {
            this.cacheStartTimeout = Checks.positive(cacheStartTimeout, "cacheStartTimeout");
            return this;
        }

        /**
         * Sets the front-end and API integration settings.
         *
         * @param frontEnd not null; default {@link DemoFrontEndConfig#ofDefaults()}
         * @return this builder
         */
        public Builder frontEnd(DemoFrontEndConfig frontEnd) {
            this.frontEnd = Checks.notNull(frontEnd, "frontEnd");
            return this;
        }

        /**
         * Sets the optional OIDC settings.
         *
         * @param auth not null; default {@link DemoAuthConfig#ofDefaults()} (no auth)
         * @return this builder
         */
        public Builder auth(DemoAuthConfig auth) {
            this.auth = Checks.notNull(auth, "auth");
            return this;
        }

        /**
         * Sets the WebSocket endpoint's settings.
         *
         * @param webSocket not null; default {@link DemoWebSocketConfig#ofDefaults()} (no endpoint)
         * @return this builder
         */
        public Builder webSocket(DemoWebSocketConfig webSocket) {
            this.webSocket = Checks.notNull(webSocket, "webSocket");
            return this;
        }

        /**
         * Sets the resource guards' settings.
         *
         * @param resources not null; default {@link DemoResourcesConfig#ofDefaults()}
         * @return this builder
         */
        public Builder resources(DemoResourcesConfig resources) {
            this.resources = Checks.notNull(resources, "resources");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return immutable settings
         */
        public DemoConfig build() {
            return new DemoConfig(this);
        }
    }

    /**
     * Picks the database: the configured URL, else {@code COLDSTART_PG_URL}, else PostgreSQL on
     * 127.0.0.1:5432 when it answers, else an embedded H2 in PostgreSQL mode.
     *
     * @param env the environment variables
     * @param localPostgresAnswers whether 127.0.0.1:5432 accepted a TCP connection
     * @return the choice with the reason, for the one log line that says it
     */
    DatabaseChoice chooseDatabase(Map<String, String> env, boolean localPostgresAnswers) {
        if (jdbcUrl != null) {
            return new DatabaseChoice(jdbcUrl, jdbcUser, jdbcPassword, "--jdbc-url was given");
        }
        String fromEnv = env.get("COLDSTART_PG_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new DatabaseChoice(fromEnv, env.getOrDefault("COLDSTART_PG_USER", jdbcUser),
                    env.getOrDefault("COLDSTART_PG_PASSWORD", jdbcPassword), "COLDSTART_PG_URL is set");
        }
        if (localPostgresAnswers) {
            return new DatabaseChoice("jdbc:postgresql://127.0.0.1:5432/postgres", jdbcUser, jdbcPassword,
                    "PostgreSQL answers on 127.0.0.1:5432");
        }
        return new DatabaseChoice("jdbc:h2:mem:coldstart-demo;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "sa", "", "no --jdbc-url, no COLDSTART_PG_URL and nothing answers on 127.0.0.1:5432");
    }

    /**
     * Picks the Redis of the registry and the cache: the configured URL, else
     * {@code COLDSTART_REDIS_URL}, else none (an in-memory registry, no cache).
     *
     * @param env the environment variables
     * @return the URL and why, for the one log line that says it; the URL is null for none
     */
    RedisChoice chooseRedis(Map<String, String> env) {
        if (redisUrl != null) {
            return new RedisChoice(redisUrl, "--redis-url was given");
        }
        String fromEnv = env.get("COLDSTART_REDIS_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new RedisChoice(fromEnv, "COLDSTART_REDIS_URL is set");
        }
        return new RedisChoice(null, "no --redis-url and no COLDSTART_REDIS_URL");
    }

    /**
     * The Redis the demo uses and why.
     *
     * @param url the URL, or null for none
     * @param reason why
     */
    record RedisChoice(String url, String reason) {
    }

    /**
     * The database the demo uses and why.
     *
     * @param url the JDBC URL
     * @param user the user
     * @param password the password
     * @param reason why this one was chosen
     */
    record DatabaseChoice(String url, String user, String password, String reason) {
        boolean embedded() {
            return url.startsWith("jdbc:h2:");
        }
    }
}
