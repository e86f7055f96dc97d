package dev.coldstart.core.internal;

import dev.coldstart.core.AttemptRecord;
import dev.coldstart.core.Availability;
import dev.coldstart.core.ColdstartException;
import dev.coldstart.core.Component;
import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.ComponentStatus;
import dev.coldstart.core.Health;
import dev.coldstart.core.NonRetryableException;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupListener;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import dev.coldstart.core.TransitionRecord;
import dev.coldstart.core.event.ComponentTransitionEvent;
import dev.coldstart.core.event.RetryScheduledEvent;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator. All mutable state is guarded by {@link #lock}; component code (start, probe,
 * stop) and listeners always run outside it. Events are queued under the lock and dispatched after
 * it is released, in order, by whichever thread drains the queue.
 */
public final class DefaultStartupOrchestrator implements StartupOrchestrator {
    private static final Logger log = LoggerFactory.getLogger(DefaultStartupOrchestrator.class);
    private static final long BREAKER_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** The largest factor a deadline stretch may apply: 10. */
    private static final double MAX_DEADLINE_STRETCH = 10.0;

    private final String serviceName;
    private final List<Node> nodes;
    private final Duration probeInterval;
    private final Duration drainTimeout;
    private final Clock clock;
    private final List<StartupListener> listeners;
    private final DoubleSupplier deadlineStretch;

    private final ReentrantLock lock = new ReentrantLock();
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor scheduler;

    private final Queue<Runnable> events = new ArrayDeque<>();
    private final ReentrantLock dispatchLock = new ReentrantLock();

    private final CompletableFuture<StartupReport> readyFuture = new CompletableFuture<>();
    private CompletableFuture<StartupReport> stopFuture;
    private ServiceState serviceState = ServiceState.NEW;
    private Instant startedAt;
    private Instant readyAt;
    private boolean started;
    private ScheduledFuture<?> periodicProbe;
    private Thread shutdownHook;

    private volatile boolean ready;
    private int unhealthyRequired;
    private long version;
    private volatile Availability cachedAvailability;
    private long cachedVersion = -1;

    /**
     * Creates the orchestrator; use {@link StartupOrchestrator#builder()}.
     *
     * @param serviceName the service's name
     * @param components the components in declaration order
     * @param policies the start policy of each component
     * @param duplicates names added twice
     * @param maxParallel the worker pool's size
     * @param probeInterval the periodic probe interval
     * @param drainTimeout the stop deadline
     * @param clock the clock for timestamps
     * @param listeners the initial listeners
     * @throws dev.coldstart.core.GraphValidationException if the graph cannot be started
     */
    public DefaultStartupOrchestrator(String serviceName, List<Component> components, Map<String, StartPolicy> policies,
            List<String> duplicates, int maxParallel, Duration probeInterval, Duration drainTimeout, Clock clock,
            List<StartupListener> listeners) {
        this(serviceName, components, policies, duplicates, maxParallel, probeInterval, drainTimeout, clock, listeners,
                () -> 1.0);
    }

