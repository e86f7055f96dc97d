package dev.coldstart.core.metrics;

import dev.coldstart.core.Availability;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.ComponentStatus;
import dev.coldstart.core.StartupListener;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import dev.coldstart.core.TransitionRecord;
import dev.coldstart.core.event.ComponentTransitionEvent;
import dev.coldstart.core.event.RetryScheduledEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Publishes an orchestrator's start-up and availability as Micrometer meters. Names follow
 * Micrometer's conventions (lower-case, dot-separated, base units: seconds), so each registry
 * renders them its own way (Prometheus: {@code coldstart_component_start_seconds_count}).
 *
 * <table>
 *   <caption>Meters (every one also carries the tags given at construction)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>value</th></tr>
 *   <tr><td>{@value #READY}, {@value #LIVE}, {@value #STARTED}</td><td>gauge</td><td></td>
 *       <td>1 while the signal is up, else 0 (Kubernetes' readiness, liveness and startup probes)</td></tr>
 *   <tr><td>{@value #DEGRADED_COMPONENTS}</td><td>gauge</td><td></td>
 *       <td>number of optional components the service runs without</td></tr>
 *   <tr><td>{@value #TIME_TO_READY}</td><td>time gauge, seconds</td><td></td>
 *       <td>from {@code start()} until the service first became READY; NaN until then</td></tr>
 *   <tr><td>{@value #COMPONENT_HEALTHY}</td><td>gauge</td><td>component</td>
 *       <td>1 while the component is RUNNING, else 0</td></tr>
 *   <tr><td>{@value #COMPONENT_DEGRADED}</td><td>gauge</td><td>component</td>
 *       <td>1 while the optional component is DEGRADED, else 0</td></tr>
 *   <tr><td>{@value #COMPONENT_START}</td><td>timer</td><td>component</td>
 *       <td>from the component's first attempt until its probe first passed (its first STARTING and first
 *       RUNNING transitions, on the orchestrator's clock); one sample per component</td></tr>
 *   <tr><td>{@value #COMPONENT_ATTEMPTS}</td><td>counter</td><td>component, outcome ({@code success},
 *       {@code failure})</td><td>start attempts (start + probe) by how they ended, background retries of
 *       degraded components included</td></tr>
 * </table>
 *
 * <p>Register it before {@code start()} so it sees every event, or bind it to a running
 * orchestrator with {@link #bindTo(StartupOrchestrator, MeterRegistry, Iterable)}, which first
 * reads the current report and availability:
 *
 * <pre>{@code
 * MeterRegistry registry = ...;   // the application's
 * StartupOrchestrator orchestrator = StartupOrchestrator.builder()
 *         .component(pool)
 *         .listener(new MicrometerStartupListener(registry, Tags.of("service", "orders")))
 *         .build();
 * }</pre>
 *
 * <p>Gauges hold this listener weakly, as Micrometer's gauges do: they read NaN once the
 * orchestrator that holds the listener is gone. Meter names repeat per orchestrator; give each
 * orchestrator of one registry a distinguishing tag. Thread-safe: events arrive one at a time
 * from orchestrator threads, gauges are read from the registry's.
 */
public final class MicrometerStartupListener implements StartupListener {
    /** Gauge: 1 while the service is ready. */
    public static final String READY = "coldstart.ready";
    /** Gauge: 1 while the service is live. */
    public static final String LIVE = "coldstart.live";
    /** Gauge: 1 once every required component has been healthy. */
    public static final String STARTED = "coldstart.started";
    /** Gauge: optional components the service runs without. */
    public static final String DEGRADED_COMPONENTS = "coldstart.components.degraded";
    /** Time gauge: seconds from start to the first READY. */
    public static final String TIME_TO_READY = "coldstart.time.to.ready";
    /** Gauge per component: 1 while RUNNING. */
    public static final String COMPONENT_HEALTHY = "coldstart.component.healthy";
    /** Gauge per component: 1 while DEGRADED. */
    public static final String COMPONENT_DEGRADED = "coldstart.component.degraded";
    /** Timer per component: first attempt to first healthy probe. */
    public static final String COMPONENT_START = "coldstart.component.start";
    /** Counter per component and outcome: start attempts. */
    public static final String COMPONENT_ATTEMPTS = "coldstart.component.attempts";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<String, ComponentMeters> components = new ConcurrentHashMap<>();
    private volatile Availability availability;
    private volatile Instant startedAt;
    private volatile Instant lastEventAt;
    private volatile Duration timeToReady;

    /**
     * Creates the listener and registers the service-level gauges; per-component meters appear as
     * components are first seen.
     *
     * @param registry where the meters go; not null
     * @param tags added to every meter, for example {@code service=orders}; not null, may be empty
     * @throws NullPointerException if an argument is null
     */
    public MicrometerStartupListener(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Checks.requireArgument(registry, "registry");
        this.tags = Tags.of(Checks.requireArgument(tags, "tags"));
        Gauge.builder(READY, this, l -> signal(l.availability, Availability::isReady)).tags(this.tags)
                .description("1 while the service is ready: every required component's last probe passed")
                .register(registry);
        Gauge.builder(LIVE, this, l -> signal(l.availability, Availability::isLive)).tags(this.tags)
                .description("1 while the orchestrator runs (neither failed nor stopped)").register(registry);
        Gauge.builder(STARTED, this, l -> signal(l.availability, Availability::isStarted)).tags(this.tags)
                .description("1 once every required component has been healthy").register(registry);
        Gauge.builder(DEGRADED_COMPONENTS, this, l -> l.availability == null ? 0 : l.availability.degradedComponents().size())
                .tags(this.tags).description("optional components the service runs without").register(registry);
        TimeGauge.builder(TIME_TO_READY, this, TimeUnit.SECONDS,
                        l -> l.timeToReady == null ? Double.NaN : l.timeToReady.toNanos() / 1e9)
                .tags(this.tags).description("time from start() until the service first became READY").register(registry);
    }

    /**
     * Creates a listener, seeds it with the orchestrator's current report and availability (so it
     * can be bound after {@code start()}) and adds it to the orchestrator.
     *
     * @param orchestrator the orchestrator; not null
     * @param registry where the meters go; not null
     * @param tags added to every meter; not null, may be empty
     * @return the listener, already added
     * @throws NullPointerException if an argument is null
     */
    public static MicrometerStartupListener bindTo(StartupOrchestrator orchestrator, MeterRegistry registry,
            Iterable<Tag> tags) {
        Checks.requireArgument(orchestrator, "orchestrator");
        MicrometerStartupListener listener = new MicrometerStartupListener(registry, tags);
        StartupReport report = orchestrator.report();
        listener.startedAt = report.startedAt();
        listener.timeToReady = report.timeToReady();
        for (ComponentReport c : report.components()) {
            ComponentMeters m = listener.meters(c.name());
            m.firstAttemptAt = firstTransition(c, ComponentState.STARTING);
            Instant firstRunning = firstTransition(c, ComponentState.RUNNING);
            if (m.firstAttemptAt != null && firstRunning != null) {
                m.startRecorded = true;
                m.startTimer.record(Duration.between(m.firstAttemptAt, firstRunning));
            }
        }
        listener.onAvailabilityChanged(orchestrator.availability());
        orchestrator.addListener(listener);
        return listener;
    }

    @Override
    public void onTransition(ComponentTransitionEvent event) {
        lastEventAt = event.at();
        if (startedAt == null && event.from() == ComponentState.NEW) {
            startedAt = event.at();
        }
        ComponentMeters m = meters(event.component());
        if (event.to() == ComponentState.STARTING && m.firstAttemptAt == null) {
            m.firstAttemptAt = event.at();
        }
        if (event.to() == ComponentState.RUNNING
                && (event.from() == ComponentState.STARTING || event.from() == ComponentState.DEGRADED)) {
            m.successes.increment();
            if (!m.startRecorded && m.firstAttemptAt != null) {
                m.startRecorded = true;
                m.startTimer.record(Duration.between(m.firstAttemptAt, event.at()));
            }
        } else if (event.from() == ComponentState.STARTING
                && (event.to() == ComponentState.FAILED || event.to() == ComponentState.DEGRADED)) {
            // The last failed attempt: no retry event follows it (a retry of a degraded component comes later).
            m.failures.increment();
        }
    }

    @Override
    public void onRetryScheduled(RetryScheduledEvent event) {
        meters(event.component()).failures.increment();
    }

    @Override
    public void onAvailabilityChanged(Availability snapshot) {
        for (String component : snapshot.components().keySet()) {
            meters(component);
        }
        if (snapshot.isReady() && timeToReady == null && startedAt != null) {
            Instant at = lastEventAt;
            timeToReady = at == null ? null : Duration.between(startedAt, at);
        }
        availability = snapshot;
    }

    private static Instant firstTransition(ComponentReport c, ComponentState to) {
        for (TransitionRecord t : c.transitions()) {
            if (t.to() == to) {
                return t.at();
            }
        }
        return null;
    }

    private ComponentMeters meters(String component) {
        return components.computeIfAbsent(component, ComponentMeters::new);
    }

    private static double signal(Availability a, java.util.function.Predicate<Availability> p) {
        return a != null && p.test(a) ? 1 : 0;
    }

    private double componentSignal(String component, java.util.function.Predicate<ComponentStatus> p) {
        Availability a = availability;
        ComponentStatus s = a == null ? null : a.component(component);
        return s != null && p.test(s) ? 1 : 0;
    }

    /** The meters of one component; registered once, on first sight. */
    private final class ComponentMeters {
        final Counter successes;
        final Counter failures;
        final Timer startTimer;
        volatile Instant firstAttemptAt;
        volatile boolean startRecorded;

        ComponentMeters(String component) {
            Tags componentTags = tags.and("component", component);
            successes = Counter.builder(COMPONENT_ATTEMPTS).tags(componentTags).tag("outcome", "success")
                    .description("start attempts (start + probe) by outcome").register(registry);
            failures = Counter.builder(COMPONENT_ATTEMPTS).tags(componentTags).tag("outcome", "failure")
                    .description("start attempts (start + probe) by outcome").register(registry);
            startTimer = Timer.builder(COMPONENT_START).tags(componentTags)
                    .description("time from the component's first attempt until its probe first passed").register(registry);
            MicrometerStartupListener self = MicrometerStartupListener.this;
            Gauge.builder(COMPONENT_HEALTHY, self, l -> l.componentSignal(component, ComponentStatus::healthy))
                    .tags(componentTags).description("1 while the component is RUNNING").register(registry);
            Gauge.builder(COMPONENT_DEGRADED, self, l -> l.componentSignal(component, ComponentStatus::degraded))
                    .tags(componentTags).description("1 while the optional component is DEGRADED").register(registry);
        }
    }
}
