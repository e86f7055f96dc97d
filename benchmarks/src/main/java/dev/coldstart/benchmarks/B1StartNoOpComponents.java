package dev.coldstart.benchmarks;

import com.google.common.util.concurrent.ServiceManager;
import dev.coldstart.core.Component;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import java.util.List;
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
 * B1: the time to start many no-op components, from the built parts to all started. coldstart
 * builds its orchestrator (graph validation included) and starts the components of a random layered
 * graph, honouring every dependency; Guava's {@code ServiceManager} is built and started over as many
 * no-op services (it knows no dependencies); Spring's {@code DefaultLifecycleProcessor} starts as many
 * {@code SmartLifecycle} beans, once without and once with the graph as depends-on. Each invocation
 * starts fresh parts (built in an untimed set-up); a single shot each, so per-invocation set-up is
 * what JMH advises for this mode.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class B1StartNoOpComponents {

    /** The graph, shared by every peer of a trial. */
    @State(Scope.Benchmark)
    public static class Plan {
        /** Components, services or beans started by each invocation. */
        @Param("10000")
        public int components;
        /** Dependencies of each component outside the first layer. */
        @Param("3")
        public int dependencies;
        /** Layers of the graph. */
        @Param("20")
        public int layers;
        /** coldstart's worker threads (its default). */
        @Param("8")
        public int maxParallelStarts;

        LayeredGraph graph;

        /** Draws the graph (seed 42). */
        @Setup(Level.Trial)
        public void draw() {
            graph = LayeredGraph.random(components, layers, dependencies, 42);
        }
    }

    /** Fresh coldstart components for each invocation. */
    @State(Scope.Thread)
    public static class Ours {
        List<Component> withDependencies;
        List<Component> independent;
        StartupOrchestrator started;

        /**
         * Builds the components.
         *
         * @param plan the graph
         */
        @Setup(Level.Invocation)
        public void build(Plan plan) {
            withDependencies = Peers.components(plan.graph, null, true);
            independent = Peers.components(plan.graph, null, false);
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

    /** Fresh Guava services for each invocation. */
    @State(Scope.Thread)
    public static class Guava {
        List<Peers.NoOpService> services;
        ServiceManager started;

        /**
         * Builds the services.
         *
         * @param plan the graph
         */
        @Setup(Level.Invocation)
        public void build(Plan plan) {
            services = Peers.services(plan.graph.size());
        }

        /** Stops what the invocation started, outside the measurement. */
        @TearDown(Level.Invocation)
        public void stop() {
            if (started != null) {
                started.stopAsync().awaitStopped();
                started = null;
            }
        }
    }

    /** Fresh Spring bean factories for each invocation. */
    @State(Scope.Thread)
    public static class Spring {
        DefaultListableBeanFactory independent;
        DefaultListableBeanFactory dependsOn;

        /**
         * Builds the bean factories.
         *
         * @param plan the graph
         */
        @Setup(Level.Invocation)
        public void build(Plan plan) {
            independent = Peers.beans(plan.graph, null, false, false);
            dependsOn = Peers.beans(plan.graph, null, true, false);
        }
    }

    /**
     * coldstart: build the orchestrator over the graph and start it to READY.
     *
     * @param plan the graph
     * @param ours the components
     * @return the report, so the work is not optimised away
     */
    @Benchmark
    public StartupReport coldstart(Plan plan, Ours ours) {
        ours.started = StartupOrchestrator.builder().maxParallelStarts(plan.maxParallelStarts)
                .components(ours.withDependencies).build();
        return ours.started.start();
    }

    /**
     * coldstart without edges, to separate the cost of dependencies from the orchestrator's own.
     *
     * @param plan the graph
     * @param ours the components
     * @return the report
     */
    @Benchmark
    public StartupReport coldstartNoDependencies(Plan plan, Ours ours) {
        ours.started = StartupOrchestrator.builder().maxParallelStarts(plan.maxParallelStarts)
                .components(ours.independent).build();
        return ours.started.start();
    }

    /**
     * Guava: build a {@code ServiceManager} over the services and wait until all are running.
     *
     * @param guava the services
     * @return the manager
     */
    @Benchmark
    public ServiceManager guavaServiceManager(Guava guava) {
        guava.started = new ServiceManager(guava.services);
        guava.started.startAsync().awaitHealthy();
        return guava.started;
    }

    /**
     * Spring: start the beans in one phase, as a context refresh does.
     *
     * @param spring the beans
     * @return the processor
     */
    @Benchmark
    public DefaultLifecycleProcessor springLifecycleProcessor(Spring spring) {
        return refresh(spring.independent);
    }

    /**
     * Spring with the graph as depends-on: a bean's dependencies are started before it.
     *
     * @param spring the beans
     * @return the processor
     */
    @Benchmark
    public DefaultLifecycleProcessor springLifecycleProcessorDependsOn(Spring spring) {
        return refresh(spring.dependsOn);
    }

    private static DefaultLifecycleProcessor refresh(DefaultListableBeanFactory beans) {
        DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
        processor.setBeanFactory(beans);
        processor.onRefresh();
        return processor;
    }
}
