package dev.coldstart.core;

import dev.coldstart.core.internal.DefaultStartupOrchestrator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;

/**
 * Starts a graph of {@link Component}s in dependency order and keeps the service's availability
 * truthful.
 *
 * <p>{@link Builder#build()} validates the graph before anything starts: cycles (with their path),
 * missing and duplicate names, required components depending on optional ones. {@link #start()}
 * then starts each component as soon as everything it needs is healthy, independent ones in
 * parallel on a bounded executor. Each attempt is {@code start()} then {@code probe()}; a failed
 * attempt is retried under the component's {@link StartPolicy} (exponential backoff with full
 * jitter, a cap and a circuit breaker) until its start deadline. A required component that fails
 * ends {@code start()} with a {@link StartupFailedException}; an optional one leaves the service
 * READY in degraded mode and is retried in the background. Running components are probed every
 * {@link Builder#probeInterval(Duration)} so readiness follows reality.
 *
 * <p>{@link #stop()} stops components in reverse dependency order within a drain deadline; it is
 * idempotent, and {@link #registerShutdownHook()} runs it on SIGTERM. Every transition is
 * recorded in the {@link StartupReport} and sent to {@link StartupListener}s.
 *
 * <p>Implementations are thread-safe. Reading {@link #isReady()} takes no lock and allocates
 * nothing, so it can sit on a request path.
 *
 * <pre>{@code
 * StartupOrchestrator orchestrator = StartupOrchestrator.builder()
 *         .component(pool)
 *         .component(migrations)                    // dependsOn "pool"
 *         .component(cache, StartPolicy.ofDefaults().withStartTimeout(Duration.ofSeconds(5)))
 *         .build()
 *         .registerShutdownHook();
 * StartupReport report = orchestrator.start();      // blocks until READY, or throws
 * System.out.println(report.toTable());
 * }</pre>
 */
public interface StartupOrchestrator extends AutoCloseable {

    /**
     * Starts a builder.
     *
     * @return a new builder; not thread-safe
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Starts every component and blocks until the service is READY.
     *
     * @return the report at the moment the service became READY
     * @throws StartupFailedException if a required component failed; it carries the report
     * @throws ColdstartException if interrupted while waiting (the interrupt flag is restored) or if
     *     the orchestrator was stopped before READY
     * @throws IllegalStateException if start was already called
     */
    StartupReport start();

    /**
     * Starts every component without blocking.
     *
     * @return a future completed with the report at READY, or exceptionally with
     *     {@link StartupFailedException}
     * @throws IllegalStateException if start was already called
     */
    CompletableFuture<StartupReport> startAsync();

    /**
     * Stops every started component in reverse dependency order within the drain timeout, and
     * blocks until done. Readiness goes down first. Idempotent: later calls wait for the same stop.
     *
     * @return the final report
     */
    StartupReport stop();

    /**
     * Same as {@link #stop()} without blocking.
     *
     * @return a future completed with the final report; never completed exceptionally
     */
    CompletableFuture<StartupReport> stopAsync();

    /**
     * Same as {@link #stop()}.
     */
    @Override
    default void close() {
        stop();
    }

    /**
     * Registers a JVM shutdown hook that calls {@link #stop()}, so SIGTERM drains and stops.
     *
     * @return this orchestrator
     */
    StartupOrchestrator registerShutdownHook();

    /**
     * The readiness signal, read from a volatile field: no lock, no allocation.
     *
     * @return true when started, not stopping and every required component's last probe passed
     */
    boolean isReady();

    /**
     * A snapshot of the three signals and every component's status.
     *
     * @return the current snapshot; cached until the next change
     */
    Availability availability();

    /**
     * A snapshot of what happened so far.
     *
     * @return a new immutable report
     */
    StartupReport report();

    /**
     * Adds a listener; it sees the events that happen from now on.
     *
     * @param listener not null
     */
    void addListener(StartupListener listener);

    /**
     * Builder for a {@link StartupOrchestrator}. Not thread-safe; the orchestrator it builds is.
     */
    final class Builder {
        /** Default number of components started at once: 8. */
        public static final int DEFAULT_MAX_PARALLEL_STARTS = 8;
        /** Default interval of the periodic probes of running components: 5 s. */
        public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(5);
        /** Default deadline for {@link StartupOrchestrator#stop()}: 30 s. */
        public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

        private final Map<String, Component> components = new LinkedHashMap<>();
        private final Map<String, StartPolicy> policies = new LinkedHashMap<>();
        private final List<String> duplicates = new ArrayList<>();
        private final List<StartupListener> listeners = new ArrayList<>();
        private StartPolicy defaultStartPolicy = StartPolicy.ofDefaults();
        private int maxParallelStarts = DEFAULT_MAX_PARALLEL_STARTS;
        private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private String serviceName = "service";
        private DoubleSupplier startDeadlineStretch = () -> 1.0;