    /**
     * Creates the orchestrator with a start-deadline stretch; use {@link StartupOrchestrator#builder()}.
     *
     * @param serviceName the service's name
     * @param components the components in declaration order
     * @param policies the start policy of each component
     * @param duplicates names added twice
     * @param maxParallel the worker pool's size
     * @param probeInterval the periodic probe interval
     * @param drainTimeout the stop deadline
     * @param clock the clock for timestamps
     * @param listeners the initial listeners
     * @param deadlineStretch consulted when a start deadline passes; above 1 it stretches the deadline
     * @throws dev.coldstart.core.GraphValidationException if the graph cannot be started
     */
    public DefaultStartupOrchestrator(String serviceName, List<Component> components, Map<String, StartPolicy> policies,
            List<String> duplicates, int maxParallel, Duration probeInterval, Duration drainTimeout, Clock clock,
            List<StartupListener> listeners, DoubleSupplier deadlineStretch) {
        String[][] sortedDeps = GraphValidator.sortedDependencies(components);
        GraphValidator.validate(components, sortedDeps, duplicates);
        this.deadlineStretch = deadlineStretch;
        this.serviceName = serviceName;
        this.probeInterval = probeInterval;
        this.drainTimeout = drainTimeout;
        this.clock = clock;
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        Map<String, Node> byName = new HashMap<>(components.size() * 2);
        List<Node> list = new ArrayList<>(components.size());
        for (Component c : components) {
            Node n = new Node(c, policies.get(c.name()));
            byName.put(n.name, n);
            list.add(n);
        }
        for (int i = 0; i < list.size(); i++) {
            Node n = list.get(i);
            for (String d : sortedDeps[i]) {
                Node dep = byName.get(d);
                n.dependencies.add(dep);
                dep.dependents.add(n);
            }
            n.unmetDependencies = n.dependencies.size();
        }
        this.nodes = List.copyOf(list);
        for (Node n : list) {
            if (n.required) {
                unhealthyRequired++;
            }
        }
        this.workers = new ThreadPoolExecutor(maxParallel, maxParallel, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads(serviceName + "-start"));
        this.workers.allowCoreThreadTimeOut(true);
        this.scheduler = new ScheduledThreadPoolExecutor(1, threads(serviceName + "-scheduler"));
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "coldstart-" + prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---------------------------------------------------------------- start

    @Override
    public StartupReport start() {
        CompletableFuture<StartupReport> f = startAsync();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ColdstartException(serviceName + " - interrupted while waiting for READY; "
                    + "components keep starting until stop() is called", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ColdstartException ce) {
                throw ce;
            }
            throw new ColdstartException(serviceName + " - startup failed: " + cause, cause);
        }
    }

