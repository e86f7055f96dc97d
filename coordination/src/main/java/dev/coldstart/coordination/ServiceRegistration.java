package dev.coldstart.coordination;

import dev.coldstart.coordination.internal.Backoff;
import dev.coldstart.core.Availability;
import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartupListener;
import dev.coldstart.core.StartupOrchestrator;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a service instance in a {@link ServiceRegistry} exactly while the service is READY, and
 * drains before the service stops serving.
 *
 * <p>It is both a {@link Component} and a {@link StartupListener} of the same orchestrator (install
 * both with {@link #installInto(StartupOrchestrator.Builder)}):
 * <ul>
 *   <li>It registers when the orchestrator's availability turns ready, never before: callers that
 *       find the instance can use it. When readiness goes down (a required probe fails, or the
 *       orchestrator starts stopping) it deregisters; when readiness returns, it registers again.
 *       Registry calls run on an owned, named thread, never on the orchestrator's; a failed
 *       registration is retried with backoff while the service stays ready.</li>
 *   <li>As a component it is stopped first, provided it {@link Builder#dependsOn(String...) depends
 *       on} every component the service needs to answer requests. Its stop makes sure the instance
 *       is deregistered, then waits the {@link Builder#drainDelay(Duration) drain delay} so that
 *       callers' caches and in-flight lookups see it gone, while the components it depends on still
 *       serve. Only then do the orchestrator stop those, and the application its HTTP server.</li>
 * </ul>
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * ProbeEndpoint http = ProbeEndpoint.builder().port(8080).build().start();
 * ServiceRegistration registration = ServiceRegistration
 *         .builder(registry, ServiceInstance.of("orders", podName, podIp, http.port()))
 *         .dependsOn("db", "migrations")
 *         .drainDelay(Duration.ofSeconds(5))
 *         .build();
 * StartupOrchestrator orchestrator = registration.installInto(StartupOrchestrator.builder()
 *         .component(db).component(migrations)).build();
 * http.availability(orchestrator::availability);
 * orchestrator.start();
 * }</pre>
 */
public final class ServiceRegistration implements Component, StartupListener {
    private static final Logger log = LoggerFactory.getLogger(ServiceRegistration.class);

    /** Default component name: {@code "registration"}. */
    public static final String DEFAULT_NAME = "registration";
    /** Default drain delay between deregistering and letting the service stop: 5 s. */
    public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(5);
    /** Default backoff of failed registrations: 200 ms doubling to 10 s, full jitter. */
    public static final RetryPolicy DEFAULT_RETRY_POLICY = RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(200))
            .maxBackoff(Duration.ofSeconds(10))
            .build();

    private final String name;
    private final ServiceRegistry registry;
    private final ServiceInstance instance;
    private final Set<String> dependsOn;
    private final Duration drainDelay;
    private final RetryPolicy retryPolicy;

    private final Object lock = new Object();
    private ScheduledThreadPoolExecutor worker;
    private volatile boolean wanted;
    private volatile boolean stopping;
    // Only the worker thread writes these.
    private volatile boolean registered;
    private int failedAttempts;

    private ServiceRegistration(Builder b) {
        this.name = b.name;
        this.registry = b.registry;
        this.instance = b.instance;
        this.dependsOn = Set.copyOf(b.dependsOn);
        this.drainDelay = b.drainDelay;
        this.retryPolicy = b.retryPolicy;
    }

    /**
     * Starts a builder.
     *
     * @param registry where to register; not null
     * @param instance what to register: with the port actually bound; not null
     * @return a new builder; not thread-safe
     */
    public static Builder builder(ServiceRegistry registry, ServiceInstance instance) {
        return new Builder(registry, instance);
    }

    /**
     * Adds this registration to an orchestrator builder as a component and as a listener.
     *
     * @param orchestrator the builder of the orchestrator whose readiness decides; not null
     * @return the same builder
     */
    public StartupOrchestrator.Builder installInto(StartupOrchestrator.Builder orchestrator) {
        Checks.notNull(orchestrator, "orchestrator");
        return orchestrator.component(this).listener(this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> dependsOn() {
        return dependsOn;
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (worker == null) {
                worker = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "coldstart-" + name);
                    t.setDaemon(true);
                    return t;
                });
                worker.setRemoveOnCancelPolicy(true);
            }
            stopping = false;
            worker.execute(this::reconcile);
        }
    }

    /**
     * Always up: readiness must not depend on the registry, since registration follows readiness.
     *
     * @return {@link Health#up()}
     */
    @Override
    public Health probe() {
        return Health.up();
    }

    /**
     * Makes sure the instance is deregistered, then waits the drain delay, within the drain
     * timeout.
     *
     * @param drainTimeout the orchestrator's remaining drain budget
     */
    @Override
    public void stop(Duration drainTimeout) {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        ScheduledThreadPoolExecutor w;
        synchronized (lock) {
            stopping = true;
            w = worker;
            worker = null;
        }
        if (w == null) {
            return;
        }
        try {
            Future<?> done = w.submit(this::reconcile);
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            long drain = Math.min(drainDelay.toNanos(), Math.max(0, deadline - System.nanoTime()));
            log.info("{} - {} is out of {}; draining {} ms before the service stops", name, describe(), registry,
                    TimeUnit.NANOSECONDS.toMillis(drain));
            Backoff.park(drain, "draining after deregistration");
        } catch (TimeoutException e) {
            log.warn("{} - deregistering {} did not finish within the drain timeout; it expires with its TTL", name,
                    describe());
        } catch (ExecutionException e) {
            log.warn("{} - deregistering {} failed: {}", name, describe(), e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            w.shutdownNow();
        }
    }

    @Override
    public void onAvailabilityChanged(Availability availability) {
        wanted = availability.isReady();
        synchronized (lock) {
            if (worker != null) {
                worker.execute(this::reconcile);
            }
        }
    }

    /** Runs on the worker thread only: brings the registration in line with readiness. */
    private void reconcile() {
        boolean want = wanted && !stopping;
        if (want && !registered) {
            try {
                registry.register(instance);
                registered = true;
                if (failedAttempts > 0) {
                    log.info("{} - registered {} after {} failed attempt(s)", name, describe(), failedAttempts);
                }
                failedAttempts = 0;
            } catch (RuntimeException e) {
                failedAttempts++;
                long delay = Backoff.delayNanos(retryPolicy, failedAttempts);
                log.warn("{} - registering {} in {} failed (attempt {}), retrying in {} ms: {}", name, describe(),
                        registry, failedAttempts, TimeUnit.NANOSECONDS.toMillis(delay), e.getMessage());
                synchronized (lock) {
                    if (worker != null) {
                        worker.schedule(this::reconcile, delay, TimeUnit.NANOSECONDS);
                    }
                }
            }
        } else if (!want && registered) {
            try {
                registry.deregister(instance);
            } catch (RuntimeException e) {
                log.warn("{} - deregistering {} from {} failed; callers may still find it until its TTL passes: {}",
                        name, describe(), registry, e.getMessage());
            }
            registered = false;
        }
    }

    private String describe() {
        return instance.service() + "/" + instance.id();
    }

    /**
     * Whether the instance is registered now.
     *
     * @return true between a successful registration and the deregistration
     */
    public boolean isRegistered() {
        return registered;
    }

    /**
     * The instance this registration keeps in the registry.
     *
     * @return the instance
     */
    public ServiceInstance instance() {
        return instance;
    }

    /**
     * The delay between deregistering and letting the service stop.
     *
     * @return zero or more
     */
    public Duration drainDelay() {
        return drainDelay;
    }

    @Override
    public String toString() {
        return "ServiceRegistration{" + describe() + " in " + registry + ", dependsOn=" + dependsOn + '}';
    }

    /** Builder for {@link ServiceRegistration}; not thread-safe. */
    public static final class Builder {
        private final ServiceRegistry registry;
        private final ServiceInstance instance;
        private String name = DEFAULT_NAME;
        private final Set<String> dependsOn = new LinkedHashSet<>();
        private Duration drainDelay = DEFAULT_DRAIN_DELAY;
        private RetryPolicy retryPolicy = DEFAULT_RETRY_POLICY;

        private Builder(ServiceRegistry registry, ServiceInstance instance) {
            this.registry = Checks.notNull(registry, "registry");
            this.instance = Checks.notNull(instance, "instance");
        }

        /**
         * Sets the component's name.
         *
         * @param name not blank; default {@code "registration"}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Adds the components the service needs to answer requests. This component then stops
         * before all of them, so they still serve while it drains.
         *
         * @param names component names; not blank
         * @return this builder
         */
        public Builder dependsOn(String... names) {
            for (String n : List.of(names)) {
                dependsOn.add(Checks.notBlank(n, "dependsOn"));
            }
            return this;
        }

        /**
         * Sets how long to wait after deregistering before the service may stop: at least as long
         * as callers cache lookups, plus their longest request.
         *
         * @param drainDelay zero or more; default 5 s
         * @return this builder
         */
        public Builder drainDelay(Duration drainDelay) {
            this.drainDelay = Checks.notNegative(drainDelay, "drainDelay");
            return this;
        }

        /**
         * Sets the backoff between failed registrations; only its backoff and jitter are used,
         * retries go on while the service is ready.
         *
         * @param retryPolicy not null; default 200 ms doubling to 10 s with full jitter
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Checks.notNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * Builds the registration.
         *
         * @return a new registration; install it with
         *     {@link ServiceRegistration#installInto(StartupOrchestrator.Builder)}
         */
        public ServiceRegistration build() {
            return new ServiceRegistration(this);
        }
    }
}
