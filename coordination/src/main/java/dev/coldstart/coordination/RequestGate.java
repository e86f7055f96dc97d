package dev.coldstart.coordination;

import dev.coldstart.coordination.internal.GateHandler;
import dev.coldstart.coordination.internal.GateQueue;
import dev.coldstart.core.Availability;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupListener;
import dev.coldstart.core.StartupOrchestrator;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Handler;

/**
 * Holds requests that arrive before the service is READY in a bounded FIFO queue and lets them
 * through, in arrival order, once it is: a gateway that takes traffic before its backend is ready
 * neither fails those requests nor lets them hang (scenario CS-21).
 *
 * <ul>
 *   <li>Ready and nobody waiting: the request passes at once. This path reads the readiness
 *       supplier (for example {@link StartupOrchestrator#isReady()}, a volatile read) and one
 *       counter: no lock, no allocation.</li>
 *   <li>Not ready: the request waits in the queue, at most {@link Builder#maxWait(Duration)}.</li>
 *   <li>Queue full ({@link Builder#maxQueued(int)} waiting): {@code 503} at once.</li>
 *   <li>Deadline passed: {@code 503}.</li>
 *   <li>The service failed to start or was stopped before READY (with
 *       {@link #releaseOn(StartupOrchestrator)}), or the gate was closed: every waiting and every
 *       later request gets {@code 503} at once.</li>
 * </ul>
 *
 * <p>The gate holds requests only until the service is READY for the first time. From then on it
 * lets every request through, even if readiness drops later (a required component's periodic
 * probe failing, or the service stopping and draining): {@code /health/ready} takes the instance
 * out of rotation then, and holding requests would only delay their answer.
 *
 * <p>Every {@code 503} carries {@code Retry-After} ({@link Builder#retryAfter(Duration)}, in whole
 * seconds), {@code Cache-Control: no-store} and a small JSON body whose {@code reason} is
 * {@code queue_full}, {@code deadline} or {@code stopped}. Once ready, waiting requests are
 * released in arrival order; a request that arrives while they are being released queues behind
 * them, so none overtakes an earlier one.
 *
 * <p>One gate can protect a Jetty 12 server ({@link #handler(Handler)}, a core
 * {@link Handler.Wrapper} that suspends waiting requests without holding a thread) and any
 * {@code jakarta.servlet} container ({@link RequestGateFilter}) at the same time; they share the
 * queue. Put the gate in front of the application's handlers only: {@link ProbeEndpoint} answers
 * its probes before application handlers, so probes are never held.
 *
 * <p>Readiness is read when a request arrives, when the orchestrator reports a change
 * ({@link #releaseOn(StartupOrchestrator)} or {@link #readinessChanged()}), and every
 * {@link Builder#readinessPollInterval(Duration)} while requests wait. Deadlines and releases run
 * on one owned daemon thread ({@code coldstart-<name>-timer}), stopped by {@link #close()}.
 * Thread-safe.
 *
 * <pre>{@code
 * StartupOrchestrator orchestrator = ...;
 * RequestGate gate = RequestGate.builder()
 *         .readiness(orchestrator::isReady)
 *         .maxQueued(200)
 *         .maxWait(Duration.ofSeconds(10))
 *         .build()
 *         .releaseOn(orchestrator);
 * ProbeEndpoint http = ProbeEndpoint.builder()
 *         .handler(gate.handler(apiHandler))        // probes are answered before the gate
 *         .availability(orchestrator::availability)
 *         .build().start();
 * orchestrator.start();                             // held requests are served once READY
 * }</pre>
 */
public final class RequestGate implements AutoCloseable {
    /** Default gate name, used in logs and the timer thread's name: {@code "request-gate"}. */
    public static final String DEFAULT_NAME = "request-gate";
    /** Default queue capacity: 128 waiting requests. */
    public static final int DEFAULT_MAX_QUEUED = 128;
    /** Default deadline of a waiting request: 10 s. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);
    /** Default {@code Retry-After} of a 503: 1 s. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** Default interval at which readiness is read while requests wait: 20 ms. */
    public static final Duration DEFAULT_READINESS_POLL_INTERVAL = Duration.ofMillis(20);

