package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.coordination.BoundPort;
import dev.coldstart.coordination.PortAllocator;
import dev.coldstart.coordination.PortBindException;
import dev.coldstart.coordination.PortPolicy;
import dev.coldstart.coordination.ServiceInstance;
import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.CoordinatedService;
import dev.coldstart.testkit.CoordinationEnvironment;
import dev.coldstart.testkit.CoordinationScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.fault.PortSquatter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;

/**
 * CS-08 port_binding_race_conditions: see {@code CoordinationScenarios}.
 *
 * <p>Four parts: 16 threads race for one port through {@code PortAllocator} under each policy; a
 * port held by a separate process (a child JVM) under each policy; the user's service with its HTTP
 * port held by that process; and a restart of the user's service on its port right after it
 * closed, with the connections it closed first in TIME_WAIT.
 */
public final class PortRaceScenario {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ScenarioContext ctx;
    private final CoordinatedServiceFactory factory;
    private final CoordinationScenarioParameters p;

    /**
     * Prepares the scenario.
     *
     * @param ctx the scenario's context
     * @param factory the user's service
     * @param parameters the figures
     */
    public PortRaceScenario(ScenarioContext ctx, CoordinatedServiceFactory factory, CoordinationScenarioParameters parameters) {
        this.ctx = ctx;
        this.factory = factory;
        this.p = parameters;
    }

    /**
     * Runs the scenario and asserts every pass criterion.
     *
     * @throws Exception on failure
     */
    public void run() throws Exception {
        threadsRaceForOnePort();
        try (PortSquatter holder = PortSquatter.inChildProcess(0)) {
            ctx.figure("holderPid", holder.holderPid());
            portHeldByAnotherProcess(holder);
            serviceWithItsPortHeld(holder);
        }
        restartOverTimeWait();
    }

    private static PortAllocator allocator(PortPolicy policy, Duration retryTimeout) {
        return PortAllocator.builder().bindAddress(LOOPBACK).policy(policy).retryTimeout(retryTimeout).build();
    }

    /** Binds, reads the port and releases it: only to pick the number the threads then race for. */
    private static int freePort() {
        try (BoundPort b = allocator(PortPolicy.FAIL, Duration.ofSeconds(1)).bind(0)) {
            return b.port();
        }
    }

