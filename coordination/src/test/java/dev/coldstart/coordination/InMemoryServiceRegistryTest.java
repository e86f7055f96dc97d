package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CS-09 in one process, and the rules of {@link ServiceInstance}. */
class InMemoryServiceRegistryTest {
    private final ServiceRegistry registry = ServiceRegistry.inMemory();

    @Test
    void registersLooksUpAndDeregisters() {
        ServiceInstance b = ServiceInstance.of("orders", "b", "127.0.0.1", 8082);
        ServiceInstance a = ServiceInstance.of("orders", "a", "127.0.0.1", 8081).withMetadata("zone", "eu-1");
        registry.register(b);
        registry.register(a);
        registry.register(ServiceInstance.of("billing", "x", "127.0.0.1", 9000));
        assertThat(registry.lookup("orders")).containsExactly(a, b);
        assertThat(registry.lookup("orders").get(0).metadata()).containsEntry("zone", "eu-1");
        registry.deregister(a);
        registry.deregister(a);
        assertThat(registry.lookup("orders")).containsExactly(b);
        assertThat(registry.lookup("nobody")).isEmpty();
        registry.close();
        assertThatThrownBy(() -> registry.lookup("orders")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void awaitInstanceWaitsWithBackoffUntilTheInstanceRegisters() throws Exception {
        ServiceInstance a = ServiceInstance.of("orders", "a", "127.0.0.1", 8081);
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<ServiceInstance> found = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            return registry.awaitInstance("orders", Duration.ofSeconds(10));
        });
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(found).isNotDone();
        registry.register(a);
        assertThat(found.get(5, TimeUnit.SECONDS)).isEqualTo(a);
    }

    @Test
    void awaitInstanceFailsAtItsDeadlineNamingTheServiceAndTheTimeout() {
        RetryPolicy backoff = RetryPolicy.builder().initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(40)).build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> registry.awaitInstance("payments", Duration.ofMillis(300), backoff))
                .isInstanceOfSatisfying(ServiceNotFoundException.class, e -> {
                    assertThat(e.service()).isEqualTo("payments");
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
                    assertThat(e.lookups()).isGreaterThan(3);
                    assertThat(e.getMessage()).startsWith("no live instance of service 'payments' in in-memory service "
                            + "registry within 0.3 s (deadline " + e.deadline() + ", " + e.lookups() + " lookups)")
                            .contains("check that 'payments' runs and is READY");
                });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(300L, 2_000L);
    }

    @Test
    void rejectsInvalidInstancesNamingFieldAndValue() {
        assertThatThrownBy(() -> ServiceInstance.of("orders:v1", "a", "h", 1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("service must consist of 1 to 128 letters, digits, '.', '_' or '-', but was \"orders:v1\"");
        assertThatThrownBy(() -> ServiceInstance.of("orders", "", "h", 1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("id must not be blank, but was \"\"");
        assertThatThrownBy(() -> ServiceInstance.of("orders", "a", "h", 0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("port must be between 1 and 65535, but was 0");
        assertThatThrownBy(() -> ServiceInstance.of("orders", "a", " ", 1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("host must not be blank, but was \" \"");
        assertThatThrownBy(() -> registry.awaitInstance("orders", Duration.ZERO))
                .isInstanceOf(ConfigurationException.class).hasMessage("timeout must be greater than 0, but was PT0S");
        assertThat(ServiceInstance.of("orders", "a", "::1", 80).authority()).isEqualTo("[::1]:80");
    }
}