    private final String name;
    private final int maxQueued;
    private final Duration maxWait;
    private final Duration retryAfter;
    private final GateQueue queue;

    private RequestGate(Builder b) {
        this.name = b.name;
        this.maxQueued = b.maxQueued;
        this.maxWait = b.maxWait;
        this.retryAfter = b.retryAfter;
        this.queue = new GateQueue(b.name, b.readiness, b.maxQueued, b.maxWait, b.retryAfter, b.readinessPollInterval);
    }

    /**
     * Starts a builder; {@link Builder#readiness(BooleanSupplier)} is required.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Wraps a Jetty handler (the application's API) in the gate. The returned wrapper suspends
     * waiting requests (no thread is held while they wait) and hands each released one to
     * {@code next} on a Jetty thread: to a non-blocking {@code next} one after the other in arrival
     * order, to a blocking one each on its own thread, submitted in arrival order.
     *
     * @param next the handler to protect; not null
     * @return a new wrapper sharing this gate's queue
     */
    public Handler.Wrapper handler(Handler next) {
        return new GateHandler(name, queue, Checks.notNull(next, "next"));
    }

    /**
     * Releases waiting requests as soon as the orchestrator turns READY, and refuses waiting and
     * later requests with {@code 503} at once when it fails to start or is stopped before READY. A
     * service that stops after READY keeps passing requests while it drains.
     *
     * @param orchestrator the service's orchestrator; not null
     * @return this gate
     */
    public RequestGate releaseOn(StartupOrchestrator orchestrator) {
        Checks.notNull(orchestrator, "orchestrator");
        orchestrator.addListener(new StartupListener() {
            @Override
            public void onAvailabilityChanged(Availability availability) {
                ServiceState s = availability.state();
                if (s == ServiceState.FAILED) {
                    queue.stop("the service failed to start");
                } else if (s == ServiceState.STOPPING || s == ServiceState.STOPPED) {
                    queue.stopUnlessOpened("the service was stopped before it became ready");
                } else if (availability.isReady()) {
                    queue.signal();
                }
            }
        });
        return this;
    }

    /**
     * Tells the gate that readiness may have changed, so waiting requests are released now rather
     * than at the next poll. Returns at once; safe from any thread.
     */
    public void readinessChanged() {
        queue.signal();
    }

    /**
     * Whether a request arriving now would pass at once. Lock-free.
     *
     * @return true when ready, nobody waits and the gate is not stopped
     */
    public boolean isOpen() {
        return queue.isOpen();
    }

    /**
     * Requests waiting now.
     *
     * @return 0 to {@link #maxQueued()}
     */
    public int queued() {
        return queue.queued();
    }

    /**
     * What the gate did so far.
     *
     * @return a new snapshot
     */
    public Stats stats() {
        long[] c = queue.counters();
        return new Stats(c[0], c[1], c[2], c[3], c[4], c[5], (int) c[6], Duration.ofNanos(c[7]), (int) c[8]);
    }

    /**
     * The gate's name.
     *
     * @return the name used in logs
     */
    public String name() {
        return name;
    }

    /**
     * The queue's capacity.
     *
     * @return positive
     */
    public int maxQueued() {
        return maxQueued;
    }

    /**
     * The deadline of each waiting request.
     *
     * @return positive
     */
    public Duration maxWait() {
        return maxWait;
    }

    /**
     * The {@code Retry-After} of every 503, before rounding up to whole seconds.
     *
     * @return positive
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    GateQueue queue() {
        return queue;
    }

    /**
     * Refuses every waiting and later request with {@code 503} and stops the timer thread.
     * Idempotent.
     */
    @Override
    public void close() {
        queue.close();
    }

