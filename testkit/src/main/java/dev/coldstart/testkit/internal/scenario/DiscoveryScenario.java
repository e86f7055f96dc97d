package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.coordination.RedisServiceRegistry;
import dev.coldstart.coordination.ServiceInstance;
import dev.coldstart.coordination.ServiceNotFoundException;
import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.CoordinatedService;
import dev.coldstart.testkit.CoordinationScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.fault.ChildJvm;
import dev.coldstart.testkit.fault.ChildJvmConfig;
import dev.coldstart.testkit.fault.TcpFault;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * CS-09 service_discovery_timing_issues: see {@code CoordinationScenarios}.
 *
 * <p>Runs twice, on an in-memory registry and on {@code RedisServiceRegistry} over the real Redis:
 * the user's service is A (slowed by a database proxy that delays each connect), B is the
 * scenario's own lookup through a second registry object on the same store, counted, and an
 * observer polls the registry and A's {@code /health/live} every 5 ms to time A's registration,
 * deregistration and end of service. On Redis an instance registered by a child JVM that is then
 * killed with SIGKILL shows the TTL at work.
 */
public final class DiscoveryScenario {
    private static final Duration OBSERVER_PERIOD = Duration.ofMillis(5);
    private static final Duration TTL_POLL = Duration.ofMillis(10);

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
    public DiscoveryScenario(ScenarioContext ctx, CoordinatedServiceFactory factory, CoordinationScenarioParameters parameters) {
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
        ServiceRegistry memory = ctx.closeAfter(ServiceRegistry.inMemory());
        discovery("memory", memory, memory);
        String prefix = ctx.redis().prefix() + "registry";
        ServiceRegistry redisA = ctx.closeAfter(redis(prefix));
        ServiceRegistry redisB = ctx.closeAfter(redis(prefix));
        discovery("redis", redisA, redisB);
        deadInstanceExpires(redisB, prefix);
    }

    private RedisServiceRegistry redis(String prefix) {
        return RedisServiceRegistry.builder().redisUri(ctx.redis().uri().toString()).keyPrefix(prefix)
                .ttl(p.cs09RegistryTtl()).build();
    }

