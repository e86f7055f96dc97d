package dev.coldstart.examples.demo;

import dev.coldstart.coordination.FeatureFlags;
import dev.coldstart.coordination.PortAllocator;
import dev.coldstart.coordination.ProbeEndpoint;
import dev.coldstart.coordination.RedisServiceRegistry;
import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.Component;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import dev.coldstart.database.DataSourceComponent;
import dev.coldstart.database.InitOnce;
import dev.coldstart.database.MigrationComponent;
import dev.coldstart.database.MigrationConfig;
import dev.coldstart.database.PoolConfig;
import dev.coldstart.websocket.WebSocketServer;
import dev.coldstart.websocket.WebSocketServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo service: a PostgreSQL (or H2) pool, Flyway migrations under the cross-instance lock,
 * init-time seeding that many instances may run at once, and the probe endpoint with a small API on
 * the same port. {@link #main(String[])} is what the README's first command runs; tests and the
 * testkit build instances with {@link #create(DemoConfig)}.
 *
 * <p>Components, in dependency order: {@code demo-db} (pool), {@code demo-migrations} (schema under
 * the advisory lock), {@code demo-seed} (default tenant and its settings, insert-if-absent in a
 * serializable transaction). The probe endpoint starts before them so that {@code /health/live}
 * answers during the whole start and {@code /health/ready} turns 200 only once all three passed
 * their real probes. {@code demo-registration} then registers the demo in its service registry
 * (Redis with {@code --redis-url}, else in memory) on the port actually bound, and on stop leaves it
 * and drains before the database components stop. With a Redis, the optional {@code demo-cache}
 * serves {@code /api/currencies} while its feature flag is on; when Redis is down the demo is READY
 * without it (degraded) and the orchestrator retries it in the background. With {@code --ws-port}
 * the resumable WebSocket endpoint ({@link DemoWebSocket}) runs in the same orchestrator; with
 * {@code --oidc-issuer} too, its upgrades need a bearer token that {@link DemoAuth#verifier()} accepts.
 *
 * <p>With {@code --oidc-issuer} the {@link DemoAuth} components (identity provider with JWKS warm-up
 * before READY, session store) run in the same orchestrator and {@value DemoAuth#ME_PATH} requires
 * a bearer token verified through the core {@code TokenVerifier}.
 */
public final class DemoService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoService.class);

    /** Name of the pool component. */
    public static final String POOL = "demo-db";
    /** Name of the migration component. */
    public static final String MIGRATIONS = "demo-migrations";
    /** Name of the seeding component. */
    public static final String SEED = "demo-seed";
    /** Name of the optional cache component (present when a Redis is configured). */
    public static final String CACHE = DemoCache.NAME;
    /** Name of the component that registers the demo in its service registry. */
    public static final String REGISTRATION = DemoRegistration.NAME;
    /** Where the demo's migrations live on the classpath. */
    public static final String MIGRATION_LOCATION = "classpath:db/demo";

    /**
     * Retries of the database components: starts at 1 s, doubles up to 5 s, full jitter, and a
     * breaker that holds off for 5 s after 2 consecutive failures, so 20 instances waiting for a
     * database that is down make a handful of attempts each (CS-05), and every instance is READY
     * within 5 s + 2 s of the database coming back.
     */
    static final RetryPolicy DATABASE_RETRY = RetryPolicy.builder()
            .initialBackoff(Duration.ofSeconds(1))
            .maxBackoff(Duration.ofSeconds(5))
            .circuitBreakerFailureThreshold(2)
            .circuitBreakerOpenDuration(Duration.ofSeconds(5))
            .build();

    /**
     * Retries of the optional cache: 200 ms doubling to 2 s, full jitter, and the breaker holds off
     * 2 s after 5 failures; the orchestrator goes on with this backoff in the background once the
     * cache is degraded, so it is back within about 2 s of Redis.
     */
    static final RetryPolicy CACHE_RETRY = RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(200))
            .maxBackoff(Duration.ofSeconds(2))
            .circuitBreakerOpenDuration(Duration.ofSeconds(2))
            .build();

    private final DemoConfig config;
    private final DataSourceComponent pool;
    private final MigrationComponent migrations;
    private final InitOnce seed;
    private final StartupOrchestrator orchestrator;
    private final ProbeEndpoint http;
    private final ServiceRegistry registry;
    private final boolean ownsRegistry;
    private final DemoCache cache;
    private final FeatureFlags flags;
    private final DemoFrontEnd frontEnd;
    private final DemoAuth auth;
    private final DemoResources resources;
    private final WebSocketServer webSocket;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private DemoService(DemoConfig config, String jdbcUrl, String user, String password, String schema,
            ServiceRegistry registry, boolean ownsRegistry, String redisUrl) {
        this.config = config;
        this.registry = registry;
        this.ownsRegistry = ownsRegistry;
        this.cache = redisUrl == null ? null : new DemoCache(redisUrl, config.redisKeyPrefix() + "cache:");
        this.frontEnd = new DemoFrontEnd(config.frontEnd());
        this.resources = new DemoResources(config.resources(), POOL, config.maximumPoolSize());
        this.pool = DataSourceComponent.of(POOL, PoolConfig.builder()
                .jdbcUrl(jdbcUrl)
                .username(user)
                .password(password)
                .applicationName(config.appName())
                .maximumPoolSize(resources.poolSize())
                .build());
        MigrationConfig.Builder migrationConfig = MigrationConfig.builder()
                .locations(MIGRATION_LOCATION)
                .lockTimeout(config.lockTimeout());
        if (schema != null) {
            migrationConfig.schema(schema);
        }
        this.migrations = MigrationComponent.of(MIGRATIONS, pool, migrationConfig.build());
        this.seed = InitOnce.of(SEED, pool, DemoService::seedDefaultTenant).dependsOn(MIGRATIONS);
        StartPolicy databasePolicy = StartPolicy.of(config.startTimeout(), DATABASE_RETRY);
        // Registers once READY on the port bound at start, and leaves before the database components stop.
        DemoRegistration registration = new DemoRegistration(registry, this::http, config.serviceName(),
                config.instanceId(), config.drainDelay(), POOL, MIGRATIONS, SEED);
        StartupOrchestrator.Builder components = StartupOrchestrator.builder()
                .serviceName("coldstart-demo")
                .component(DemoResources.afterPreflight(pool), databasePolicy)
                .component(migrations, databasePolicy)
                .component(seed, databasePolicy)
                .component(registration)
                .listener(registration);
        resources.addTo(components);
        if (cache != null) {
            components.component(cache, StartPolicy.of(config.cacheStartTimeout(), CACHE_RETRY));
        }
        frontEnd.addTo(components, config.startTimeout());
        this.auth = config.auth().enabled() ? new DemoAuth(config.auth(), redisUrl, config.redisKeyPrefix()) : null;
        if (auth != null) {
            auth.addTo(components);
        }
        if (config.webSocket().enabled()) {
            // With --oidc-issuer the upgrade verifies tokens with the same verifier as /api/me.
            DemoWebSocketConfig wsConfig = auth == null || config.webSocket().tokenVerifier() != null ? config.webSocket()
                    : config.webSocket().toBuilder().tokenVerifier(auth.verifier()).build();
            DemoWebSocket ws = new DemoWebSocket(wsConfig, frontEnd.wsCors());
            this.webSocket = ws.server(WebSocketServerConfig.DEFAULT_HOST, config.webSocket().port(),
                    ws.messageLog(redisUrl, config.redisKeyPrefix()));
            StartPolicy webSocketPolicy = StartPolicy.of(config.startTimeout(), DATABASE_RETRY);
            webSocket.components().forEach(c -> components.component(c, webSocketPolicy));
        } else {
            this.webSocket = null;
        }
        this.orchestrator = components.build();
        frontEnd.attach(orchestrator);
        this.flags = FeatureFlags.attach(orchestrator);
        BooleanSupplier cacheOn = cache == null ? () -> false : flags.flag(CACHE);
        this.http = ProbeEndpoint.builder()
                .name("demo-http")
                .maxThreads(resources.httpThreads())
                .port(config.httpPort())
                .portAllocator(PortAllocator.builder()
                        .policy(config.portPolicy())
                        .retryTimeout(config.portRetryTimeout())
                        .build())
                .availability(orchestrator::availability)
                .handler(resources.guard(frontEnd.wrap(withAuth(new DemoApiHandler(orchestrator::isReady, pool::dataSource, cache, cacheOn)))))
                .build();
    }

    private Handler withAuth(Handler api) {
        return auth == null ? api : new Handler.Sequence(auth.handler(), api);
    }

    /**
     * Builds an instance without starting anything; {@link DemoConfig#jdbcUrl()} must be set.
     *
     * @param config the settings
     * @return the instance
     * @throws ConfigurationException if no JDBC URL is set
     */
    public static DemoService create(DemoConfig config) {
        return create(config, ServiceRegistry.inMemory(), true);
    }

    /**
     * Builds an instance that registers in the given registry, without starting anything;
     * {@link DemoConfig#jdbcUrl()} must be set. With {@link DemoConfig#redisUrl()} set it has the
     * optional cache on that Redis.
     *
     * @param config the settings
     * @param registry where it registers once READY; the caller closes it
     * @return the instance
     * @throws ConfigurationException if no JDBC URL is set
     */
    public static DemoService create(DemoConfig config, ServiceRegistry registry) {
        return create(config, registry, false);
    }

    private static DemoService create(DemoConfig config, ServiceRegistry registry, boolean ownsRegistry) {
        if (config.jdbcUrl() == null) {
            throw new ConfigurationException("jdbcUrl must be set to create a DemoService from code, but was null; "
                    + "main() chooses one when --jdbc-url is absent");
        }
        return new DemoService(config, config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword(), null, registry,
                ownsRegistry, config.redisUrl());
    }

    /**
     * Runs the demo; see {@link DemoConfig} for the options.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.println(DemoConfig.USAGE);
            return;
        }
        DemoConfig config;
        try {
            config = DemoConfig.parse(args);
        } catch (ConfigurationException e) {
            System.err.println("coldstart-demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(config));
    }

    /**
     * Runs the demo until READY (with {@code --exit-when-ready}) or until the JVM is asked to stop.
     *
     * @param config the settings
     * @return the process exit code: 0 when READY (or stopped after READY), 1 when startup failed
     */
    static int run(DemoConfig config) {
        DemoConfig.DatabaseChoice db = config.chooseDatabase(System.getenv(), answers("127.0.0.1", 5432));
        log.info("coldstart-demo - database: {} ({}){}", db.url(), db.reason(),
                db.embedded() ? "; embedded H2 in PostgreSQL mode, data is lost on exit" : "");
        boolean localDefault = config.jdbcUrl() == null && db.url().startsWith("jdbc:postgresql://127.0.0.1:5432/postgres")
                && System.getenv("COLDSTART_PG_URL") == null;
        // On the shared local server the demo keeps to a schema of its own.
        String url = localDefault ? db.url() + "?currentSchema=coldstart_demo" : db.url();
        DemoConfig.RedisChoice redis = config.chooseRedis(System.getenv());
        ServiceRegistry registry = redis.url() == null ? ServiceRegistry.inMemory() : RedisServiceRegistry.builder()
                .redisUri(redis.url()).keyPrefix(config.redisKeyPrefix() + "registry").build();
        log.info("coldstart-demo - service registry: {} ({}); optional cache: {}", registry, redis.reason(),
                redis.url() == null ? "none" : "on the same Redis");
        DemoService service = new DemoService(config, url, db.user(), db.password(), localDefault ? "coldstart_demo" : null,
                registry, true, redis.url());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "coldstart-demo-shutdown"));
        service.http.start();
        System.out.println("http port: " + service.http.port());
        try {
            StartupReport report = service.orchestrator.start();
            System.out.print(report.toTable());
            if (service.webSocket != null) {
                System.out.println("websocket: " + service.webSocket.uri());
            }
            writeReports(config, report);
        } catch (StartupFailedException e) {
            System.out.print(e.report().toTable());
            writeReports(config, e.report());
            System.err.println("coldstart-demo: " + e.getMessage());
            service.close();
            return 1;
        }
        if (config.exitWhenReady()) {
            service.close();
            return 0;
        }
        log.info("coldstart-demo - serving on http://127.0.0.1:{}/ until SIGTERM or Ctrl-C", service.http.port());
        service.awaitStop();
        return 0;
    }

    private static void writeReports(DemoConfig config, StartupReport report) {
        writeReport(config.reportJson(), "JSON report", report::toJson);
        writeReport(config.reportHtml(), "HTML timeline", report::toHtml);
    }

    private static void writeReport(Path path, String what, Supplier<String> content) {
        if (path == null) {
            return;
        }
        try {
            Files.writeString(path, content.get(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("coldstart-demo - could not write the {} to {}: {}", what, path, e.getMessage());
        }
    }

    /**
     * Inserts the default tenant and its settings if absent, in one transaction. Concurrent instances
     * may collide (serialization failure or unique violation); {@link InitOnce} retries those.
     */
    static void seedDefaultTenant(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tenant (id, display_name) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM tenant WHERE id = ?)")) {
            ps.setString(1, "default");
            ps.setString(2, "Default tenant");
            ps.setString(3, "default");
            ps.executeUpdate();
        }
        String[][] settings = {{"locale", "en"}, {"currency", "EUR"}, {"timezone", "UTC"}};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tenant_setting (tenant_id, name, setting_value) "
                + "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM tenant_setting WHERE tenant_id = ? AND name = ?)")) {
            for (String[] s : settings) {
                ps.setString(1, "default");
                ps.setString(2, s[0]);
                ps.setString(3, s[1]);
                ps.setString(4, "default");
                ps.setString(5, s[0]);
                ps.executeUpdate();
            }
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts the probe endpoint (the port is bound from now on) without starting the components.
     *
     * @return this service
     */
    public DemoService startHttp() {
        http.start();
        return this;
    }

    /**
     * The orchestrator; not started by {@link #create(DemoConfig)}.
     *
     * @return the orchestrator
     */
    public StartupOrchestrator orchestrator() {
        return orchestrator;
    }

    /**
     * The components in dependency order: pool, migrations, seeding.
     *
     * @return an immutable list
     */
    public List<Component> components() {
        return List.of(pool, migrations, seed);
    }

    /**
     * The pool's data source.
     *
     * @return the data source
     * @throws IllegalStateException if the pool component has not started yet
     */
    public DataSource dataSource() {
        return pool.dataSource();
    }

    /**
     * The probe endpoint.
     *
     * @return the endpoint; its port is known once started
     */
    public ProbeEndpoint http() {
        return http;
    }

    /**
     * The settings.
     *
     * @return the settings
     */
    public DemoConfig config() {
        return config;
    }

    /**
     * The feature flags that follow the optional components ({@link #CACHE}).
     *
     * @return the flags
     */
    public FeatureFlags featureFlags() {
        return flags;
    }

    /**
     * The front-end and API integration: request gate, CORS policies, asset origins, GraphQL schemas
     * and the server's build manifest.
     *
     * @return the front end
     */
    public DemoFrontEnd frontEnd() {
        return frontEnd;
    }

    /**
     * The WebSocket endpoint: its broadcaster publishes to every session.
     *
     * @return the server, or null without {@link DemoWebSocketConfig#enabled()}
     */
    public WebSocketServer webSocket() {
        return webSocket;
    }

    /**
     * The authentication: identity provider, verifier, session store, signing keys.
     *
     * @return the auth, or null without {@link DemoAuthConfig#enabled()}
     */
    public DemoAuth auth() {
        return auth;
    }

    /**
     * The registry the demo registers in once READY.
     *
     * @return the registry
     */
    public ServiceRegistry registry() {
        return registry;
    }

    /**
     * The resource guards: file-descriptor preflight, the monitors and the one load shedder that
     * the request path consults.
     *
     * @return the guards
     */
    public DemoResources resources() {
        return resources;
    }

    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the components in reverse order (readiness goes down first), then the HTTP endpoint, so
     * probes answer until the end. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            orchestrator.stop();
            frontEnd.close();
            http.stop();
            if (cache != null) {
                cache.close();
            }
            if (auth != null) {
                auth.close();
            }
            if (ownsRegistry) {
                registry.close();
            }
            stopped.countDown();
        }
    }
}