    @Override
    public String toString() {
        return "RequestGate{name=" + name + ", maxQueued=" + maxQueued + ", maxWait=" + maxWait + ", retryAfter="
                + retryAfter + ", queued=" + queued() + '}';
    }

    /**
     * What a gate did so far. Immutable.
     *
     * @param queuedTotal requests that had to wait (whatever became of them)
     * @param released waiting requests let through once ready
     * @param rejectedQueueFull requests refused because the queue was full
     * @param rejectedDeadline waiting requests refused at their deadline
     * @param rejectedStopped requests refused because the service failed, stopped or the gate closed
     * @param cancelled waiting requests whose client went away
     * @param maxQueueLength the longest the queue has been
     * @param longestWait the longest time a request waited (released or refused)
     * @param queuedNow requests waiting now
     */
    public record Stats(long queuedTotal, long released, long rejectedQueueFull, long rejectedDeadline,
            long rejectedStopped, long cancelled, int maxQueueLength, Duration longestWait, int queuedNow) {
    }

    /** Builder of {@link RequestGate}; not thread-safe. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private BooleanSupplier readiness;
        private int maxQueued = DEFAULT_MAX_QUEUED;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private Duration readinessPollInterval = DEFAULT_READINESS_POLL_INTERVAL;

        private Builder() {
        }

        /**
         * Sets the gate's name, used in logs and the timer thread's name.
         *
         * @param name not blank; default {@value RequestGate#DEFAULT_NAME}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Sets where readiness is read, typically {@code orchestrator::isReady}.
         *
         * @param readiness called on every request that arrives and while requests wait; must be
         *     fast, non-blocking and thread-safe; not null; required
         * @return this builder
         */
        public Builder readiness(BooleanSupplier readiness) {
            this.readiness = Checks.notNull(readiness, "readiness");
            return this;
        }

        /**
         * Sets how many requests may wait at once; the next one gets {@code 503} at once.
         *
         * @param maxQueued positive; default {@value RequestGate#DEFAULT_MAX_QUEUED}
         * @return this builder
         */
        public Builder maxQueued(int maxQueued) {
            this.maxQueued = Checks.positive(maxQueued, "maxQueued");
            return this;
        }

        /**
         * Sets how long one request may wait for readiness before it gets {@code 503}. Keep it
         * below the server's idle timeout and the clients' request timeout.
         *
         * @param maxWait positive; default 10 s
         * @return this builder
         */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Checks.positive(maxWait, "maxWait");
            return this;
        }

        /**
         * Sets the {@code Retry-After} of every {@code 503}; rounded up to whole seconds (RFC 9110,
         * section 10.2.3), at least 1.
         *
         * @param retryAfter positive; default 1 s
         * @return this builder
         */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = Checks.positive(retryAfter, "retryAfter");
            return this;
        }

        /**
         * Sets how often readiness is read while requests wait, for readiness sources that do not
         * report changes. With {@link RequestGate#releaseOn(StartupOrchestrator)} requests are
         * released at once when READY; the poll is the safety net.
         *
         * @param readinessPollInterval positive, at most 1 s; default 20 ms
         * @return this builder
         */
        public Builder readinessPollInterval(Duration readinessPollInterval) {
            Checks.positive(readinessPollInterval, "readinessPollInterval");
            Checks.check(readinessPollInterval.compareTo(Duration.ofSeconds(1)) <= 0,
                    "readinessPollInterval must be at most 1 s, but was " + readinessPollInterval);
            this.readinessPollInterval = readinessPollInterval;
            return this;
        }

        /**
         * Builds the gate; its timer thread starts with the first waiting request.
         *
         * @return a new gate
         * @throws dev.coldstart.core.ConfigurationException if no readiness source was set
         */
        public RequestGate build() {
            Checks.check(readiness != null, "readiness must be set, but was null; pass orchestrator::isReady");
            return new RequestGate(this);
        }
    }
}