    private void discovery(String kind, ServiceRegistry registryA, ServiceRegistry registryB) throws Exception {
        TcpFaultProxy dbProxy = CoordinationSupport.databaseProxy(ctx);
        dbProxy.setFault(TcpFault.latency(p.cs09DatabaseConnectLatency(), Duration.ZERO));
        String serviceName = "cs09-" + kind + "-" + ScenarioSupport.tag();
        CoordinatedService a = CoordinationSupport.create(ctx, factory, CoordinationSupport.environment(ctx, p,
                serviceName + "-a", ctx.database().jdbcUrl(dbProxy.host(), dbProxy.port()), ctx.redis().uri(), registryA,
                serviceName).build());
        URI uri = a.startHttp();
        Observer observer = new Observer(registryB, serviceName, uri.resolve("/health/live"));
        CompletableFuture<Void> observing = async("cs09-observer", observer);
        CountingRegistry b = new CountingRegistry(registryB);
        StartupReport report;
        ServiceInstance found;
        Instant foundAt;
        try {
            CompletableFuture<StartupReport> starting = a.orchestrator().startAsync();
            // B needs A while A is still starting.
            CompletableFuture<ServiceInstance> lookup = async("cs09-b", () -> b.awaitInstance(serviceName, p.cs09LookupTimeout()));
            report = ScenarioSupport.await(starting, p.startDeadline(), ctx.id() + " A to READY");
            found = ScenarioSupport.await(lookup, p.cs09LookupTimeout().plusSeconds(5), ctx.id() + " B's lookup");
            foundAt = Instant.now();
            int status = new HttpCheck().get(URI.create("http://" + found.authority() + "/health/ready")).status();
            List<Instant> lookups = b.lookups();
            long maxGapMillis = 0;
            for (int i = 1; i < lookups.size(); i++) {
                maxGapMillis = Math.max(maxGapMillis, Duration.between(lookups.get(i - 1), lookups.get(i)).toMillis());
            }
            Duration waited = Duration.between(lookups.get(0), lookups.get(lookups.size() - 1));
            long initialMillis = ServiceRegistry.DEFAULT_LOOKUP_BACKOFF.initialBackoff().toMillis();
            String f = kind + ".";
            ctx.figure(f + "aTimeToReadyMillis", report.timeToReady().toMillis());
            ctx.figure(f + "bLookups", lookups.size());
            ctx.figure(f + "bWaitedMillis", waited.toMillis());
            ctx.figure(f + "bLongestBackoffMillis", maxGapMillis);
            ctx.figure(f + "registeredAfterReadyMillis", Duration.between(report.readyAt(), observer.firstSeen).toMillis());
            ctx.figure(f + "foundAfterReadyMillis", Duration.between(report.readyAt(), foundAt).toMillis());

            assertThat(lookups.get(0)).as("%s: B's first lookup came while A was still starting", kind)
                    .isBefore(report.readyAt());
            assertThat(observer.firstSeen).as("%s: A appeared in the registry", kind).isNotNull();
            assertThat(observer.firstSeenSentAt).as("%s: A registered only once READY (at %s)", kind, report.readyAt())
                    .isAfterOrEqualTo(report.readyAt());
            assertThat(foundAt).as("%s: B found A after A was READY", kind).isAfterOrEqualTo(report.readyAt());
            assertThat(found.id()).isEqualTo(serviceName + "-a");
            assertThat(found.port()).as("%s: the registered port is the one A bound", kind).isEqualTo(uri.getPort());
            assertThat(status).as("%s: a call to what B found", kind).isEqualTo(200);
            assertThat(lookups.size()).as("%s: B waited, looking up more than once", kind).isGreaterThan(1);
            assertThat((long) lookups.size()).as("%s: B's lookups over %d ms: with backoff, far fewer than polls every "
                    + "%d ms", kind, waited.toMillis(), initialMillis).isLessThanOrEqualTo(Math.max(2, waited.toMillis() / initialMillis / 2));
            assertThat(maxGapMillis).as("%s: B's longest wait between lookups grew past twice the first", kind)
                    .isGreaterThan(2 * initialMillis);

            missingServiceFailsAtTheDeadline(kind, b);

            // A stops: it must leave the registry first and keep serving through its drain.
            observer.stopRequestedAt = Instant.now();
            CompletableFuture<Void> stopping = async("cs09-stop-a", () -> {
                a.close();
                return null;
            });
            ScenarioSupport.await(stopping, p.startDeadline(), ctx.id() + " A's stop");
            await().atMost(Duration.ofSeconds(10)).until(() -> observer.firstLiveFailAfterStop != null);
        } finally {
            observer.stopped = true;
        }
        ScenarioSupport.await(observing, Duration.ofSeconds(10), ctx.id() + " observer");
        String f = kind + ".";
        assertThat(observer.goneAt).as("%s: A left the registry when it stopped", kind).isNotNull();
        Duration servedAfterGone = Duration.between(observer.goneAt, observer.lastLiveOk);
        // What the observer cannot see between two polls: A may have left up to one lookup interval
        // before goneAt, and stopped up to one request interval after lastLiveOk.
        Duration resolution = Duration.between(observer.lastListedSentAt, observer.goneAt)
                .plus(Duration.between(observer.lastLiveOk, observer.firstLiveFailAfterStop));
        ctx.figure(f + "servedAfterDeregisteredMillis", servedAfterGone.toMillis());
        ctx.figure(f + "observerResolutionMillis", resolution.toMillis());
        ctx.figure(f + "drainDelayMillis", p.cs09DrainDelay().toMillis());
        assertThat(observer.lastLiveOk).as("%s: A still served after it left the registry", kind).isAfter(observer.goneAt);
        assertThat(resolution).as("%s: the observer's resolution around A's stop", kind)
                .isLessThanOrEqualTo(p.cs09DrainDelay().dividedBy(2));
        assertThat(servedAfterGone.plus(resolution)).as("%s: A served on after deregistering for its drain delay "
                + "(observed %d ms, give or take the observer's %d ms)", kind, servedAfterGone.toMillis(), resolution.toMillis())
                .isGreaterThanOrEqualTo(p.cs09DrainDelay());
        assertThat(registryB.lookup(serviceName)).as("%s: A after its stop", kind).isEmpty();
    }