    @Override
    public CompletableFuture<StartupReport> startAsync() {
        lock.lock();
        try {
            if (started || stopFuture != null) {
                throw new IllegalStateException(serviceName + " - start() was already called or the orchestrator "
                        + "was stopped; an orchestrator starts once, build a new one to start again");
            }
            started = true;
            serviceState = ServiceState.STARTING;
            startedAt = clock.instant();
            log.info("{} - starting {} component(s)", serviceName, nodes.size());
            for (Node n : nodes) {
                n.waitingSince = startedAt;
                transition(n, ComponentState.WAITING, null);
            }
            for (Node n : nodes) {
                if (n.unmetDependencies == 0) {
                    submitAttempt(n);
                }
            }
            checkReady();
            long intervalNanos = probeInterval.toNanos();
            periodicProbe = scheduler.scheduleWithFixedDelay(this::probeRunning, intervalNanos, intervalNanos,
                    TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
        dispatchEvents();
        return readyFuture.copy();
    }

    /** Caller holds the lock. */
    private void submitAttempt(Node n) {
        n.pendingRetry = null;
        n.running = workers.submit(() -> attempt(n));
    }

    private void attempt(Node n) {
        int token;
        boolean needsStart;
        lock.lock();
        try {
            if (serviceState.compareTo(ServiceState.STOPPING) >= 0 || n.state.isTerminal()) {
                return;
            }
            if (n.breaker != null && !n.breaker.tryAcquirePermission()) {
                // Scheduled a hair before the breaker allows a trial: wait out the rest of its open time.
                long waitNanos = Math.max(BREAKER_MARGIN_NANOS, n.breakerOpenedAtNanos
                        + n.policy.retryPolicy().circuitBreakerOpenDuration().toNanos() - System.nanoTime() + BREAKER_MARGIN_NANOS);
                n.pendingRetry = scheduler.schedule(() -> retryLater(n), waitNanos, TimeUnit.NANOSECONDS);
                return;
            }
            n.attempts++;
            token = n.attempts;
            needsStart = !n.startSucceeded;
            Instant now = clock.instant();
            if (n.firstAttemptAt == null) {
                n.firstAttemptAt = now;
                long timeoutNanos = n.policy.startTimeout().toNanos();
                n.firstAttemptNanos = System.nanoTime();
                n.deadlineNanos = n.firstAttemptNanos + timeoutNanos;
                n.deadlineTimer = scheduler.schedule(() -> deadlinePassed(n), timeoutNanos, TimeUnit.NANOSECONDS);
            }
            n.currentAttempt = new AttemptRecord(token, now, null, null, null);
            if (n.state != ComponentState.DEGRADED) {
                transition(n, ComponentState.STARTING, null);
            }
            log.info("{} - {} attempt {}", n.name, needsStart ? "starting," : "probing,", token);
        } finally {
            lock.unlock();
        }
        dispatchEvents();

        long t0 = System.nanoTime();
        Throwable failure = null;
        String reason = null;
        boolean startedNow = false;
        try {
            if (needsStart) {
                n.component.start();
                startedNow = true;
            }
            Health h = n.component.probe();
            if (h == null || !h.isUp()) {
                reason = h == null ? "probe returned null" : "probe failed: " + h.reason();
            }
        } catch (InterruptedException e) {
            failure = e;
            reason = "interrupted (start deadline passed or stopping)";
        } catch (Throwable t) {
            failure = t;
            reason = describe(t);
        }
        long elapsedNanos = System.nanoTime() - t0;
        attemptDone(n, token, startedNow, failure, reason, elapsedNanos);
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    private void attemptDone(Node n, int token, boolean startedNow, Throwable failure, String reason, long elapsedNanos) {
        lock.lock();
        try {
            if (startedNow) {
                n.startSucceeded = true;
            }
            n.running = null;
            if (n.attempts != token || n.currentAttempt == null) {
                return; // a deadline or stop overtook this attempt; its result no longer counts
            }
            Instant now = clock.instant();
            if (reason == null) {
                n.recordAttempt(new AttemptRecord(token, n.currentAttempt.startedAt(), now, null, null));
                n.currentAttempt = null;
                onHealthy(n, now, elapsedNanos);
            } else {
                onFailedAttempt(n, now, failure, reason, elapsedNanos);
            }
        } finally {
            lock.unlock();
        }
        dispatchEvents();
    }

    /** Caller holds the lock. */
    private void onHealthy(Node n, Instant now, long elapsedNanos) {
        if (n.breaker != null) {
            n.breaker.onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
        }
        n.consecutiveFailures = 0;
        cancel(n.deadlineTimer);
        n.deadlineTimer = null;
        boolean first = n.readyAt == null;
        if (first) {
            n.readyAt = now;
        }
        if (serviceState.compareTo(ServiceState.STOPPING) >= 0) {
            return;
        }
        if (log.isInfoEnabled()) {
            // Guarded: formatting the duration costs more than the rest of a no-op start (benchmark B1).
            log.info("{} - healthy after {} attempt(s){}", n.name, n.attempts,
                    first ? " in " + seconds(Duration.between(n.firstAttemptAt, now)) : ", recovered from degraded mode");
        }
        transition(n, ComponentState.RUNNING, null);
        if (first) {
            for (Node d : n.dependents) {
                d.unmetDependencies--;
                if (d.unmetDependencies == 0 && d.state == ComponentState.WAITING) {
                    submitAttempt(d);
                }
            }
        }
        checkReady();
    }

    /** Caller holds the lock. */
    private void onFailedAttempt(Node n, Instant now, Throwable failure, String reason, long elapsedNanos) {
        CircuitBreaker breaker = n.breakerOnFirstFailure();
        if (breaker != null) {
            breaker.onError(elapsedNanos, TimeUnit.NANOSECONDS, failure == null ? new IllegalStateException(reason) : failure);
        }
        n.consecutiveFailures++;
        n.lastError = reason;
        n.lastFailure = failure;
        RetryPolicy rp = n.policy.retryPolicy();
        boolean background = n.state == ComponentState.DEGRADED;
        boolean permanent = failure instanceof NonRetryableException;
        long remainingNanos = n.deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0 && !background && stretchDeadline(n)) {
            remainingNanos = n.deadlineNanos - System.nanoTime();
        }
        boolean attemptsExhausted = rp.maxAttempts() > 0 && n.attempts >= rp.maxAttempts();
        if (!background && (permanent || attemptsExhausted || remainingNanos <= 0)) {
            n.recordAttempt(new AttemptRecord(n.attempts, n.currentAttempt.startedAt(), now, reason, null));
            n.currentAttempt = null;
            String why = permanent ? "a permanent failure" : attemptsExhausted
                    ? "its " + rp.maxAttempts() + " attempt(s) were used up"
                    : "its start deadline of " + seconds(n.policy.startTimeout()) + " passed";
            giveUp(n, why, failure);
            return;
        }
        if (permanent && background) {
            n.recordAttempt(new AttemptRecord(n.attempts, n.currentAttempt.startedAt(), now, reason, null));
            n.currentAttempt = null;
            log.warn("{} - stays degraded: permanent failure, background retries stop: {}", n.name, reason);
            return;
        }
        long delayMillis = rp.intervalFunction().apply(n.consecutiveFailures);
        if (n.breaker != null && n.breaker.getState() == CircuitBreaker.State.OPEN) {
            // No attempt is allowed while the breaker is open: wait for it rather than be turned away.
            n.breakerOpenedAtNanos = System.nanoTime();
            long openMillis = rp.circuitBreakerOpenDuration().toMillis();
            if (delayMillis < openMillis) {
                delayMillis = openMillis + TimeUnit.NANOSECONDS.toMillis(BREAKER_MARGIN_NANOS);
            }
            log.info("{} - circuit breaker open after {} consecutive failures, no attempt for {}", n.name,
                    n.consecutiveFailures, seconds(rp.circuitBreakerOpenDuration()));
        }
        if (!background) {
            delayMillis = Math.min(delayMillis, TimeUnit.NANOSECONDS.toMillis(remainingNanos));
        }
        Duration delay = Duration.ofMillis(delayMillis);
        n.recordAttempt(new AttemptRecord(n.attempts, n.currentAttempt.startedAt(), now, reason, delay));
        n.currentAttempt = null;
        String limit = rp.maxAttempts() > 0 ? "/" + rp.maxAttempts() : "";
        log.info("{} - attempt {}{} failed: {}; retrying in {}", n.name, n.attempts, limit, reason, seconds(delay));
        if (!background) {
            transition(n, ComponentState.BACKOFF, reason);
        }
        if (!listeners.isEmpty()) {
            RetryScheduledEvent e = new RetryScheduledEvent(n.name, n.attempts, delay, now, reason);
            events.add(() -> listeners.forEach(l -> safely(() -> l.onRetryScheduled(e))));
        }
        n.pendingRetry = scheduler.schedule(() -> retryLater(n), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void retryLater(Node n) {
        lock.lock();
        try {
            if (serviceState.compareTo(ServiceState.STOPPING) < 0 && !n.state.isTerminal()) {
                submitAttempt(n);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock. */
    private void giveUp(Node n, String why, Throwable failure) {
        cancel(n.deadlineTimer);
        n.deadlineTimer = null;
        cancel(n.pendingRetry);
        n.pendingRetry = null;
        if (n.required) {
            log.error("{} - failed after {} attempt(s) because {}: {}", n.name, n.attempts, why, n.lastError, failure);
            transition(n, ComponentState.FAILED, n.lastError);
            failStartup(n);
        } else {
            log.warn("{} - degraded after {} attempt(s) because {}: {}; the service runs without it and keeps "
                    + "retrying in the background", n.name, n.attempts, why, n.lastError);
            transition(n, ComponentState.DEGRADED, n.lastError);
            long delayMillis = n.policy.retryPolicy().intervalFunction().apply(n.consecutiveFailures);
            n.pendingRetry = scheduler.schedule(() -> retryLater(n), delayMillis, TimeUnit.MILLISECONDS);
            checkReady();
        }
    }

    private void deadlinePassed(Node n) {
        lock.lock();
        try {
            n.deadlineTimer = null;
            if (serviceState.compareTo(ServiceState.STOPPING) >= 0 || n.state.isTerminal()
                    || n.state == ComponentState.RUNNING || n.state == ComponentState.DEGRADED) {
                return;
            }
            if (stretchDeadline(n)) {
                return;
            }
            Instant now = clock.instant();
            if (n.currentAttempt != null) {
                String reason = "attempt " + n.attempts + " still running at the start deadline"
                        + (n.lastError == null ? "" : "; previous error: " + n.lastError);
                n.recordAttempt(new AttemptRecord(n.attempts, n.currentAttempt.startedAt(), now,
                        "interrupted at the start deadline", null));
                n.currentAttempt = null;
                n.lastError = reason;
                if (n.running != null) {
                    n.running.cancel(true);
                }
            }
            if (n.lastError == null) {
                n.lastError = "no attempt finished before the start deadline";
            }
            giveUp(n, "its start deadline of " + seconds(n.policy.startTimeout()) + " passed", n.lastFailure);
        } finally {
            lock.unlock();
        }
        dispatchEvents();
    }

    /**
     * Moves a passed start deadline to {@code startTimeout x factor} from the first attempt while the
     * deadline stretch reports a factor above 1 (capped at {@value #MAX_DEADLINE_STRETCH}), once per
     * factor: a start slowed down by the machine (a throttled CPU quota) gets more time instead of
     * failing. Caller holds the lock.
     *
     * @return true if the deadline now lies in the future
     */
    private boolean stretchDeadline(Node n) {
        double factor;
        try {
            factor = deadlineStretch.getAsDouble();
        } catch (RuntimeException e) {
            log.warn("{} - deadline stretch failed, keeping the deadline: {}", n.name, e.toString());
            return false;
        }
        if (!(factor > 1.0)) {
            return false;
        }
        factor = Math.min(factor, MAX_DEADLINE_STRETCH);
        long timeoutNanos = n.policy.startTimeout().toNanos();
        long stretched = n.firstAttemptNanos + (long) (timeoutNanos * factor);
        long remaining = stretched - System.nanoTime();
        if (remaining <= 0 || stretched - n.deadlineNanos <= 0) {
            return false;
        }
        n.deadlineNanos = stretched;
        cancel(n.deadlineTimer);
        n.deadlineTimer = scheduler.schedule(() -> deadlinePassed(n), remaining, TimeUnit.NANOSECONDS);
        log.warn("{} - start deadline of {} stretched x{} to {}: the deadline stretch reports a slowed-down start",
                n.name, seconds(n.policy.startTimeout()), String.format(Locale.ROOT, "%.1f", factor),
                seconds(Duration.ofNanos((long) (timeoutNanos * factor))));
        return true;
    }

    /** Caller holds the lock. */
    private void failStartup(Node failed) {
        if (serviceState != ServiceState.STARTING) {
            return; // already READY: a later failure of a required component cannot happen (it would be UNHEALTHY)
        }
        serviceState = ServiceState.FAILED;
        List<String> failedNames = new ArrayList<>();
        for (Node n : nodes) {
            if (n.state == ComponentState.FAILED) {
                failedNames.add(n.name);
            }
        }
        // Nothing keeps retrying inside a service that will never be READY.
        for (Node n : nodes) {
            if (n.state == ComponentState.FAILED || n.state == ComponentState.RUNNING) {
                continue;
            }
            cancel(n.pendingRetry);
            cancel(n.deadlineTimer);
            if (n.running != null) {
                n.running.cancel(true);
            }
            if (n.currentAttempt != null) {
                n.recordAttempt(new AttemptRecord(n.attempts, n.currentAttempt.startedAt(), clock.instant(),
                        "cancelled: required component '" + failed.name + "' failed", null));
                n.currentAttempt = null;
            }
            transition(n, ComponentState.STOPPED, n.lastError);
        }
        cancel(periodicProbe);
        publishSignals();
        StartupReport report = buildReport();
        log.error("{} - startup failed, not READY:\n{}", serviceName, report.toTable());
        StartupFailedException ex = new StartupFailedException(failedNames, report, failed.lastFailure);
        events.add(() -> readyFuture.completeExceptionally(ex));
    }

    /** Caller holds the lock. */
    private void checkReady() {
        if (serviceState == ServiceState.STARTING) {
            if (unhealthyRequired > 0) {
                publishSignals();
                return;
            }
            serviceState = ServiceState.READY;
            readyAt = clock.instant();
            publishSignals();
            StartupReport report = buildReport();
            List<String> degraded = new ArrayList<>();
            for (Node n : nodes) {
                if (!n.required && !n.state.isHealthy()) {
                    degraded.add(n.name);
                }
            }
            log.info("{} - READY after {}{}", serviceName, seconds(report.timeToReady()),
                    degraded.isEmpty() ? "" : " in degraded mode (not healthy: " + String.join(", ", degraded) + ")");
            events.add(() -> readyFuture.complete(report));
        } else {
            publishSignals();
        }
    }

    // ---------------------------------------------------------------- periodic probes

    private void probeRunning() {
        List<Node> toProbe = new ArrayList<>();
        lock.lock();
        try {
            if (serviceState.compareTo(ServiceState.STOPPING) >= 0) {
                return;
            }
            for (Node n : nodes) {
                if ((n.state == ComponentState.RUNNING || n.state == ComponentState.UNHEALTHY) && !n.probing) {
                    n.probing = true;
                    toProbe.add(n);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Node n : toProbe) {
            workers.execute(() -> periodicProbe(n));
        }
    }

    private void periodicProbe(Node n) {
        String reason = null;
        try {
            Health h = n.component.probe();
            if (h == null || !h.isUp()) {
                reason = h == null ? "probe returned null" : "probe failed: " + h.reason();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "probe interrupted";
        } catch (Throwable t) {
            reason = describe(t);
        }
        lock.lock();
        try {
            n.probing = false;
            if (serviceState.compareTo(ServiceState.STOPPING) >= 0) {
                return;
            }
            if (reason == null && n.state == ComponentState.UNHEALTHY) {
                log.info("{} - probe passes again, healthy", n.name);
                transition(n, ComponentState.RUNNING, null);
                checkReady();
            } else if (reason != null && n.state == ComponentState.RUNNING) {
                n.lastError = reason;
                log.warn("{} - periodic probe failed: {}; {}", n.name, reason,
                        n.required ? "readiness is down until it passes" : "feature off until it passes");
                transition(n, ComponentState.UNHEALTHY, reason);
                checkReady();
            }
        } finally {
            lock.unlock();
        }
        dispatchEvents();
    }

    // ---------------------------------------------------------------- stop

    @Override
    public StartupReport stop() {
        return stopAsync().join();
    }

    @Override
    public CompletableFuture<StartupReport> stopAsync() {
        lock.lock();
        try {
            if (stopFuture != null) {
                return stopFuture.copy();
            }
            stopFuture = new CompletableFuture<>();
            ServiceState before = serviceState;
            serviceState = ServiceState.STOPPING;
            cancel(periodicProbe);
            for (Node n : nodes) {
                cancel(n.pendingRetry);
                cancel(n.deadlineTimer);
                n.pendingRetry = null;
                n.deadlineTimer = null;
                if (n.running != null) {
                    n.running.cancel(true);
                }
            }
            publishSignals();
            if (before == ServiceState.STARTING || before == ServiceState.NEW) {
                ColdstartException ex = new ColdstartException(serviceName + " - stopped before it became READY");
                events.add(() -> readyFuture.completeExceptionally(ex));
            }
            log.info("{} - stopping (drain timeout {})", serviceName, seconds(drainTimeout));
        } finally {
            lock.unlock();
        }
        dispatchEvents();
        CompletableFuture<StartupReport> result = stopFuture;
        Thread stopper = new Thread(this::stopAll, "coldstart-" + serviceName + "-stop");
        stopper.setDaemon(false);
        stopper.start();
        return result.copy();
    }

    private void stopAll() {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        // A component stops after every component that depends on it: group by height above the sinks.
        Map<Node, Integer> height = new HashMap<>();
        int maxHeight = 0;
        for (Node n : nodes) {
            maxHeight = Math.max(maxHeight, height(n, height));
        }
        List<List<Node>> levels = new ArrayList<>();
        for (int i = 0; i <= maxHeight; i++) {
            levels.add(new ArrayList<>());
        }
        for (Node n : nodes) {
            levels.get(height.get(n)).add(n);
        }
        for (List<Node> level : levels) {
            List<Future<?>> running = new ArrayList<>();
            List<Node> stopping = new ArrayList<>();
            for (Node n : level) {
                awaitAttempt(n, deadline);
                boolean stopIt;
                lock.lock();
                try {
                    stopIt = n.startSucceeded;
                    transition(n, ComponentState.STOPPING, null);
                } finally {
                    lock.unlock();
                }
                dispatchEvents();
                if (stopIt) {
                    stopping.add(n);
                    Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                    running.add(workers.submit(() -> {
                        n.component.stop(remaining);
                        return null;
                    }));
                } else {
                    finishStop(n, null);
                }
            }
            for (int i = 0; i < running.size(); i++) {
                Node n = stopping.get(i);
                String error = null;
                try {
                    running.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    log.info("{} - stopped", n.name);
                } catch (TimeoutException e) {
                    running.get(i).cancel(true);
                    error = "did not stop within the drain timeout of " + seconds(drainTimeout);
                    log.warn("{} - {}; interrupted and moving on", n.name, error);
                } catch (ExecutionException e) {
                    error = "stop failed: " + describe(e.getCause());
                    log.warn("{} - {}", n.name, error, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    error = "stop interrupted";
                }
                finishStop(n, error);
            }
        }
        StartupReport report;
        lock.lock();
        try {
            serviceState = ServiceState.STOPPED;
            publishSignals();
            report = buildReport();
        } finally {
            lock.unlock();
        }
        dispatchEvents();
        workers.shutdownNow();
        scheduler.shutdownNow();
        removeShutdownHook();
        log.info("{} - stopped", serviceName);
        stopFuture.complete(report);
    }

    private void awaitAttempt(Node n, long deadline) {
        Future<?> f;
        lock.lock();
        try {
            f = n.running;
        } finally {
            lock.unlock();
        }
        if (f == null) {
            return;
        }
        try {
            f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
            // cancelled attempts end here; whether start() completed is recorded in startSucceeded
        }
    }

    private void finishStop(Node n, String error) {
        lock.lock();
        try {
            if (error != null) {
                n.lastError = error;
            }
            transition(n, ComponentState.STOPPED, error);
        } finally {
            lock.unlock();
        }
        dispatchEvents();
    }

    private static int height(Node n, Map<Node, Integer> memo) {
        // Iterative post-order so a long chain cannot overflow the stack.
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(n);
        while (!stack.isEmpty()) {
            Node top = stack.peek();
            if (memo.containsKey(top)) {
                stack.pop();
                continue;
            }
            boolean ready = true;
            int h = 0;
            for (Node d : top.dependents) {
                Integer dh = memo.get(d);
                if (dh == null) {
                    ready = false;
                    stack.push(d);
                } else {
                    h = Math.max(h, dh + 1);
                }
            }
            if (ready) {
                memo.put(top, h);
                stack.pop();
            }
        }
        return memo.get(n);
    }

    @Override
    public StartupOrchestrator registerShutdownHook() {
        lock.lock();
        try {
            if (shutdownHook == null) {
                shutdownHook = new Thread(() -> {
                    log.info("{} - JVM shutdown: draining and stopping", serviceName);
                    stopAsync().join();
                }, "coldstart-" + serviceName + "-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
        } finally {
            lock.unlock();
        }
        return this;
    }

    private void removeShutdownHook() {
        lock.lock();
        try {
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down, the hook is running
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- state and reports

    /** Caller holds the lock. */
    private void transition(Node n, ComponentState to, String error) {
        ComponentState from = n.state;
        if (from == to) {
            return;
        }
        n.state = to;
        if (n.required && from.isHealthy() != to.isHealthy()) {
            unhealthyRequired += to.isHealthy() ? -1 : 1;
        }
        Instant at = clock.instant();
        n.recordTransition(new TransitionRecord(from, to, at));
        version++;
        if (!listeners.isEmpty()) {
            ComponentTransitionEvent e = new ComponentTransitionEvent(n.name, from, to, at, n.attempts, error);
            events.add(() -> listeners.forEach(l -> safely(() -> l.onTransition(e))));
        }
    }

    /** Caller holds the lock. */
    private void publishSignals() {
        ready = serviceState == ServiceState.READY && unhealthyRequired == 0;
        version++;
        if (!listeners.isEmpty()) {
            Availability a = snapshot();
            events.add(() -> listeners.forEach(l -> safely(() -> l.onAvailabilityChanged(a))));
        }
    }

    /** Caller holds the lock. */
    private Availability snapshot() {
        if (cachedVersion == version && cachedAvailability != null) {
            return cachedAvailability;
        }
        List<ComponentStatus> statuses = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            statuses.add(new ComponentStatus(n.name, n.required, n.state, n.lastError));
        }
        boolean live = serviceState != ServiceState.FAILED && serviceState != ServiceState.STOPPED;
        Availability a = new Availability(serviceState, readyAt != null, live, ready, statuses);
        cachedAvailability = a;
        cachedVersion = version;
        return a;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public Availability availability() {
        lock.lock();
        try {
            return snapshot();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StartupReport report() {
        lock.lock();
        try {
            return buildReport();
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock. */
    private StartupReport buildReport() {
        List<ComponentReport> reports = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            // ComponentReport copies its lists, so only a history with a running attempt needs one here.
            List<AttemptRecord> history = n.attemptHistory;
            if (n.currentAttempt != null) {
                history = new ArrayList<>(n.attemptHistory);
                if (history.size() == Node.MAX_HISTORY) {
                    history.remove(0);
                }
                history.add(n.currentAttempt);
            }
            List<String> deps = new ArrayList<>(n.dependencies.size());
            for (Node d : n.dependencies) {
                deps.add(d.name);
            }
            reports.add(new ComponentReport(n.name, n.required, deps, n.state, n.attempts, history,
                    n.transitions, n.waitingSince, n.firstAttemptAt, n.readyAt, n.lastError));
        }
        return new StartupReport(serviceState, startedAt, readyAt, reports);
    }

    @Override
    public void addListener(StartupListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener must not be null"));
    }

    // ---------------------------------------------------------------- events

    /** Dispatches queued events in order; called without the state lock held. */
    private void dispatchEvents() {
        while (true) {
            if (!dispatchLock.tryLock()) {
                return; // the holder drains what we queued, see the re-check below
            }
            try {
                while (true) {
                    Runnable r;
                    lock.lock();
                    try {
                        r = events.poll();
                    } finally {
                        lock.unlock();
                    }
                    if (r == null) {
                        break;
                    }
                    r.run();
                }
            } finally {
                dispatchLock.unlock();
            }
            boolean more;
            lock.lock();
            try {
                more = !events.isEmpty();
            } finally {
                lock.unlock();
            }
            if (!more) {
                return;
            }
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("a StartupListener threw; ignored, the start goes on", e);
        }
    }

    private static void cancel(Future<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private static String describe(Throwable t) {
        String msg = t.getMessage();
        String type = t.getClass().getSimpleName();
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = msg == null ? type : type + ": " + msg;
        if (root != t && root.getMessage() != null && (msg == null || !msg.contains(root.getMessage()))) {
            text += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return text;
    }

    static String seconds(Duration d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Per-component state; every mutable field is guarded by the orchestrator's lock. */
    private static final class Node {
        static final int MAX_HISTORY = 256;

        final Component component;
        final String name;
        final boolean required;
        final StartPolicy policy;
        /** Created on the first failure: most components never fail, and a breaker for each of 10,000 was a large part of benchmark B1. */
        CircuitBreaker breaker;
        final List<Node> dependencies = new ArrayList<>();
        final List<Node> dependents = new ArrayList<>();
        final List<AttemptRecord> attemptHistory = new ArrayList<>();
        final List<TransitionRecord> transitions = new ArrayList<>();

        int unmetDependencies;
        ComponentState state = ComponentState.NEW;
        boolean startSucceeded;
        boolean probing;
        int attempts;
        int consecutiveFailures;
        AttemptRecord currentAttempt;
        Instant waitingSince;
        Instant firstAttemptAt;
        Instant readyAt;
        String lastError;
        Throwable lastFailure;
        long deadlineNanos;
        long firstAttemptNanos;
        long breakerOpenedAtNanos;
        Future<?> running;
        ScheduledFuture<?> pendingRetry;
        ScheduledFuture<?> deadlineTimer;

        /**
         * Keeps the newest {@value #MAX_HISTORY} attempts: a component degraded for days is retried in the
         * background thousands of times, and the report must not grow with it ({@code attempts} still counts all).
         */
        void recordAttempt(AttemptRecord a) {
            if (attemptHistory.size() == MAX_HISTORY) {
                attemptHistory.remove(0);
            }
            attemptHistory.add(a);
        }

        /** Keeps the newest {@value #MAX_HISTORY} transitions, for the same reason as attempts. */
        void recordTransition(TransitionRecord t) {
            if (transitions.size() == MAX_HISTORY) {
                transitions.remove(0);
            }
            transitions.add(t);
        }

        Node(Component component, StartPolicy policy) {
            this.component = component;
            this.name = component.name();
            this.required = component.required();
            this.policy = policy;
        }

        /**
         * The breaker, created on the first failure; null when the policy disables it. Successes before
         * the first failure need no record: the breaker opens only on a window of failures alone (rate
         * 100 %), which no earlier success changes.
         */
        CircuitBreaker breakerOnFirstFailure() {
            RetryPolicy rp = policy.retryPolicy();
            if (breaker == null && rp.circuitBreakerFailureThreshold() > 0) {
                breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(rp.circuitBreakerFailureThreshold())
                        .minimumNumberOfCalls(rp.circuitBreakerFailureThreshold())
                        .failureRateThreshold(100f)
                        .waitDurationInOpenState(rp.circuitBreakerOpenDuration())
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .recordExceptions(Throwable.class)
                        .build());
            }
            return breaker;
        }
    }
}
