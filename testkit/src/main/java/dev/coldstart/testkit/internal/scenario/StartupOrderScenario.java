package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.Component;
import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.GraphValidationException;
import dev.coldstart.core.Health;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import dev.coldstart.core.TransitionRecord;
import dev.coldstart.testkit.CoordinatedService;
import dev.coldstart.testkit.CoordinationScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * CS-06 services_starting_before_dependencies: see {@code CoordinationScenarios}.
 *
 * <p>The figures (A takes 2 s, the critical path, parallelism) need components whose durations are
 * known, and the graph errors need graphs that are broken on purpose; neither can be asked of the
 * user's service. So the scenario runs the orchestrator the user's service is built on with a
 * graph of its own test components (A; B and C need A; D needs B and C; E needs nothing), and then
 * checks the ordering invariant on the user's own graph, from the report of the user's own start.
 */
public final class StartupOrderScenario {
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
    public StartupOrderScenario(ScenarioContext ctx, CoordinatedServiceFactory factory,
            CoordinationScenarioParameters parameters) {
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
        orderedParallelStartWithinTheCriticalPath();
        brokenGraphsAreRejectedBeforeAnythingStarts();
        theServiceStartsNothingBeforeItsDependencies();
    }

    private void orderedParallelStartWithinTheCriticalPath() throws Exception {
        Map<String, TimedComponent> byName = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        Duration slow = p.cs06SlowDependencyDelay();
        Duration each = p.cs06ComponentDuration();
        TimedComponent a = new TimedComponent("cs06-a", slow, Set.of(), byName, violations);
        TimedComponent b = new TimedComponent("cs06-b", each, Set.of("cs06-a"), byName, violations);
        TimedComponent c = new TimedComponent("cs06-c", each, Set.of("cs06-a"), byName, violations);
        TimedComponent d = new TimedComponent("cs06-d", each, Set.of("cs06-b", "cs06-c"), byName, violations);
        TimedComponent e = new TimedComponent("cs06-e", each, Set.of(), byName, violations);
        // One attempt each, no retries: the durations are the components' own.
        StartPolicy once = StartPolicy.of(p.startDeadline(), RetryPolicy.builder().maxAttempts(1).build());
        StartupOrchestrator orchestrator = StartupOrchestrator.builder()
                .serviceName("cs06-graph")
                .defaultStartPolicy(once)
                // declared in reverse, so declaration order cannot be what orders the start
                .component(d).component(c).component(b).component(a).component(e)
                .build();
        StartupReport report;
        try {
            report = ScenarioSupport.await(orchestrator.startAsync(), p.startDeadline(), ctx.id() + " test graph");
        } finally {
            orchestrator.stop();
        }
        assertThat(report.state()).isEqualTo(ServiceState.READY);
        List<String> orderViolations = orderViolations(report);
        Duration critical = criticalPath(report);
        Duration nominal = slow.plus(each).plus(each);
        Duration total = report.timeToReady();
        Duration bound = Duration.ofNanos((long) (critical.toNanos() * (1 + p.cs06CriticalPathTolerance())));
        ComponentReport ra = report.component("cs06-a");
        ComponentReport rb = report.component("cs06-b");
        ComponentReport rc = report.component("cs06-c");
        ComponentReport re = report.component("cs06-e");
        ctx.figure("aStartMillis", ra.startDuration().toMillis());
        ctx.figure("criticalPath", String.join(" -> ", report.criticalPath()));
        ctx.figure("criticalPathMillis", critical.toMillis());
        ctx.figure("nominalCriticalPathMillis", nominal.toMillis());
        ctx.figure("totalStartupMillis", total.toMillis());
        ctx.figure("overheadPercent", 100.0 * (total.toNanos() - critical.toNanos()) / critical.toNanos());
        ctx.figure("bcStartSkewMillis", Math.abs(Duration.between(rb.firstAttemptAt(), rc.firstAttemptAt()).toMillis()));
        ctx.figure("orderViolations", orderViolations.size() + violations.size());

        assertThat(orderViolations).as("components whose first attempt (orchestrator's timestamps) came before a "
                + "dependency was healthy").isEmpty();
        assertThat(violations).as("components whose start() ran while a dependency was not healthy").isEmpty();
        assertThat(ra.startDuration()).as("A's time to healthy").isGreaterThanOrEqualTo(slow);
        assertThat(overlap(ra, re)).as("A and E (independent) run at the same time: A %s..%s, E %s..%s",
                ra.firstAttemptAt(), ra.readyAt(), re.firstAttemptAt(), re.readyAt()).isTrue();
        assertThat(overlap(rb, rc)).as("B and C (both only need A) run at the same time: B %s..%s, C %s..%s",
                rb.firstAttemptAt(), rb.readyAt(), rc.firstAttemptAt(), rc.readyAt()).isTrue();
        assertThat(critical).as("critical path A -> B|C -> D from the measured durations").isGreaterThanOrEqualTo(nominal);
        assertThat(total).as("total startup time vs. critical path %s ms + %s", critical.toMillis(),
                p.cs06CriticalPathTolerance()).isLessThanOrEqualTo(bound);
    }

