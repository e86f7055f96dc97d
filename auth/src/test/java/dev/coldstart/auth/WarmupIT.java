package dev.coldstart.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.ECKey;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** CS-19's mechanism: warm-up before readiness, no fetch on the first requests, failed warm-up keeps readiness down. */
class WarmupIT {

    @Test
    void keySetIsFetchedBeforeReadinessAndTheFirstThousandVerificationsFetchNothing() throws Exception {
        try (TestIdp idp = new TestIdp("warm"); IdentityProvider p = IdentityProvider.create(idp.config("idp").build())) {
            ECKey k1 = TestIdp.ecKey("k1");
            idp.publish(k1);
            String token = idp.sign(k1);
            try (StartupOrchestrator o = Orchestration.of(Duration.ofSeconds(10), p.components())) {
                o.start();
                long fetchesAtReady = idp.jwksRequests();
                assertThat(fetchesAtReady).as("fetched before READY").isEqualTo(1);

                var outcome = Concurrently.run(1000, Duration.ofSeconds(30), () -> p.verify(token).subject());

                assertThat(outcome.failures()).isEmpty();
                assertThat(outcome.results()).hasSize(1000);
                assertThat(idp.jwksRequests() - fetchesAtReady).as("JWKS fetches during the first 1000 verifications")
                        .isZero();
            }
        }
    }

    @Test
    void failedRequiredWarmupKeepsReadinessDown() throws Exception {
        try (TestIdp idp = new TestIdp("cold"); IdentityProvider p = IdentityProvider.create(idp.config("idp").build())) {
            idp.serveJwks(TestIdp.status(503));
            try (StartupOrchestrator o = Orchestration.of(Duration.ofSeconds(1), p.components())) {
                AtomicBoolean everReady = new AtomicBoolean();
                CompletableFuture<StartupReport> f = o.startAsync();
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    everReady.compareAndSet(false, o.isReady());
                    return f.isDone();
                });
                assertThat(f).isCompletedExceptionally();
                try {
                    f.get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(dev.coldstart.core.StartupFailedException.class);
                }
                assertThat(everReady).isFalse();
                assertThat(o.isReady()).isFalse();
                assertThat(o.availability().state()).isEqualTo(ServiceState.FAILED);
                assertThat(o.report().component("idp").state()).isEqualTo(ComponentState.FAILED);
                assertThat(idp.jwksRequests()).isGreaterThanOrEqualTo(2);
            }
        }
    }
}
