package dev.coldstart.benchmarks;

import dev.coldstart.core.Component;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * B2: the wall time to start components whose starts take 10 to 100 ms (a timed park: the start work
 * of components that wait on I/O) in a random layered graph, against the critical path (the physical
 * limit, {@link LayeredGraph#criticalPathNanos(long[])}) and against Spring phases with phase = depth
 * in the graph. Spring is measured as it comes (the beans of a phase one after the other) and with
 * its concurrent start-up of phases (6.2.6 and later: all beans of a phase at once on the bootstrap
 * executor, then wait for all), whose floor is {@link LayeredGraph#phasedNanos(long[])}. Both
 * coldstart and Spring's concurrent phases get as many threads as there are components.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class B2TimedStarts {

    /** The graph and the start times (fixed seed), shared by every peer of a trial. */
    @State(Scope.Benchmark)
    public static class Plan {
        /** Components in the graph. */
        @Param("200")
        public int components;
        /** Layers of the graph. */
        @Param("10")
        public int layers;
        /** Dependencies of each component outside the first layer. */
        @Param("3")
        public int dependencies;
        /** The shortest start, in milliseconds. */
        @Param("10")
        public int minStartMillis;
        /** The longest start, in milliseconds. */
        @Param("100")
        public int maxStartMillis;

        LayeredGraph graph;
        long[] startNanos;
        ExecutorService bootstrap;

        /** Draws the graph and the start times (seed 42). */
        @Setup(Level.Trial)
        public void draw() {
            graph = LayeredGraph.random(components, layers, dependencies, 42);
            startNanos = startNanos(components, minStartMillis, maxStartMillis, 42);
            bootstrap = Executors.newFixedThreadPool(components);
        }

        /** Ends the bootstrap executor. */
        @TearDown(Level.Trial)
        public void end() {
            bootstrap.shutdownNow();
        }
    }

    /**
     * Draws uniformly distributed start times.
     *
     * @param count how many
     * @param minMillis the shortest, in milliseconds
     * @param maxMillis the longest, in milliseconds
     * @param seed the random seed
     * @return the start times in nanoseconds
     */
    public static long[] startNanos(int count, int minMillis, int maxMillis, long seed) {
        Random random = new Random(seed);
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            nanos[i] = TimeUnit.MILLISECONDS.toNanos(minMillis + random.nextInt(maxMillis - minMillis + 1));
        }
        return nanos;
    }

    /** Fresh coldstart components for each invocation. */
    @State(Scope.Thread)
    public static class Ours {
        List<Component> components;
        StartupOrchestrator started;

        /**
         * Builds the components.
         *
         * @param plan the graph
         */
        @Setup(Level.Invocation)
        public void build(Plan plan) {
            components = Peers.components(plan.graph, plan.startNanos, true);
        }

        /** Stops what the invocation started, outside the measurement. */
        @TearDown(Level.Invocation)
        public void stop() {
            if (started != null) {
                started.stop();
                started = null;
            }
        }
    }

    /** A fresh Spring bean factory (phase = depth) for each invocation. */
    @State(Scope.Thread)
    public static class Spring {
        DefaultListableBeanFactory beans;

        /**
         * Builds the bean factory.
         *
         * @param plan the graph
         */
        @Setup(Level.Invocation)
        public void build(Plan plan) {
            beans = Peers.beans(plan.graph, plan.startNanos, false, true);
            beans.setBootstrapExecutor(plan.bootstrap);
        }
    }

    /**
     * coldstart with one worker per component: each starts as soon as its dependencies are healthy.
     *
     * @param plan the graph
     * @param ours the components
     * @return the report
     */
    @Benchmark
    public StartupReport coldstart(Plan plan, Ours ours) {
        ours.started = StartupOrchestrator.builder().maxParallelStarts(plan.components)
                .components(ours.components).build();
        return ours.started.start();
    }

    /**
     * coldstart with its default 8 workers, for reference: fewer threads than ready components.
     *
     * @param ours the components
     * @return the report
     */
    @Benchmark
    public StartupReport coldstartDefaultWorkers(Ours ours) {
        ours.started = StartupOrchestrator.builder().components(ours.components).build();
        return ours.started.start();
    }

    /**
     * Spring's concurrent phases: every bean of a phase at once, the next phase after all returned.
     *
     * @param plan the graph
     * @param spring the beans
     * @return the processor
     */
    @Benchmark
    public DefaultLifecycleProcessor springPhasesConcurrent(Plan plan, Spring spring) {
        DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
        Map<Integer, Long> phases = new HashMap<>();
        for (int k = 0; k < plan.layers; k++) {
            phases.put(k, TimeUnit.MINUTES.toMillis(1));
        }
        processor.setConcurrentStartupForPhases(phases);
        processor.setBeanFactory(spring.beans);
        processor.onRefresh();
        return processor;
    }

    /**
     * Spring as it comes: phases in order, the beans of a phase one after the other.
     *
     * @param spring the beans
     * @return the processor
     */
    @Benchmark
    public DefaultLifecycleProcessor springPhasesSequential(Spring spring) {
        DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
        processor.setBeanFactory(spring.beans);
        processor.onRefresh();
        return processor;
    }
}
