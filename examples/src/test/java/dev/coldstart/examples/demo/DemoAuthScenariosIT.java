package dev.coldstart.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.auth.SessionStore;
import dev.coldstart.auth.SigningKeys;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.testkit.AuthEnvironment;
import dev.coldstart.testkit.AuthScenarios;
import dev.coldstart.testkit.AuthService;
import dev.coldstart.testkit.RealPostgres;
import dev.coldstart.testkit.RealRedis;
import dev.coldstart.testkit.TestDatabase;
import dev.coldstart.testkit.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/**
 * The demo service through the authentication scenarios CS-16 to CS-20, exactly as a user's
 * service would run them: each instance is a whole {@link DemoService} built by
 * {@link DemoService#create(DemoConfig)} with its OIDC settings from the scenario's environment,
 * its session store on the scenario's Redis, and {@link DemoAuth#ME_PATH} as the protected
 * endpoint of the callee.
 */
class DemoAuthScenariosIT implements AuthScenarios {

    /** The database components are not under test here: their deadline stays generous. */
    private static final Duration DATABASE_START_TIMEOUT = Duration.ofSeconds(30);

    @RealPostgres
    static TestDatabase db;

    @RealRedis
    static TestRedis redis;

    /**
     * Starts one plain demo with its cache before the scenarios: it migrates the class's database,
     * so the scenarios' instances only check the schema, and pays the JVM's first Lettuce start
     * (several seconds of class loading on a loaded 2-core machine), which is not what the
     * scenarios' start deadlines of 2 to 10 s measure.
     */
    @BeforeAll
    static void migrateAndWarmUp() {
        try (DemoService demo = DemoService.create(DemoConfig.builder().jdbcUrl(db.jdbcUrl()).jdbcUser(db.user())
                .jdbcPassword(db.password()).httpPort(0).appName("demo-auth-warm-up")
                .redisUrl(redis.uri().toString()).redisKeyPrefix(redis.prefix())
                .cacheStartTimeout(Duration.ofSeconds(30)).build())) {
            assertThat(demo.orchestrator().start().components()).isNotEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> demo.orchestrator().availability().degradedComponents().isEmpty());
        }
    }

    @Override
    public AuthService authService(AuthEnvironment env) {
        DemoAuthConfig.Builder auth = DemoAuthConfig.builder()
                .issuer(env.issuer())
                .audience(env.audience())
                .secondaryIssuer(env.secondaryIssuer())
                .keySetDirectory(env.stateDirectory())
                .startTimeout(env.startTimeout())
                .requestTimeout(env.requestTimeout())
                .signingKeyPublishLead(env.signingKeyPublishLead());
        if (env.role() == AuthEnvironment.Role.CALLER) {
            auth.tokenEndpoint(env.tokenEndpoint()).clientCredentials(env.clientId(), env.clientSecret());
        }
        DemoService demo = DemoService.create(DemoConfig.builder()
                .jdbcUrl(db.jdbcUrl()).jdbcUser(db.user()).jdbcPassword(db.password())
                .appName(env.serviceName())
                .startTimeout(DATABASE_START_TIMEOUT)
                .httpPort(0)
                .redisUrl(env.redisUri().toString())
                .redisKeyPrefix(env.redisKeyPrefix())
                .auth(auth.build())
                .build())
                .startHttp();
        DemoAuth demoAuth = demo.auth();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        return new AuthService() {
            @Override
            public StartupOrchestrator orchestrator() {
                return demo.orchestrator();
            }

            @Override
            public TokenVerifier verifier() {
                return demoAuth.verifier();
            }

            @Override
            public SessionStore sessionStore() {
                return demoAuth.sessionStore();
            }

            @Override
            public SigningKeys signingKeys() {
                return demoAuth.signingKeys();
            }

            @Override
            public URI protectedEndpoint() {
                return env.role() == AuthEnvironment.Role.CALLEE ? demo.http().uri().resolve(DemoAuth.ME_PATH) : null;
            }

            @Override
            public int callProtected(URI endpoint) throws Exception {
                HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).GET().build();
                return demoAuth.send(http, request, HttpResponse.BodyHandlers.discarding()).statusCode();
            }

            @Override
            public void close() {
                demo.close();
            }
        };
    }
}