    private void brokenGraphsAreRejectedBeforeAnythingStarts() {
        AtomicInteger starts = new AtomicInteger();
        Component x = counting("cs06-x", starts, "cs06-y");
        Component y = counting("cs06-y", starts, "cs06-z");
        Component z = counting("cs06-z", starts, "cs06-x");
        Component ok = counting("cs06-ok", starts);
        List<String> rotations = List.of("cs06-x -> cs06-y -> cs06-z -> cs06-x", "cs06-y -> cs06-z -> cs06-x -> cs06-y",
                "cs06-z -> cs06-x -> cs06-y -> cs06-z");
        assertThatThrownBy(() -> StartupOrchestrator.builder().component(ok).component(x).component(y).component(z)
                .build().start())
                .as("a graph with the cycle x -> y -> z -> x")
                .isInstanceOfSatisfying(GraphValidationException.class, ex -> {
                    ctx.figure("cycleError", ex.getMessage());
                    assertThat(rotations).anySatisfy(path -> assertThat(ex.getMessage()).contains(path));
                });
        Component needsGhost = counting("cs06-m", starts, "cs06-ghost");
        assertThatThrownBy(() -> StartupOrchestrator.builder().component(ok).component(needsGhost).build().start())
                .as("a graph with a missing dependency")
                .isInstanceOfSatisfying(GraphValidationException.class, ex -> {
                    ctx.figure("missingError", ex.getMessage());
                    assertThat(ex.getMessage()).contains("'cs06-ghost'").contains("'cs06-m'");
                });
        ctx.figure("startsOfRejectedGraphs", starts.get());
        assertThat(starts.get()).as("start() calls in the rejected graphs").isZero();
    }

    private void theServiceStartsNothingBeforeItsDependencies() throws Exception {
        ServiceRegistry registry = ctx.closeAfter(ServiceRegistry.inMemory());
        String name = "cs06-" + ScenarioSupport.tag();
        CoordinatedService service = CoordinationSupport.create(ctx, factory, CoordinationSupport.environment(ctx, p,
                name, ctx.database().jdbcUrl(), ctx.redis().uri(), registry, name).build());
        service.startHttp();
        StartupReport report = CoordinationSupport.startAndAwait(ctx, service, p.startDeadline());
        int edges = 0;
        for (ComponentReport c : report.components()) {
            edges += c.dependsOn().size();
        }
        List<String> violations = orderViolations(report);
        ctx.figure("serviceComponents", report.components().size());
        ctx.figure("serviceDependencyEdges", edges);
        ctx.figure("serviceTimeToReadyMillis", report.timeToReady().toMillis());
        assertThat(violations).as("components of your service that started before a dependency was healthy, "
                + "from its own report:\n%s", report.toTable()).isEmpty();
    }