    private void threadsRaceForOnePort() throws Exception {
        long pid = ProcessHandle.current().pid();
        int threads = p.cs08RacingThreads();
        for (PortPolicy policy : PortPolicy.values()) {
            int port = freePort();
            PortAllocator allocator = allocator(policy, p.cs08RetryTimeout());
            Queue<BoundPort> bound = new ConcurrentLinkedQueue<>();
            Queue<Long> failedAfterNanos = new ConcurrentLinkedQueue<>();
            Parallel.Outcome outcome;
            try {
                outcome = Parallel.run(threads, p.cs08RetryTimeout().plusSeconds(10), () -> {
                    long t0 = System.nanoTime();
                    try {
                        bound.add(allocator.bind(port));
                    } catch (PortBindException e) {
                        failedAfterNanos.add(System.nanoTime() - t0);
                        throw e;
                    }
                    return null;
                });
            } finally {
                bound.forEach(BoundPort::close);
            }
            long winners = bound.stream().filter(b -> b.port() == port).count();
            String key = policy.name().toLowerCase(java.util.Locale.ROOT);
            ctx.figure("race[" + key + "].winners", winners);
            assertThat(winners).as("%s: threads that bound port %d", policy, port).isEqualTo(1);
            switch (policy) {
                case FAIL -> {
                    assertThat(outcome.failures()).as("FAIL: losers").hasSize(threads - 1);
                    for (Throwable f : outcome.failures()) {
                        PortBindException e = CoordinationSupport.causeOf(f, PortBindException.class);
                        assertThat(e).as("FAIL: a loser's error %s", f).isNotNull();
                        assertThat(e.port()).isEqualTo(port);
                        assertThat(e.isInUse()).isTrue();
                        assertThat(e.getMessage()).as("FAIL: the error names the port").contains("port " + port);
                        assertThat(e.holderPid()).as("FAIL: the holder (this process)").hasValue(pid);
                    }
                    ctx.figure("race[fail].error", outcome.failures().get(0).getMessage());
                }
                case RETRY -> {
                    // The winner holds the port throughout: every loser retries until its deadline, then fails.
                    assertThat(outcome.failures()).as("RETRY: losers").hasSize(threads - 1);
                    long fastest = Long.MAX_VALUE;
                    for (Throwable f : outcome.failures()) {
                        PortBindException e = CoordinationSupport.causeOf(f, PortBindException.class);
                        assertThat(e).as("RETRY: a loser's error %s", f).isNotNull();
                        assertThat(e.attempts()).as("RETRY: attempts of a loser").isGreaterThan(1);
                        assertThat(e.getMessage()).contains("port " + port);
                    }
                    for (long n : failedAfterNanos) {
                        fastest = Math.min(fastest, n);
                    }
                    ctx.figure("race[retry].firstGaveUpMillis", TimeUnit.NANOSECONDS.toMillis(fastest));
                    assertThat(Duration.ofNanos(fastest)).as("RETRY: the first loser gave up after")
                            .isGreaterThanOrEqualTo(p.cs08RetryTimeout());
                }
                case EPHEMERAL_FALLBACK -> {
                    assertThat(outcome.failures()).as("EPHEMERAL_FALLBACK: failures").isEmpty();
                    Set<Integer> others = new HashSet<>();
                    for (BoundPort b : bound) {
                        if (b.port() != port) {
                            assertThat(b.isFallback()).isTrue();
                            others.add(b.port());
                        }
                    }
                    ctx.figure("race[fallback].distinctEphemeralPorts", others.size());
                    assertThat(others).as("EPHEMERAL_FALLBACK: distinct other ports").hasSize(threads - 1);
                }
                default -> throw new AssertionFailedError("unknown policy " + policy);
            }
        }
    }

    private void portHeldByAnotherProcess(PortSquatter holder) {
        int port = holder.port();
        long t0 = System.nanoTime();
        PortBindException fail = bindFailure(allocator(PortPolicy.FAIL, p.cs08RetryTimeout()), port);
        long failMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        ctx.figure("heldFail.error", fail.getMessage());
        ctx.figure("heldFail.millis", failMillis);
        assertThat(fail.getMessage()).as("FAIL names the port and the holder's pid")
                .contains("port " + port).contains(Long.toString(holder.holderPid()));
        assertThat(fail.holderPid()).hasValue(holder.holderPid());
        assertThat(fail.attempts()).isEqualTo(1);

        t0 = System.nanoTime();
        PortBindException retry = bindFailure(allocator(PortPolicy.RETRY, p.cs08RetryTimeout()), port);
        Duration retried = Duration.ofNanos(System.nanoTime() - t0);
        ctx.figure("heldRetry.attempts", retry.attempts());
        ctx.figure("heldRetry.millis", retried.toMillis());
        assertThat(retried).as("RETRY kept trying until its deadline").isGreaterThanOrEqualTo(p.cs08RetryTimeout());
        assertThat(retry.attempts()).as("RETRY attempts").isGreaterThan(1);
        assertThat(retry.getMessage()).contains("port " + port).contains(Long.toString(holder.holderPid()));

        try (BoundPort fallback = allocator(PortPolicy.EPHEMERAL_FALLBACK, p.cs08RetryTimeout()).bind(port)) {
            ctx.figure("heldFallback.port", fallback.port());
            assertThat(fallback.port()).isNotEqualTo(port);
            assertThat(fallback.isFallback()).isTrue();
        }
    }

    private static PortBindException bindFailure(PortAllocator allocator, int port) {
        try (BoundPort unexpected = allocator.bind(port)) {
            throw new AssertionFailedError(allocator.policy() + " bound port " + port + " although another process holds "
                    + "it (got " + unexpected + ")");
        } catch (PortBindException e) {
            return e;
        }
    }

