package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.Availability;
import dev.coldstart.core.Component;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CS-23 against real HTTP origins on 127.0.0.1. */
class AssetOriginsTest {
    private static final String CHECK = "/assets/health.txt";

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    private TestOrigin origin(String name) {
        TestOrigin o = TestOrigin.start(name).serve(CHECK, "text/plain", "ok");
        closeAfter.add(o);
        return o;
    }

    private AssetOrigins resolver(URI... origins) {
        AssetOrigins.Builder b = AssetOrigins.builder().checkPath(CHECK).checkInterval(Duration.ofMillis(50))
                .checkTimeout(Duration.ofMillis(500)).recoverAfter(3);
        for (URI o : origins) {
            b.origin(o);
        }
        AssetOrigins a = b.build();
        closeAfter.add(a::stop);
        return a;
    }

    @Test
    void resolvesToTheFallbackWhileThePrimaryIsDownThenSwitchesBackAfterThreeGoodChecks() {
        TestOrigin primary = origin("cdn-primary");
        TestOrigin fallback = origin("cdn-fallback");
        primary.failWith(503);
        AssetOrigins assets = resolver(primary.uri(), fallback.uri());

        assets.start();

        assertThat(assets.current()).isEqualTo(fallback.uri());
        assertThat(assets.resolve("assets/app.js")).isEqualTo(URI.create(fallback.uri() + "/assets/app.js"));
        assertThat(assets.resolve("/assets/app.js")).isEqualTo(URI.create(fallback.uri() + "/assets/app.js"));
        assertThat(assets.health().isUp()).isTrue();
        assertThat(assets.status().get(0).lastResult()).isEqualTo("HTTP 503");

        primary.failWith(0);
        AtomicInteger maxGoodWhileOnFallback = new AtomicInteger();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2)).until(() -> {
            int good = assets.status().get(0).consecutiveGood();
            if (assets.current().equals(fallback.uri())) {
                maxGoodWhileOnFallback.accumulateAndGet(good, Math::max);
                return false;
            }
            return true;
        });
        AssetOrigins.OriginStatus back = assets.status().get(0);
        assertThat(back.healthy()).isTrue();
        assertThat(back.consecutiveGood()).as("switched back only after 3 good checks").isGreaterThanOrEqualTo(3);
        assertThat(maxGoodWhileOnFallback.get()).as("not before the third good check").isLessThanOrEqualTo(3);
        assertThat(assets.resolve("app.css")).isEqualTo(URI.create(primary.uri() + "/app.css"));
        assertThat(assets.switches()).isEqualTo(2);

        primary.failWith(500);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2))
                .until(() -> assets.current().equals(fallback.uri()));
        assertThat(assets.status().get(0).consecutiveFailed()).as("one failed check is enough to leave").isGreaterThanOrEqualTo(1);
    }

    @Test
    void everyOriginDownStillStartsTheServiceAndReportsTheOriginsDegraded() {
        TestOrigin primary = origin("cdn-primary");
        TestOrigin fallback = origin("cdn-fallback");
        URI closed = fallback.uri();
        fallback.close();
        primary.failWith(500);
        AssetOrigins assets = resolver(primary.uri(), closed);
        Component api = Component.builder("api").build();
        StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName("asset-app")
                .component(api)
                .component(assets.components().get(0))
                .component(assets.components().get(1), StartPolicy.of(Duration.ofMillis(500), RetryPolicy.builder()
                        .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(50))
                        .circuitBreakerFailureThreshold(0).build()))
                .build();
        closeAfter.add(orchestrator);

        orchestrator.start();

        Availability a = orchestrator.availability();
        assertThat(a.isReady()).isTrue();
        assertThat(a.isHealthy("asset-origins-first-check")).as("the origins were checked before READY").isTrue();
        assertThat(a.degradedComponents()).containsExactly("asset-origins");
        assertThat(assets.isDegraded()).isTrue();
        assertThat(assets.current()).as("URLs point at the primary while nothing is healthy").isEqualTo(primary.uri());
        assertThat(assets.health().reason()).startsWith("every asset origin is down: ")
                .contains(primary.uri() + " (HTTP 500)").contains(closed.toString() + " (ConnectException");

        primary.failWith(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> orchestrator.availability().isHealthy("asset-origins"));
        assertThat(assets.isDegraded()).isFalse();
        assertThat(orchestrator.availability().degradedComponents()).isEmpty();
    }

    @Test
    void primaryUpAtStartIsUsedAtOnce() {
        TestOrigin primary = origin("cdn-primary");
        TestOrigin fallback = origin("cdn-fallback");
        AssetOrigins assets = resolver(primary.uri(), fallback.uri());

        assets.start();

        assertThat(assets.current()).isEqualTo(primary.uri());
        assertThat(assets.switches()).isZero();
        assertThat(assets.isDegraded()).isFalse();
        assertThat(primary.requests(CHECK)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void rejectsBadConfigurationNamingTheField() {
        assertThatThrownBy(() -> AssetOrigins.builder().build())
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("origins must not be empty, but was []");
        assertThatThrownBy(() -> AssetOrigins.builder().origin(URI.create("ftp://cdn.example.com")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("origin must be an absolute http or https URI without query or fragment, but was ftp://cdn.example.com");
        assertThatThrownBy(() -> AssetOrigins.builder().recoverAfter(0))
                .isInstanceOf(ConfigurationException.class).hasMessage("recoverAfter must be greater than 0, but was 0");
        assertThatThrownBy(() -> AssetOrigins.builder().checkPath("health"))
                .isInstanceOf(ConfigurationException.class).hasMessage("checkPath must start with /, but was health");
    }
}
