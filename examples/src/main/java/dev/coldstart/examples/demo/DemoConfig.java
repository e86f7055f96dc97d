package dev.coldstart.examples.demo;

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
                default -> throw new ConfigurationException("unknown option " + option + "\n" + USAGE);
            }
        }
        return b.build();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new ConfigurationException(option + " needs a value\n" + USAGE);
        }
        return args[i];
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

    @Override
    public String toString() {
        return "DemoConfig{jdbcUrl=" + jdbcUrl + ", jdbcUser=" + jdbcUser + ", jdbcPassword="
                + (jdbcPassword.isEmpty() ? "(none)" : "****") + ", httpPort=" + httpPort + ", appName=" + appName
                + ", maximumPoolSize=" + maximumPoolSize + ", startTimeout=" + startTimeout + ", lockTimeout="
                + lockTimeout + ", exitWhenReady=" + exitWhenReady + ", reportJson=" + reportJson + ", reportHtml=" + reportHtml + '}';
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
