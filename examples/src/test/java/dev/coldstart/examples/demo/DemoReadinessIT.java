package dev.coldstart.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.testkit.ColdstartScenarios;
import dev.coldstart.testkit.RealPostgres;
import dev.coldstart.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code /health/ready} polled every 5 ms from the moment the port opens never answers 200 before
 * the migrations are committed and the seed rows exist; {@code /health/live} answers 200 all
 * through the start; {@code /health/started} flips once.
 */
@ColdstartScenarios
class DemoReadinessIT {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    @RealPostgres
    static TestDatabase db;

    @Test
    void readinessIsNeverUpBeforeTheMigrationsAreCommitted() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (DemoService demo = DemoService.create(DemoConfig.builder().jdbcUrl(db.jdbcUrl()).jdbcUser(db.user())
                .jdbcPassword(db.password()).httpPort(0).appName("demo-readiness").build()).startHttp()) {
            URI base = URI.create("http://127.0.0.1:" + demo.http().port());
            AtomicInteger notReady = new AtomicInteger();
            AtomicInteger liveFailures = new AtomicInteger();
            AtomicInteger startedBeforeReady = new AtomicInteger();
            CompletableFuture<String> firstReady = CompletableFuture.supplyAsync(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    long next = System.nanoTime() + POLL_NANOS;
                    // Started is read before ready: if the service turns READY between the two reads, that
                    // reads 503 then 200, which is fine; 200 then 503 would be a startup probe that flipped first.
                    int started = status(http, base.resolve("/health/started"));
                    int ready = status(http, base.resolve("/health/ready"));
                    if (ready == 200) {
                        // The instant of the first 200: check through the real dependency what it claims.
                        return committedState();
                    }
                    notReady.incrementAndGet();
                    if (started == 200) {
                        startedBeforeReady.incrementAndGet();
                    }
                    if (status(http, base.resolve("/health/live")) != 200) {
                        liveFailures.incrementAndGet();
                    }
                    LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                }
                return "never ready within 60 s";
            });
            // Let the poller see the not-ready state first, then start.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> notReady.get() >= 3);
            demo.orchestrator().startAsync();

            assertThat(firstReady.get(60, TimeUnit.SECONDS)).isEqualTo("migrations=4 failed=0 tenants=1 settings=3");
            assertThat(notReady.get()).isGreaterThanOrEqualTo(3);
            assertThat(liveFailures.get()).as("/health/live answers other than 200 during the start").isZero();
            assertThat(startedBeforeReady.get()).as("/health/started 200 before /health/ready").isZero();
            assertThat(status(http, base.resolve("/health/started"))).isEqualTo(200);
            assertThat(status(http, base.resolve("/api/currencies"))).isEqualTo(200);
        }
    }

    private static String committedState() {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT (SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL AND success),"
                        + " (SELECT count(*) FROM flyway_schema_history WHERE NOT success),"
                        + " (SELECT count(*) FROM tenant), (SELECT count(*) FROM tenant_setting)")) {
            rs.next();
            return "migrations=" + rs.getInt(1) + " failed=" + rs.getInt(2) + " tenants=" + rs.getInt(3)
                    + " settings=" + rs.getInt(4);
        } catch (Exception e) {
            return "query at first 200 failed: " + e;
        }
    }

    private static int status(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
