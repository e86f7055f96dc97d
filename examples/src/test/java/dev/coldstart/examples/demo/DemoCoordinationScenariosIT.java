package dev.coldstart.examples.demo;

import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.testkit.CoordinatedService;
import dev.coldstart.testkit.CoordinationEnvironment;
import dev.coldstart.testkit.CoordinationScenarios;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * The demo service through the coordination scenarios CS-06 to CS-10, exactly as a user's service
 * would run them: implement {@link CoordinationScenarios} and build the demo from the environment.
 * The cache's feature flag is read the way a client sees it: through the API's {@code X-Cache}
 * header.
 */
class DemoCoordinationScenariosIT implements CoordinationScenarios {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public CoordinatedService coordinatedService(CoordinationEnvironment env) {
        DemoService demo = DemoService.create(DemoConfig.builder()
                .jdbcUrl(env.jdbcUrl()).jdbcUser(env.jdbcUser()).jdbcPassword(env.jdbcPassword())
                .appName(env.instanceName())
                .startTimeout(env.startTimeout())
                .httpPort(env.httpPort())
                .portPolicy(env.portPolicy())
                .portRetryTimeout(env.portRetryTimeout())
                .redisUrl(env.redisUri().toString())
                .redisKeyPrefix(env.redisKeyPrefix())
                .registration(env.serviceName(), env.instanceName())
                .drainDelay(env.drainDelay())
                .cacheStartTimeout(env.optionalStartTimeout())
                .build(), env.registry());
        return new CoordinatedService() {
            @Override
            public StartupOrchestrator orchestrator() {
                return demo.orchestrator();
            }

            @Override
            public URI startHttp() {
                return demo.startHttp().http().uri();
            }

            @Override
            public Map<String, Callable<?>> dependencyCalls() {
                Map<String, Callable<?>> calls = new LinkedHashMap<>();
                calls.put("demo-db: seeded settings through the service's pool", () -> settingsThroughPool(demo));
                calls.put("demo-api: GET /api/tenants/default/settings", () -> get(demo, "/api/tenants/default/settings"));
                return calls;
            }

            @Override
            public BooleanSupplier featureFlag(String component) {
                if (!component.equals(DemoService.CACHE)) {
                    return null;
                }
                return () -> {
                    String served = cacheHeader(demo);
                    return "miss".equals(served) || "hit".equals(served);
                };
            }

            @Override
            public void close() {
                demo.close();
            }
        };
    }

    private static int settingsThroughPool(DemoService demo) throws Exception {
        try (Connection c = demo.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM tenant_setting WHERE tenant_id = 'default'")) {
            rs.next();
            int n = rs.getInt(1);
            if (n != 3) {
                throw new IllegalStateException("expected the 3 seeded settings of the default tenant, found " + n);
            }
            return n;
        }
    }

    private static String get(DemoService demo, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(demo.http().uri().resolve(path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** What the API says about the cache: hit or miss while its flag is on, off otherwise. */
    private static String cacheHeader(DemoService demo) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(demo.http().uri().resolve("/api/currencies"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.headers().firstValue("X-Cache").orElse("none (status " + r.statusCode() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "none (interrupted)";
        } catch (java.io.IOException e) {
            return "none (" + e + ")";
        }
    }
}