    private void serviceWithItsPortHeld(PortSquatter holder) throws Exception {
        int port = holder.port();
        ServiceRegistry registry = ctx.closeAfter(ServiceRegistry.inMemory());
        String serviceName = "cs08-" + ScenarioSupport.tag();

        // FAIL: a clear error naming the port and the holder.
        CoordinatedService failing = service(registry, serviceName, "fail", port, PortPolicy.FAIL);
        PortBindException fail = startHttpFailure(failing, PortPolicy.FAIL, port);
        ctx.figure("service[fail].error", fail.getMessage());
        assertThat(fail.port()).isEqualTo(port);
        assertThat(fail.getMessage()).contains("port " + port).contains(Long.toString(holder.holderPid()));
        failing.close();

        // RETRY while the holder stays: retries until the deadline, then the same clear error.
        CoordinatedService waiting = service(registry, serviceName, "retry-out", port, PortPolicy.RETRY);
        long t0 = System.nanoTime();
        PortBindException gaveUp = startHttpFailure(waiting, PortPolicy.RETRY, port);
        Duration waited = Duration.ofNanos(System.nanoTime() - t0);
        ctx.figure("service[retry].gaveUpAfterMillis", waited.toMillis());
        ctx.figure("service[retry].attempts", gaveUp.attempts());
        assertThat(waited).isGreaterThanOrEqualTo(p.cs08RetryTimeout());
        assertThat(gaveUp.attempts()).isGreaterThan(1);
        waiting.close();

        // EPHEMERAL_FALLBACK: another port, and that one is registered for discovery once READY.
        CoordinatedService fallback = service(registry, serviceName, "fallback", port, PortPolicy.EPHEMERAL_FALLBACK);
        URI uri = fallback.startHttp();
        ctx.figure("service[fallback].port", uri.getPort());
        assertThat(uri.getPort()).as("the fallback port").isNotEqualTo(port);
        StartupReport report = CoordinationSupport.startAndAwait(ctx, fallback, p.startDeadline());
        assertThat(report.state()).isEqualTo(ServiceState.READY);
        await().atMost(Duration.ofSeconds(10)).until(() -> !registry.lookup(serviceName).isEmpty());
        List<ServiceInstance> found = registry.lookup(serviceName);
        ctx.figure("service[fallback].registered", found);
        assertThat(found).as("registered instances of %s", serviceName).hasSize(1);
        assertThat(found.get(0).port()).as("the registered port is the one bound").isEqualTo(uri.getPort());
        assertThat(new HttpCheck().get(URI.create("http://" + found.get(0).authority() + "/health/ready")).status())
                .as("a call to the registered address").isEqualTo(200);
        fallback.close();

        // RETRY while the holder leaves before the deadline: binds the port it asked for.
        CoordinatedService patient = service(registry, serviceName, "retry-in", port, PortPolicy.RETRY);
        t0 = System.nanoTime();
        CompletableFuture<URI> binding = CompletableFuture.supplyAsync(() -> {
            try {
                return patient.startHttp();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // The fault: the holder goes away while the service retries, as a previous instance finishing its shutdown.
        CompletableFuture<Long> released = CompletableFuture.supplyAsync(() -> {
            holder.close();
            return System.nanoTime();
        }, CompletableFuture.delayedExecutor(p.cs08HolderReleasesAfter().toNanos(), TimeUnit.NANOSECONDS));
        URI retried = ScenarioSupport.await(binding, p.cs08RetryTimeout().plusSeconds(5), ctx.id() + " RETRY bind");
        long boundNanos = System.nanoTime();
        long releasedNanos = ScenarioSupport.await(released, Duration.ofSeconds(15), ctx.id() + " release of the port");
        ctx.figure("service[retry].boundAfterReleaseMillis", TimeUnit.NANOSECONDS.toMillis(boundNanos - releasedNanos));
        ctx.figure("service[retry].boundAfterMillis", TimeUnit.NANOSECONDS.toMillis(boundNanos - t0));
        assertThat(retried.getPort()).as("RETRY bound the port it asked for").isEqualTo(port);
        assertThat(Duration.ofNanos(boundNanos - t0)).as("RETRY bound within its deadline")
                .isLessThanOrEqualTo(p.cs08RetryTimeout().plusMillis(500));
        patient.close();
    }

    private CoordinatedService service(ServiceRegistry registry, String serviceName, String role, int port, PortPolicy policy)
            throws Exception {
        String name = serviceName + "-" + role;
        CoordinationEnvironment env = CoordinationSupport.environment(ctx, p, name, ctx.database().jdbcUrl(),
                ctx.redis().uri(), registry, serviceName).http(port, policy, p.cs08RetryTimeout()).build();
        return CoordinationSupport.create(ctx, factory, env);
    }

    private static PortBindException startHttpFailure(CoordinatedService service, PortPolicy policy, int port) {
        URI unexpected;
        try {
            unexpected = service.startHttp();
        } catch (Exception e) {
            PortBindException pbe = CoordinationSupport.causeOf(e, PortBindException.class);
            if (pbe == null) {
                throw new AssertionFailedError("with its port " + port + " held by another process and " + policy
                        + ", startHttp() must fail with a PortBindException (possibly as a cause), but threw " + e, e);
            }
            return pbe;
        }
        throw new AssertionFailedError("with its port " + port + " held by another process and " + policy
                + ", the service started serving on " + unexpected);
    }

    private void restartOverTimeWait() throws Exception {
        ServiceRegistry registry = ctx.closeAfter(ServiceRegistry.inMemory());
        String serviceName = "cs08-" + ScenarioSupport.tag();
        int port = freePort();
        CoordinatedService first = service(registry, serviceName, "before-restart", port, PortPolicy.FAIL);
        URI uri = first.startHttp();
        assertThat(uri.getPort()).isEqualTo(port);
        for (int i = 0; i < p.cs08TimeWaitConnections(); i++) {
            closedByServer(port);
        }
        first.close();
        int timeWait = ProcNetTcp.count(port, ProcNetTcp.TIME_WAIT);
        ctx.figure("timeWaitBeforeRestart", timeWait);
        assertThat(timeWait).as("connections of port %d in TIME_WAIT after the close", port).isPositive();

        // Control: without SO_REUSEADDR the kernel refuses the port while those connections linger.
        PortAllocator noReuse = PortAllocator.builder().reuseAddress(false).build();
        boolean refusedWithoutReuse;
        try (BoundPort unexpected = noReuse.bind(port)) {
            refusedWithoutReuse = !unexpected.isOpen();
        } catch (PortBindException e) {
            refusedWithoutReuse = e.isInUse();
        }
        ctx.figure("bindWithoutReuseAddressRefused", refusedWithoutReuse);
        assertThat(refusedWithoutReuse).as("a bind without SO_REUSEADDR over TIME_WAIT (the control)").isTrue();

        CoordinatedService restarted = service(registry, serviceName, "after-restart", port, PortPolicy.FAIL);
        long t0 = System.nanoTime();
        URI again = restarted.startHttp();
        Duration rebind = Duration.ofNanos(System.nanoTime() - t0);
        ctx.figure("restartBindMillis", rebind.toMillis());
        ctx.figure("timeWaitAtRestart", ProcNetTcp.count(port, ProcNetTcp.TIME_WAIT));
        assertThat(again.getPort()).isEqualTo(port);
        assertThat(rebind).as("the restart's bind over TIME_WAIT").isLessThanOrEqualTo(p.cs08RebindDeadline());
        assertThat(new HttpCheck().get(again.resolve("/health/live")).status()).isEqualTo(200);
        restarted.close();
    }

    /** One request with "Connection: close", read to the end: the server closes first, so its side ends in TIME_WAIT. */
    private static void closedByServer(int port) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            List<Integer> reads = new ArrayList<>();
            int n;
            while ((n = in.read(buf)) >= 0) {
                reads.add(n);
            }
            if (reads.isEmpty()) {
                throw new AssertionFailedError("the service closed a connection without answering GET /health/live");
            }
        }
    }
}