    private void missingServiceFailsAtTheDeadline(String kind, ServiceRegistry b) {
        String missing = "cs09-missing-" + ScenarioSupport.tag();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> b.awaitInstance(missing, p.cs09MissingServiceTimeout()))
                .isInstanceOfSatisfying(ServiceNotFoundException.class, e -> {
                    Duration took = Duration.ofNanos(System.nanoTime() - t0);
                    ctx.figure(kind + ".missingServiceError", e.getMessage());
                    ctx.figure(kind + ".missingServiceFailedAfterMillis", took.toMillis());
                    assertThat(took).as("%s: the wait for a service that never comes", kind)
                            .isGreaterThanOrEqualTo(p.cs09MissingServiceTimeout())
                            .isLessThan(p.cs09MissingServiceTimeout().plusSeconds(1));
                    assertThat(e.service()).isEqualTo(missing);
                    assertThat(e.timeout()).isEqualTo(p.cs09MissingServiceTimeout());
                    assertThat(e.lookups()).isGreaterThan(1);
                    assertThat(e.getMessage()).contains("'" + missing + "'");
                });
    }

    private void deadInstanceExpires(ServiceRegistry registry, String prefix) throws Exception {
        String service = "cs09-ttl-" + ScenarioSupport.tag();
        ChildJvm child = ctx.closeAfter(ChildJvm.start(ChildJvmConfig.builder(RegistryChild.class)
                .name("cs09-registry-child")
                .maxHeapBytes(64L * 1024 * 1024)
                .jvmArgs("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .args(ctx.redis().uri().toString(), prefix, service, "child-1", "8080",
                        Long.toString(p.cs09RegistryTtl().toMillis()))
                .build()));
        child.awaitLine(line -> line.contains(RegistryChild.REGISTERED), Duration.ofSeconds(30));
        assertThat(registry.lookup(service)).as("the child's instance once it said it registered").hasSize(1);
        long killSentAt = System.nanoTime();
        child.stop(Duration.ZERO);
        // stop() returns once the process is gone: from here on nothing can refresh the registration.
        long killedAt = System.nanoTime();
        boolean listedAfterKill = !registry.lookup(service).isEmpty();
        // Each lookup is timed from when it was sent: the last one that still listed the instance bounds
        // its expiry from below, the first that did not bounds it from above. A stalled poll only delays
        // the next lookup, so the bound below is what "gone within its TTL" is asserted on.
        long[] lastListedAt = {killedAt};
        long[] goneAt = new long[1];
        await().atMost(p.cs09RegistryTtl().plusSeconds(5)).pollInterval(TTL_POLL).until(() -> {
            long sent = System.nanoTime();
            boolean gone = registry.lookup(service).isEmpty();
            if (gone) {
                goneAt[0] = sent;
            } else {
                lastListedAt[0] = sent;
            }
            return gone;
        });
        Duration listedFor = Duration.ofNanos(lastListedAt[0] - killedAt);
        ctx.figure("redis.ttlMillis", p.cs09RegistryTtl().toMillis());
        ctx.figure("redis.killTookMillis", TimeUnit.NANOSECONDS.toMillis(killedAt - killSentAt));
        ctx.figure("redis.killedInstanceLastListedAfterMillis", listedFor.toMillis());
        ctx.figure("redis.killedInstanceGoneAfterMillis", TimeUnit.NANOSECONDS.toMillis(goneAt[0] - killedAt));
        assertThat(listedAfterKill).as("the killed child's instance right after SIGKILL (it never deregistered)").isTrue();
        assertThat(listedFor).as("time from SIGKILL until the last lookup that still listed the instance: within its TTL")
                .isLessThanOrEqualTo(p.cs09RegistryTtl());
    }

    private static <T> CompletableFuture<T> async(String name, Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "coldstart-" + name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Polls the registry and A's liveness every 5 ms and keeps the moments that matter. */
    private static final class Observer implements Callable<Void> {
        private final ServiceRegistry registry;
        private final String service;
        private final URI live;
        volatile boolean stopped;
        volatile Instant stopRequestedAt;
        volatile Instant firstSeen;
        volatile Instant firstSeenSentAt;
        volatile Instant goneAt;
        volatile Instant lastListedSentAt;
        volatile Instant lastLiveOk;
        volatile Instant firstLiveFailAfterStop;

        Observer(ServiceRegistry registry, String service, URI live) {
            this.registry = registry;
            this.service = service;
            this.live = live;
        }

        @Override
        public Void call() {
            HttpCheck http = new HttpCheck();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!stopped && System.nanoTime() < deadline) {
                long next = System.nanoTime() + OBSERVER_PERIOD.toNanos();
                Instant sent = Instant.now();
                boolean listed;
                try {
                    listed = !registry.lookup(service).isEmpty();
                } catch (RuntimeException e) {
                    listed = false;
                }
                Instant at = Instant.now();
                if (listed) {
                    lastListedSentAt = sent;
                }
                if (listed && firstSeen == null) {
                    firstSeenSentAt = sent;
                    firstSeen = at;
                }
                if (!listed && firstSeen != null && stopRequestedAt != null && goneAt == null) {
                    goneAt = sent;
                }
                HttpCheck.Answer a = http.get(live);
                if (a.ok()) {
                    lastLiveOk = a.sentAt();
                } else if (stopRequestedAt != null && firstLiveFailAfterStop == null) {
                    firstLiveFailAfterStop = a.sentAt();
                }
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
            return null;
        }
    }

    /** A registry view that records when each lookup was made, to show B's backoff. */
    private static final class CountingRegistry implements ServiceRegistry {
        private final ServiceRegistry delegate;
        private final List<Instant> lookups = new CopyOnWriteArrayList<>();

        CountingRegistry(ServiceRegistry delegate) {
            this.delegate = delegate;
        }

        List<Instant> lookups() {
            return List.copyOf(lookups);
        }

        @Override
        public void register(ServiceInstance instance) {
            delegate.register(instance);
        }

        @Override
        public void deregister(ServiceInstance instance) {
            delegate.deregister(instance);
        }

        @Override
        public List<ServiceInstance> lookup(String service) {
            lookups.add(Instant.now());
            return delegate.lookup(service);
        }

        @Override
        public void close() {
            // the scenario closes the registry it wraps
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
