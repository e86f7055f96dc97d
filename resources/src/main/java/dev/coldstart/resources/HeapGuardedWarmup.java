package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.core.NonRetryableException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm-up (cache fill, index load) that checks the heap headroom first and stops at the memory
 * threshold instead of running into an {@link OutOfMemoryError} (CS-27).
 *
 * <p>{@link #start()} compares the estimated size with {@link HeapHeadroom#headroomBytes(double)} at
 * the monitor's pressure ratio and logs the outcome, then calls the {@link Step} until it reports the
 * end, checking {@link MemoryPressureMonitor#checkNow()} before each step. When the heap reaches the
 * threshold it stops and throws a {@link NonRetryableException}: the component is optional by
 * default, so the orchestrator marks it DEGRADED and the service becomes READY in degraded mode with
 * what was loaded. A later background attempt resumes from the next step if the heap has room again,
 * or fails at once if it has not, so the retry never adds memory.
 *
 * <p>The step is called from the orchestrator's thread only; this class is thread-safe for readers of
 * its counters.
 *
 * <pre>{@code
 * Iterator<Product> products = catalogue.streamAll().iterator();
 * HeapGuardedWarmup warmup = HeapGuardedWarmup.builder("product-cache", memoryMonitor, () -> {
 *             if (!products.hasNext()) {
 *                 return false;
 *             }
 *             Product p = products.next();
 *             cache.put(p.id(), p);
 *             return true;
 *         })
 *         .estimatedBytes(catalogue.sizeBytes())
 *         .build();
 * }</pre>
 */
public final class HeapGuardedWarmup implements Component {
    private static final Logger log = LoggerFactory.getLogger(HeapGuardedWarmup.class);

    /** One unit of warm-up work. */
    @FunctionalInterface
    public interface Step {
        /**
         * Loads the next item.
         *
         * @return true if an item was loaded, false when there is nothing left
         * @throws Exception a failure of the load itself; retried by the orchestrator's policy
         */
        boolean loadNext() throws Exception;
    }

    private final String name;
    private final MemoryPressureMonitor monitor;
    private final Step step;
    private final long estimatedBytes;
    private final Set<String> dependsOn;
    private final boolean required;
    private volatile long loadedSteps;
    private volatile boolean completed;
    private volatile boolean stoppedAtLimit;

    private HeapGuardedWarmup(Builder b) {
        this.name = b.name;
        this.monitor = b.monitor;
        this.step = b.step;
        this.estimatedBytes = b.estimatedBytes;
        this.dependsOn = Set.copyOf(b.dependsOn);
        this.required = b.required;
    }

    /**
     * Starts a builder.
     *
     * @param name the component name; not blank
     * @param monitor the memory monitor whose thresholds stop the warm-up; not null
     * @param step the unit of work; not null
     * @return a new builder; not thread-safe
     */
    public static Builder builder(String name, MemoryPressureMonitor monitor, Step step) {
        return new Builder(name, monitor, step);
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
    public boolean required() {
        return required;
    }

    /**
     * Checks the headroom, then loads until the end or the memory threshold.
     *
     * @throws NonRetryableException when stopped at the memory threshold, or when the heap is still
     *     under pressure at the start of a resumed attempt
     * @throws Exception whatever the step throws
     */
    @Override
    public void start() throws Exception {
        if (completed) {
            return;
        }
        HeapHeadroom heap = HeapHeadroom.current();
        long headroom = heap.headroomBytes(monitor.config().pressureRatio());
        if (estimatedBytes > headroom) {
            log.warn("{} - warm-up of about {} exceeds the heap headroom of {} ({}): loading until the memory threshold",
                    name, HeapHeadroom.mb(estimatedBytes), HeapHeadroom.mb(headroom), heap);
        } else {
            log.info("{} - warm-up of about {} fits the heap headroom of {} ({})", name, HeapHeadroom.mb(estimatedBytes),
                    HeapHeadroom.mb(headroom), heap);
        }
        long before = loadedSteps;
        while (true) {
            if (monitor.checkNow()) {
                stoppedAtLimit = true;
                String message = name + " - warm-up stopped at the memory threshold after " + loadedSteps + " item(s)"
                        + (loadedSteps > before && before > 0 ? " (" + (loadedSteps - before) + " in this attempt)" : "")
                        + " of about " + HeapHeadroom.mb(estimatedBytes) + ": " + monitor.lastReason()
                        + ". The service runs with a partial warm-up; raise -Xmx or lower the warm-up to load it all";
                log.warn("{}", message);
                throw new NonRetryableException(message);
            }
            if (!step.loadNext()) {
                completed = true;
                stoppedAtLimit = false;
                log.info("{} - warm-up complete: {} item(s); {}", name, loadedSteps, HeapHeadroom.current());
                return;
            }
            loadedSteps++;
        }
    }

    @Override
    public Health probe() {
        return completed ? Health.up() : Health.down("warm-up incomplete: " + loadedSteps + " item(s) loaded"
                + (stoppedAtLimit ? ", stopped at the memory threshold" : ""));
    }

    /**
     * Items loaded so far.
     *
     * @return zero or more
     */
    public long loadedSteps() {
        return loadedSteps;
    }

    /**
     * Whether the last attempt stopped at the memory threshold.
     *
     * @return true when stopped early
     */
    public boolean stoppedAtLimit() {
        return stoppedAtLimit;
    }

    /**
     * Whether every item was loaded.
     *
     * @return true when the step reported the end
     */
    public boolean completed() {
        return completed;
    }

    @Override
    public String toString() {
        return "HeapGuardedWarmup[" + name + ", " + loadedSteps + " loaded]";
    }

    /** Builder of {@link HeapGuardedWarmup}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final MemoryPressureMonitor monitor;
        private final Step step;
        private final Set<String> dependsOn = new LinkedHashSet<>();
        private long estimatedBytes;
        private boolean required;

        private Builder(String name, MemoryPressureMonitor monitor, Step step) {
            this.name = Checks.notBlank(name, "name");
            this.monitor = Checks.notNull(monitor, "monitor");
            this.step = Checks.notNull(step, "step");
        }

        /**
         * Sets the estimated size of the whole warm-up, compared with the headroom before it starts.
         *
         * @param estimatedBytes zero (unknown, the default) or more
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if negative
         */
        public Builder estimatedBytes(long estimatedBytes) {
            Checks.check(estimatedBytes >= 0, "estimatedBytes must be greater than or equal to 0, but was " + estimatedBytes);
            this.estimatedBytes = estimatedBytes;
            return this;
        }

        /**
         * Adds components that must be healthy first (the data source, the critical probes).
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
         * Makes the warm-up required: stopping at the threshold then fails startup instead of
         * degrading it. Off by default.
         *
         * @param required true to fail startup on an incomplete warm-up
         * @return this builder
         */
        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /**
         * Builds the component.
         *
         * @return a new warm-up
         */
        public HeapGuardedWarmup build() {
            return new HeapGuardedWarmup(this);
        }
    }
}
