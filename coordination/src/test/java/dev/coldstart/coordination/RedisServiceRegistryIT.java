package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CS-09 on the real Redis: register, look up, heartbeat, TTL expiry of a dead process, waiting lookups. */
class RedisServiceRegistryIT {
    private static final Duration TTL = Duration.ofSeconds(1);

    private RedisKeys keys;
    private RedisServiceRegistry registry;

    @BeforeEach
    void setUp() {
        keys = new RedisKeys();
        registry = registry();
    }

    @AfterEach
    void tearDown() {
        try {
            registry.close();
        } finally {
            keys.close();
        }
    }

    private RedisServiceRegistry registry() {
        return RedisServiceRegistry.builder().redisUri(RedisKeys.URI).keyPrefix(keys.prefix()).ttl(TTL).build();
    }

    @Test
    void registersLooksUpAndDeregistersAcrossRegistryObjects() {
        ServiceInstance a = ServiceInstance.of("orders", "a", "127.0.0.1", 8081).withMetadata("version", "1.4.2");
        ServiceInstance b = ServiceInstance.of("orders", "b", "10.0.0.7", 8082);
        registry.register(b);
        registry.register(a);
        try (RedisServiceRegistry other = registry()) {
            assertThat(other.lookup("orders")).containsExactly(a, b);
            assertThat(other.lookup("billing")).isEmpty();
            registry.deregister(a);
            assertThat(other.lookup("orders")).containsExactly(b);
        }
        assertThat(keys.redis().pttl(keys.prefix() + ":instance:orders:b")).isBetween(1L, TTL.toMillis());
        assertThat(keys.redis().get(keys.prefix() + ":instance:orders:b"))
                .isEqualTo("v=1&service=orders&id=b&host=10.0.0.7&port=8082");
    }

    @Test
    void theHeartbeatKeepsARegistrationAliveLongerThanItsTtl() {
        ServiceInstance a = ServiceInstance.of("orders", "a", "127.0.0.1", 8081);
        registry.register(a);
        try (RedisServiceRegistry other = registry()) {
            await().during(TTL.multipliedBy(2).plusMillis(200)).atMost(TTL.multipliedBy(4))
                    .pollInterval(Duration.ofMillis(50)).until(() -> other.lookup("orders").contains(a));
        }
    }

    @Test
    void anInstanceWhoseProcessDiesWithoutDeregisteringDisappearsWithinItsTtl() throws Exception {
        try (ChildJvm child = ChildJvm.start(RegistryChildMain.class, RedisKeys.URI, keys.prefix(), "orders", "doomed",
                Long.toString(TTL.toMillis()))) {
            child.awaitLine("REGISTERED", Duration.ofSeconds(30));
            assertThat(registry.lookup("orders")).extracting(ServiceInstance::id).containsExactly("doomed");
            child.kill();
            long killed = System.nanoTime();
            assertThat(registry.lookup("orders")).as("a crash does not deregister").hasSize(1);
            // Timed from when each lookup was sent: a stalled poll delays the next lookup but cannot make a
            // lookup sent after the TTL still see the instance.
            long[] lastListedAt = {killed};
            await().atMost(TTL.multipliedBy(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
                long sent = System.nanoTime();
                boolean gone = registry.lookup("orders").isEmpty();
                if (!gone) {
                    lastListedAt[0] = sent;
                }
                return gone;
            });
            long listedAfterMillis = TimeUnit.NANOSECONDS.toMillis(lastListedAt[0] - killed);
            assertThat(listedAfterMillis).as("never listed after its TTL").isLessThanOrEqualTo(TTL.toMillis());
        }
        // The expired member was pruned from the service's index as well.
        assertThat(keys.redis().smembers(keys.prefix() + ":service:orders")).isEmpty();
    }

    @Test
    void awaitInstanceSucceedsWhenTheInstanceRegistersLater() throws Exception {
        ServiceInstance a = ServiceInstance.of("orders", "a", "127.0.0.1", 8081);
        CompletableFuture<ServiceInstance> found = CompletableFuture.supplyAsync(
                () -> registry.awaitInstance("orders", Duration.ofSeconds(10)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !found.isDone());
        try (RedisServiceRegistry starter = registry()) {
            starter.register(a);
            assertThat(found.get(5, TimeUnit.SECONDS)).isEqualTo(a);
        }
    }

    @Test
    void awaitInstanceFailsAtItsDeadlineWithAMessageNamingServiceTimeoutAndRegistry() {
        RetryPolicy backoff = RetryPolicy.builder().initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(50)).build();
        assertThatThrownBy(() -> registry.awaitInstance("payments", Duration.ofMillis(400), backoff))
                .isInstanceOfSatisfying(ServiceNotFoundException.class, e -> {
                    assertThat(e.service()).isEqualTo("payments");
                    assertThat(e.lookups()).isGreaterThan(2);
                    assertThat(e.getCause()).isNull();
                    assertThat(e.getMessage()).startsWith("no live instance of service 'payments' in Redis at "
                            + "127.0.0.1:6379 (prefix '" + keys.prefix() + "') within 0.4 s (deadline "
                            + e.deadline() + ", " + e.lookups() + " lookups)");
                });
    }

    @Test
    void closeDeregistersWhatItRegistered() {
        RedisServiceRegistry closing = registry();
        closing.register(ServiceInstance.of("orders", "a", "127.0.0.1", 8081));
        assertThat(registry.lookup("orders")).hasSize(1);
        closing.close();
        closing.close();
        assertThat(registry.lookup("orders")).isEmpty();
        assertThat(keys.keys()).isEmpty();
        assertThatThrownBy(() -> closing.lookup("orders")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnreachableRedisFailsOperationsWithoutShowingThePassword() {
        try (RedisServiceRegistry down = RedisServiceRegistry.builder().redisUri("redis://s3cret@127.0.0.1:1")
                .commandTimeout(Duration.ofMillis(500)).keyPrefix(keys.prefix()).build()) {
            assertThatThrownBy(() -> down.register(ServiceInstance.of("orders", "a", "127.0.0.1", 8081)))
                    .isInstanceOf(ServiceRegistryException.class)
                    .hasMessageStartingWith("registry - SET " + keys.prefix() + ":instance:orders:a on Redis at "
                            + "127.0.0.1:1")
                    .hasMessageContaining("check that Redis runs and is reachable")
                    .hasMessageNotContaining("s3cret");
            assertThatThrownBy(() -> down.awaitInstance("orders", Duration.ofMillis(200)))
                    .isInstanceOfSatisfying(ServiceNotFoundException.class, e -> {
                        assertThat(e.getCause()).isInstanceOf(ServiceRegistryException.class);
                        assertThat(e.getMessage()).contains("the last lookup failed: registry - lookup of 'orders'");
                    });
            assertThat(List.of(down.ttl(), down.heartbeatInterval()))
                    .containsExactly(RedisServiceRegistry.DEFAULT_TTL, RedisServiceRegistry.DEFAULT_TTL.dividedBy(3));
        }
    }

    @Test
    void rejectsAHeartbeatThatIsNotShorterThanTheTtl() {
        assertThatThrownBy(() -> RedisServiceRegistry.builder().ttl(Duration.ofSeconds(1))
                .heartbeatInterval(Duration.ofSeconds(1)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("heartbeatInterval must be less than ttl (PT1S), but was PT1S");
        assertThatThrownBy(() -> RedisServiceRegistry.builder().keyPrefix(" ")).isInstanceOf(ConfigurationException.class)
                .hasMessage("keyPrefix must not be blank, but was \" \"");
    }
}