        private Builder() {
        }

        /**
         * Adds a component with the default start policy.
         *
         * @param component not null; its name must be unique
         * @return this builder
         */
        public Builder component(Component component) {
            return component(component, null);
        }

        /**
         * Adds a component with its own start policy.
         *
         * @param component not null; its name must be unique
         * @param policy its deadline and retry policy; null for the default
         * @return this builder
         */
        public Builder component(Component component, StartPolicy policy) {
            Checks.notNull(component, "component");
            String name = Checks.notBlank(component.name(), "component.name()");
            if (components.containsKey(name)) {
                duplicates.add(name);
            } else {
                components.put(name, component);
                if (policy != null) {
                    policies.put(name, policy);
                }
            }
            return this;
        }

        /**
         * Adds several components with the default start policy.
         *
         * @param all not null
         * @return this builder
         */
        public Builder components(Collection<? extends Component> all) {
            Checks.notNull(all, "components");
            all.forEach(this::component);
            return this;
        }

        /**
         * Sets the start policy of components added without one.
         *
         * @param policy not null; default {@link StartPolicy#ofDefaults()}
         * @return this builder
         */
        public Builder defaultStartPolicy(StartPolicy policy) {
            this.defaultStartPolicy = Checks.notNull(policy, "defaultStartPolicy");
            return this;
        }

        /**
         * Sets how many start attempts, probes or stops run at once.
         *
         * @param maxParallelStarts at least 1; default 8
         * @return this builder
         */
        public Builder maxParallelStarts(int maxParallelStarts) {
            this.maxParallelStarts = Checks.positive(maxParallelStarts, "maxParallelStarts");
            return this;
        }

        /**
         * Sets the interval of the periodic probes of running components and of the background
         * probing that decides readiness after start.
         *
         * @param probeInterval positive; default 5 s
         * @return this builder
         */
        public Builder probeInterval(Duration probeInterval) {
            this.probeInterval = Checks.positive(probeInterval, "probeInterval");
            return this;
        }

        /**
         * Sets the deadline of {@link StartupOrchestrator#stop()}.
         *
         * @param drainTimeout zero or more; default 30 s
         * @return this builder
         */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = Checks.notNegative(drainTimeout, "drainTimeout");
            return this;
        }

        /**
         * Sets the clock for report timestamps (not for delays, which use the monotonic clock).
         *
         * @param clock not null; default UTC system clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /**
         * Sets the service's name, used in logs and thread names.
         *
         * @param serviceName not blank; default {@code "service"}
         * @return this builder
         */
        public Builder serviceName(String serviceName) {
            this.serviceName = Checks.notBlank(serviceName, "serviceName");
            return this;
        }

        /**
         * Sets a factor that stretches start deadlines, for starts that the machine slows down (a
         * throttled CPU quota, see the resources module's {@code CpuThrottleMonitor}). When a
         * component's start deadline passes, the factor is read once; above 1.0 the deadline moves to
         * {@code startTimeout x factor} from the first attempt (capped at 10) and the component goes
         * on, with a WARN log; at 1.0 or below (or NaN) the deadline applies as before. Background
         * retries of degraded components are not affected.
         *
         * @param factor read from the orchestrator's scheduler thread while it holds its lock, so it
         *     must be cheap and never block; not null; default always 1.0 (no stretch)
         * @return this builder
         */
        public Builder startDeadlineStretch(DoubleSupplier factor) {
            this.startDeadlineStretch = Checks.notNull(factor, "startDeadlineStretch");
            return this;
        }

        /**
         * Adds a listener.
         *
         * @param listener not null
         * @return this builder
         */
        public Builder listener(StartupListener listener) {
            listeners.add(Checks.notNull(listener, "listener"));
            return this;
        }

        /**
         * Validates the graph and builds the orchestrator. Nothing starts until
         * {@link StartupOrchestrator#start()}.
         *
         * @return a new orchestrator
         * @throws GraphValidationException listing every cycle (as a path), missing dependency (with
         *     who needs it), duplicate name and required-on-optional dependency
         */
        public StartupOrchestrator build() {
            Map<String, StartPolicy> resolved = new LinkedHashMap<>();
            for (String name : components.keySet()) {
                resolved.put(name, policies.getOrDefault(name, defaultStartPolicy));
            }
            return new DefaultStartupOrchestrator(serviceName, List.copyOf(components.values()), resolved,
                    List.copyOf(duplicates), maxParallelStarts, probeInterval, drainTimeout, clock,
                    List.copyOf(listeners), startDeadlineStretch);
        }
    }
}