    /** From the orchestrator's timestamps: every first attempt and STARTING transition after each dependency's first RUNNING. */
    private static List<String> orderViolations(StartupReport report) {
        List<String> out = new ArrayList<>();
        for (ComponentReport c : report.components()) {
            Instant first = c.firstAttemptAt();
            Instant starting = firstTransition(c, ComponentState.STARTING);
            for (String dep : c.dependsOn()) {
                ComponentReport d = report.component(dep);
                Instant depReady = d == null ? null : d.readyAt();
                Instant depRunning = d == null ? null : firstTransition(d, ComponentState.RUNNING);
                if (first != null && (depReady == null || first.isBefore(depReady))) {
                    out.add(c.name() + " attempted at " + first + " before " + dep + " was healthy at " + depReady);
                }
                if (starting != null && (depRunning == null || starting.isBefore(depRunning))) {
                    out.add(c.name() + " STARTING at " + starting + " before " + dep + " RUNNING at " + depRunning);
                }
            }
        }
        return out;
    }

    private static Instant firstTransition(ComponentReport c, ComponentState to) {
        for (TransitionRecord t : c.transitions()) {
            if (t.to() == to) {
                return t.at();
            }
        }
        return null;
    }

    /** The longest chain of measured component durations (first attempt to healthy) through the graph. */
    private static Duration criticalPath(StartupReport report) {
        Map<String, Duration> memo = new HashMap<>();
        Duration longest = Duration.ZERO;
        for (ComponentReport c : report.components()) {
            Duration d = longestTo(report, c, memo);
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        return longest;
    }

    private static Duration longestTo(StartupReport report, ComponentReport c, Map<String, Duration> memo) {
        Duration known = memo.get(c.name());
        if (known != null) {
            return known;
        }
        Duration before = Duration.ZERO;
        for (String dep : c.dependsOn()) {
            Duration d = longestTo(report, report.component(dep), memo);
            before = d.compareTo(before) > 0 ? d : before;
        }
        Duration own = c.startDuration() == null ? Duration.ZERO : c.startDuration();
        Duration total = before.plus(own);
        memo.put(c.name(), total);
        return total;
    }

    private static boolean overlap(ComponentReport x, ComponentReport y) {
        return x.firstAttemptAt().isBefore(y.readyAt()) && y.firstAttemptAt().isBefore(x.readyAt());
    }

    private static Component counting(String name, AtomicInteger starts, String... dependsOn) {
        return Component.builder(name).dependsOn(dependsOn).onStart(starts::incrementAndGet).build();
    }

    /**
     * A test component whose start takes a fixed time (its work) and which checks, the moment its
     * start runs, that every dependency has already reported healthy.
     */
    private static final class TimedComponent implements Component {
        private final String name;
        private final Duration work;
        private final Set<String> dependsOn;
        private final Map<String, TimedComponent> all;
        private final List<String> violations;
        private volatile boolean healthy;
        private volatile boolean started;

        TimedComponent(String name, Duration work, Set<String> dependsOn, Map<String, TimedComponent> all,
                List<String> violations) {
            this.name = name;
            this.work = work;
            this.dependsOn = new LinkedHashSet<>(dependsOn);
            this.all = all;
            this.violations = violations;
            all.put(name, this);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<String> dependsOn() {
            return Set.copyOf(dependsOn);
        }

        @Override
        public void start() throws InterruptedException {
            for (String dep : dependsOn) {
                if (!all.get(dep).healthy) {
                    violations.add(name + " started while " + dep + " was not healthy");
                }
            }
            // The component's own work: it is busy for its duration, then serves.
            long until = System.nanoTime() + work.toNanos();
            for (long left = work.toNanos(); left > 0; left = until - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException(name + " interrupted during its start");
                }
            }
            started = true;
        }

        @Override
        public Health probe() {
            if (!started) {
                return Health.down(name + " has not finished starting");
            }
            healthy = true;
            return Health.up();
        }
    }
}
