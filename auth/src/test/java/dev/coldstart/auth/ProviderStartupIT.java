package dev.coldstart.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.nimbusds.jose.jwk.ECKey;
import dev.coldstart.core.Availability;
import dev.coldstart.core.Component;
import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CS-16's mechanism: typed failures, retry until the deadline, health via probes, optional provider. */
class ProviderStartupIT {
    private final TestIdp idp = new TestIdp("shop");
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        idp.close();
    }

    private IdentityProvider provider(IdentityProviderConfig.Builder b) {
        IdentityProvider p = IdentityProvider.create(b.requestTimeout(Duration.ofMillis(500)).build());
        closeables.add(p);
        return p;
    }

    @Test
    void slowProviderFailsWithProviderTimeoutException() {
        idp.serveDiscovery(WireMock.okJson("{}").withFixedDelay(1500));
        IdentityProvider p = provider(idp.config("idp"));
        assertThatThrownBy(() -> p.component().start()).isExactlyInstanceOf(ProviderTimeoutException.class)
                .hasMessageContaining("idp - GET " + idp.issuer + "/.well-known/openid-configuration")
                .hasMessageContaining("request timeout of 0.5 s");
    }

    @Test
    void downProviderFailsWithProviderUnreachableException() {
        TestIdp gone = new TestIdp("gone");
        String issuer = gone.issuer;
        gone.close(); // the port is closed now: connection refused
        IdentityProvider p = provider(IdentityProviderConfig.builder("idp", issuer));
        assertThatThrownBy(() -> p.component().start()).isExactlyInstanceOf(ProviderUnreachableException.class)
                .hasMessageContaining("could not connect").hasMessageContaining("Check that it runs");
    }

    @Test
    void errorStatusFailsWithProviderStatusExceptionCarryingTheStatus() {
        idp.serveJwks(TestIdp.status(500));
        IdentityProvider p = provider(idp.config("idp"));
        assertThatThrownBy(() -> p.component().start()).isExactlyInstanceOf(ProviderStatusException.class)
                .hasMessageContaining("answered HTTP 500; expected 200")
                .extracting(e -> ((ProviderStatusException) e).status()).isEqualTo(500);
    }

    @Test
    void invalidJsonFailsWithProviderResponseException() {
        idp.serveJwks(WireMock.aResponse().withStatus(200).withBody("<html>gateway says hi</html>"));
        IdentityProvider p = provider(idp.config("idp"));
        assertThatThrownBy(() -> p.component().start()).isExactlyInstanceOf(ProviderResponseException.class)
                .hasMessageContaining("(JWKS) answered 200 but the body is not a JWK set")
                .hasMessageContaining("not at a proxy error or login page");
    }

    @Test
    void wrongIssuerFailsWithIssuerMismatchExceptionThatIsNeverRetried() {
        idp.serveDiscovery("http://127.0.0.1:1/realms/other");
        IdentityProvider p = provider(idp.config("idp"));
        assertThatThrownBy(() -> p.component().start()).isExactlyInstanceOf(IssuerMismatchException.class)
                .hasMessageContaining("names issuer 'http://127.0.0.1:1/realms/other', but '" + idp.issuer + "' is configured")
                .isInstanceOf(dev.coldstart.core.NonRetryableException.class);

        StartupOrchestrator o = Orchestration.of(Duration.ofSeconds(3), List.of(provider(idp.config("idp2")).component()));
        closeables.add(o);
        assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class);
        assertThat(o.report().component("idp2").attempts()).isEqualTo(1);
        assertThat(o.report().component("idp2").lastError()).startsWith("IssuerMismatchException");
    }

    @Test
    void requiredProviderIsRetriedWithBackoffUntilTheStartDeadlineThenFails() {
        idp.serveJwks(TestIdp.status(500));
        StartupOrchestrator o = Orchestration.of(Duration.ofMillis(1500), provider(idp.config("idp")).components());
        closeables.add(o);
        long t0 = System.nanoTime();
        assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class)
                .hasRootCauseInstanceOf(ProviderStatusException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        ComponentReport r = o.report().component("idp");
        assertThat(r.attempts()).isGreaterThanOrEqualTo(3);
        assertThat(r.lastError()).contains("ProviderStatusException").contains("HTTP 500");
        assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(6));
        assertThat(o.isReady()).isFalse();
    }

    @Test
    void providerThatComesUpDuringTheDeadlineMakesTheServiceReady() {
        idp.serveJwks(TestIdp.status(503));
        IdentityProvider p = provider(idp.config("idp"));
        StartupOrchestrator o = Orchestration.of(Duration.ofSeconds(20), p.components());
        closeables.add(o);
        var ready = o.startAsync();
        await().atMost(Duration.ofSeconds(10)).until(() -> idp.jwksRequests() >= 3);
        assertThat(o.isReady()).isFalse();
        ECKey k1 = TestIdp.ecKey("k1");
        idp.publish(k1);

        StartupReport report = ready.orTimeout(15, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(report.component("idp").attempts()).isGreaterThanOrEqualTo(3);
        assertThat(p.verify(idp.sign(k1)).subject()).isEqualTo("alice");
        assertThat(p.health().status()).isEqualTo(ProviderHealth.Status.UP);
    }

    @Test
    void optionalSecondProviderThatIsDownLeavesTheServiceReadyInDegradedMode() {
        ECKey k1 = TestIdp.ecKey("k1");
        idp.publish(k1);
        TestIdp second = new TestIdp("partners");
        closeables.add(second);
        second.serveJwks(TestIdp.status(500));
        IdentityProvider primary = provider(idp.config("idp"));
        IdentityProvider optional = provider(second.config("partners-idp").optional());
        List<Component> all = new ArrayList<>(primary.components());
        all.addAll(optional.components());
        StartupOrchestrator o = Orchestration.of(Duration.ofSeconds(1), all);
        closeables.add(o);

        o.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> o.availability().isHealthy("idp-refresh"));

        Availability a = o.availability();
        assertThat(a.isReady()).isTrue();
        assertThat(a.isDegraded()).isTrue();
        assertThat(a.degradedComponents()).contains("partners-idp").doesNotContain("idp", "idp-refresh");
        assertThat(optional.health().status()).isEqualTo(ProviderHealth.Status.DOWN);
        assertThat(optional.health().lastError()).startsWith("ProviderStatusException");
        assertThat(primary.verify(idp.sign(k1)).subject()).isEqualTo("alice");
    }

    @Test
    void providerHealthIsReportedThroughTheRefreshProbeWhenTheProviderFailsAfterReady() throws Exception {
        ECKey k1 = TestIdp.ecKey("k1");
        idp.publish(k1);
        IdentityProvider p = provider(idp.config("idp"));
        StartupOrchestrator o = Orchestration.of(Duration.ofSeconds(5), p.components());
        closeables.add(o);
        o.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !o.availability().isDegraded());

        idp.serveJwks(TestIdp.status(500));
        assertThatThrownBy(p::refresh).isInstanceOf(ProviderStatusException.class);

        await().atMost(Duration.ofSeconds(5)).until(() -> o.availability().isDegraded());
        assertThat(o.availability().degradedComponents()).containsExactly("idp-refresh");
        assertThat(o.isReady()).as("keys still held: tokens verify, readiness stays up").isTrue();
        assertThat(p.health().status()).isEqualTo(ProviderHealth.Status.DEGRADED);
        assertThat(p.verify(idp.sign(k1)).subject()).isEqualTo("alice");

        idp.publish(k1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !o.availability().isDegraded());
        assertThat(p.health().status()).isEqualTo(ProviderHealth.Status.UP);
    }
}
