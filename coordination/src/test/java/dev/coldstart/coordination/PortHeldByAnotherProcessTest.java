package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CS-08 with a real second process: a child JVM ({@link PortHolderMain}) holds the port. */
class PortHeldByAnotherProcessTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(20);

    private ChildJvm child;
    private int port;

    @BeforeEach
    void startHolder() throws Exception {
        child = ChildJvm.start(PortHolderMain.class, "0");
        port = Integer.parseInt(child.awaitLine("BOUND ", CHILD_TIMEOUT));
    }

    @AfterEach
    void stopHolder() throws Exception {
        child.close();
    }

    private static PortAllocator allocator(PortPolicy policy) {
        return PortAllocator.builder().bindAddress(LOOPBACK).policy(policy).retryTimeout(Duration.ofSeconds(15)).build();
    }

    @Test
    void failNamesThePortAndTheHoldingProcess() {
        assertThatThrownBy(() -> allocator(PortPolicy.FAIL).bind(port))
                .isInstanceOfSatisfying(PortBindException.class, e -> {
                    assertThat(e.port()).isEqualTo(port);
                    assertThat(e.isInUse()).isTrue();
                    assertThat(e.holderPid()).hasValue(child.pid());
                    assertThat(e.getMessage()).startsWith("port " + port + " on 127.0.0.1 is already in use by pid "
                            + child.pid() + " (java)");
                });
    }

    @Test
    void retryKeepsWaitingWhileHeldAndSucceedsOnceTheHolderReleasesBeforeTheDeadline() throws Exception {
        CompletableFuture<BoundPort> binding = CompletableFuture.supplyAsync(() -> allocator(PortPolicy.RETRY).bind(port));
        // While the child holds the port the binder neither fails nor binds elsewhere.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !binding.isDone());
        child.send("RELEASE");
        child.awaitLine("RELEASED", CHILD_TIMEOUT);
        try (BoundPort bound = binding.get(15, TimeUnit.SECONDS)) {
            assertThat(bound.port()).isEqualTo(port);
            assertThat(bound.isFallback()).isFalse();
            assertThat(bound.attempts()).isGreaterThan(1);
        }
    }

    @Test
    void ephemeralFallbackBindsAnotherPortAndSaysWhichWasAskedFor() {
        try (BoundPort bound = allocator(PortPolicy.EPHEMERAL_FALLBACK).bind(port)) {
            assertThat(bound.port()).isNotEqualTo(port).isPositive();
            assertThat(bound.requestedPort()).isEqualTo(port);
            assertThat(bound.isFallback()).isTrue();
            assertThat(bound.isOpen()).isTrue();
        }
    }
}
