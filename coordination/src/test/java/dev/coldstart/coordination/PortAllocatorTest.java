package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.coordination.internal.PortHolders;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CS-08 in one process: racing binders, the three policies, and a restart over TIME_WAIT. */
class PortAllocatorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int THREADS = 16;
    private static final int ROUNDS = 10;

    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static PortAllocator allocator(PortPolicy policy) {
        return PortAllocator.builder().bindAddress(LOOPBACK).policy(policy).build();
    }

    /** Binds, reads the port and releases it: only to pick a port number that the race then fights for. */
    private static int freePort() {
        try (BoundPort p = allocator(PortPolicy.FAIL).bind(0)) {
            return p.port();
        }
    }

    /** Runs the same bind in 16 threads released at one instant; each result is a BoundPort or the exception. */
    private static List<Object> race(Callable<BoundPort> bind) throws Exception {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
                try {
                    return bind.call();
                } catch (PortBindException e) {
                    return e;
                }
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        List<Object> results = new ArrayList<>();
        for (Future<Object> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void sixteenThreadsRacingForOnePortHaveExactlyOneWinnerAndFifteenErrorsNamingThePort() throws Exception {
        PortAllocator allocator = allocator(PortPolicy.FAIL);
        long me = ProcessHandle.current().pid();
        for (int round = 0; round < ROUNDS; round++) {
            int port = freePort();
            List<Object> results = race(() -> allocator.bind(port));
            List<BoundPort> winners = new ArrayList<>();
            List<PortBindException> losers = new ArrayList<>();
            results.forEach(r -> {
                if (r instanceof BoundPort b) {
                    winners.add(b);
                } else {
                    losers.add((PortBindException) r);
                }
            });
            try {
                assertThat(winners).as("round %d winners", round).hasSize(1);
                assertThat(winners.get(0).port()).isEqualTo(port);
                assertThat(winners.get(0).isOpen()).isTrue();
                assertThat(losers).as("round %d losers", round).hasSize(THREADS - 1).allSatisfy(e -> {
                    assertThat(e.isInUse()).isTrue();
                    assertThat(e.port()).isEqualTo(port);
                    assertThat(e.policy()).isEqualTo(PortPolicy.FAIL);
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("port " + port + " on 127.0.0.1 is already in use",
                            "PortPolicy.RETRY", "PortPolicy.EPHEMERAL_FALLBACK");
                });
                // The holder is this very process; /proc tells its pid when the winner still listens.
                assertThat(losers).anySatisfy(e -> {
                    assertThat(e.holderPid()).hasValue(me);
                    assertThat(e.getMessage()).contains("by pid " + me);
                });
            } finally {
                winners.forEach(BoundPort::close);
            }
        }
    }

    @Test
    void underEphemeralFallbackOneRacerGetsThePortAndFifteenGetDistinctOtherPorts() throws Exception {
        PortAllocator allocator = allocator(PortPolicy.EPHEMERAL_FALLBACK);
        int port = freePort();
        List<BoundPort> bound = new ArrayList<>();
        race(() -> allocator.bind(port)).forEach(r -> bound.add((BoundPort) r));
        try {
            assertThat(bound).hasSize(THREADS);
            assertThat(bound).filteredOn(b -> b.port() == port).hasSize(1)
                    .allSatisfy(b -> assertThat(b.isFallback()).isFalse());
            List<BoundPort> fallbacks = bound.stream().filter(b -> b.port() != port).toList();
            assertThat(fallbacks).hasSize(THREADS - 1).allSatisfy(b -> {
                assertThat(b.isFallback()).isTrue();
                assertThat(b.requestedPort()).isEqualTo(port);
                assertThat(b.isOpen()).isTrue();
            });
            Set<Integer> ports = new HashSet<>();
            bound.forEach(b -> ports.add(b.port()));
            assertThat(ports).hasSize(THREADS);
        } finally {
            bound.forEach(BoundPort::close);
        }
    }

    /** One racer's bind under RETRY: when its call began, and when it held the port. */
    record Hold(long callStartNanos, long acquiredNanos, long releasedNanos, int attempts) {
    }

    @Test
    void underRetryRacersTakeThePortOneAfterAnotherAndNeverTwoAtOnce() throws Exception {
        PortAllocator allocator = PortAllocator.builder().bindAddress(LOOPBACK).policy(PortPolicy.RETRY)
                .retryTimeout(Duration.ofSeconds(20))
                .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(5))
                        .maxBackoff(Duration.ofMillis(100)).build())
                .build();
        int port = freePort();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        List<Hold> holds = new CopyOnWriteArrayList<>();
        List<Object> results = race(() -> {
            long callStart = System.nanoTime();
            started.incrementAndGet();
            BoundPort b = allocator.bind(port);
            long acquired = System.nanoTime();
            maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
            // Each holder keeps the port until every racer has begun its bind, so the others contend.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> started.get() == THREADS);
            holders.decrementAndGet();
            long released = System.nanoTime();
            b.close();
            holds.add(new Hold(callStart, acquired, released, b.attempts()));
            return b;
        });
        assertThat(results).hasSize(THREADS).allSatisfy(r -> assertThat(((BoundPort) r).port()).isEqualTo(port));
        assertThat(maxHolders.get()).as("never two holders at once").isEqualTo(1);
        // A racer whose call began while another held the port cannot have bound at its first attempt.
        for (Hold h : holds) {
            boolean startedWhileHeld = holds.stream().anyMatch(other -> other != h
                    && h.callStartNanos() > other.acquiredNanos() && h.callStartNanos() < other.releasedNanos());
            if (startedWhileHeld) {
                assertThat(h.attempts()).as("attempts of a racer that started while the port was held").isGreaterThan(1);
            }
        }
        assertThat(holds.stream().mapToInt(Hold::attempts).sum()).as("total attempts").isGreaterThanOrEqualTo(THREADS);
    }

    @Test
    void retryGivesUpAtItsDeadlineWithTheAttemptsInTheMessage() {
        try (BoundPort held = allocator(PortPolicy.FAIL).bind(0)) {
            PortAllocator retry = PortAllocator.builder().bindAddress(LOOPBACK).policy(PortPolicy.RETRY)
                    .retryTimeout(Duration.ofMillis(300)).build();
            long start = System.nanoTime();
            assertThatThrownBy(() -> retry.bind(held.port()))
                    .isInstanceOfSatisfying(PortBindException.class, e -> {
                        assertThat(e.policy()).isEqualTo(PortPolicy.RETRY);
                        assertThat(e.attempts()).isGreaterThan(1);
                        assertThat(e.getMessage()).contains("port " + held.port(), "is already in use",
                                "after " + e.attempts() + " attempts over 0.3 s");
                    });
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMillis).isBetween(300L, 2_000L);
        }
    }

    @Test
    void portZeroBindsAnEphemeralPortThatIsNotAFallback() {
        try (BoundPort p = allocator(PortPolicy.FAIL).bind(0)) {
            assertThat(p.port()).isPositive();
            assertThat(p.requestedPort()).isZero();
            assertThat(p.isFallback()).isFalse();
            assertThat(p.attempts()).isEqualTo(1);
            assertThat(p.address().getAddress()).isEqualTo(LOOPBACK);
        }
    }

    @Test
    void restartRightAfterCloseBindsAtOnceOverConnectionsInTimeWait() throws Exception {
        PortAllocator allocator = allocator(PortPolicy.FAIL);
        int port;
        try (BoundPort server = allocator.bind(0)) {
            port = server.port();
            try (Socket client = new Socket(LOOPBACK, port)) {
                SocketChannel accepted = server.channel().accept();
                accepted.close(); // the server side closes first, so it is the side left in TIME_WAIT
                InputStream in = client.getInputStream();
                assertThat(in.read()).as("client sees the server's FIN").isEqualTo(-1);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> PortHolders.count(port, PortHolders.TIME_WAIT) > 0);

        // Control: without SO_REUSEADDR, Linux refuses the port while the connection is in TIME_WAIT.
        PortAllocator noReuse = allocator.toBuilder().reuseAddress(false).build();
        assertThatThrownBy(() -> noReuse.bind(port)).isInstanceOfSatisfying(PortBindException.class,
                e -> assertThat(e.isInUse()).isTrue());

        long start = System.nanoTime();
        try (BoundPort restarted = allocator.bind(port)) {
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(restarted.port()).isEqualTo(port);
            assertThat(restarted.attempts()).isEqualTo(1);
            assertThat(elapsedMillis).isLessThan(1_000L);
            assertThat(PortHolders.count(port, PortHolders.TIME_WAIT)).as("still in TIME_WAIT").isPositive();
        }
    }

    @Test
    void rejectsInvalidConfigurationNamingFieldAndValue() {
        assertThatThrownBy(() -> PortAllocator.ofDefaults().bind(-1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("port must be between 0 and 65535, but was -1");
        assertThatThrownBy(() -> PortAllocator.ofDefaults().bind(65_536)).isInstanceOf(ConfigurationException.class)
                .hasMessage("port must be between 0 and 65535, but was 65536");
        assertThatThrownBy(() -> PortAllocator.builder().retryTimeout(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("retryTimeout must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> PortAllocator.builder().backlog(-1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("backlog must be greater than or equal to 0, but was -1");
        assertThatThrownBy(() -> PortAllocator.builder().policy(null)).isInstanceOf(ConfigurationException.class)
                .hasMessage("policy must not be null");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        PortAllocator a = PortAllocator.builder().bindAddress(LOOPBACK).policy(PortPolicy.RETRY)
                .retryTimeout(Duration.ofSeconds(3)).reuseAddress(false).backlog(7).build();
        PortAllocator b = a.toBuilder().build();
        assertThat(b.bindAddress()).contains(LOOPBACK);
        assertThat(b.policy()).isEqualTo(PortPolicy.RETRY);
        assertThat(b.retryTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.reuseAddress()).isFalse();
        assertThat(b.backlog()).isEqualTo(7);
        assertThat(b.retryPolicy()).isSameAs(a.retryPolicy());
    }

    @Test
    void closingABoundPortReleasesIt() throws IOException {
        BoundPort p = allocator(PortPolicy.FAIL).bind(0);
        int port = p.port();
        p.close();
        p.close();
        assertThat(p.isOpen()).isFalse();
        try (BoundPort again = allocator(PortPolicy.FAIL).bind(port)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }
}
