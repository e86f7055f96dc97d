package dev.coldstart.benchmarks;

import com.google.common.util.concurrent.AbstractService;
import dev.coldstart.core.Component;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The same start-up work in the shape of each peer: coldstart {@link Component}s, Guava
 * {@link com.google.common.util.concurrent.Service}s and Spring {@link SmartLifecycle} beans, built
 * from one {@link LayeredGraph} so every peer starts the same nodes.
 */
public final class Peers {
    private Peers() {
    }

    /**
     * Waits the given time without using a processor: the start work of a component whose start
     * waits on I/O (a connection, a fetch). A timed park, re-parked until the time has passed, since a
     * park may return early; it is the work being measured, not synchronisation.
     *
     * @param nanos how long, in nanoseconds; 0 or less returns at once
     */
    public static void work(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * coldstart components for the graph.
     *
     * @param graph the graph
     * @param startNanos each node's start work, or null for no-op starts
     * @param withDependencies false to drop the edges (every component independent)
     * @return the components in node order
     */
    public static List<Component> components(LayeredGraph graph, long[] startNanos, boolean withDependencies) {
        List<Component> all = new ArrayList<>(graph.size());
        for (int i = 0; i < graph.size(); i++) {
            var b = Component.builder(LayeredGraph.name(i));
            if (withDependencies) {
                for (int d : graph.dependencies(i)) {
                    b.dependsOn(LayeredGraph.name(d));
                }
            }
            if (startNanos != null) {
                long nanos = startNanos[i];
                b.onStart(() -> work(nanos));
            }
            all.add(b.build());
        }
        return all;
    }

    /**
     * Guava services for the graph (Guava's {@code ServiceManager} knows no dependencies: every
     * service is independent).
     *
     * @param count the number of services
     * @return no-op services that start and stop on the calling thread
     */
    public static List<NoOpService> services(int count) {
        List<NoOpService> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(new NoOpService());
        }
        return all;
    }

    /**
     * A bean factory holding one {@link SmartLifecycle} bean per node.
     *
     * @param graph the graph
     * @param startNanos each node's start work, or null for no-op starts
     * @param dependsOn register the edges as Spring's depends-on, which {@code DefaultLifecycleProcessor}
     *     honours by starting a bean's dependencies first
     * @param phaseByDepth give each bean its depth as its phase (else all share the default phase)
     * @return the bean factory
     */
    public static DefaultListableBeanFactory beans(LayeredGraph graph, long[] startNanos, boolean dependsOn,
            boolean phaseByDepth) {
        DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
        for (int i = 0; i < graph.size(); i++) {
            factory.registerSingleton(LayeredGraph.name(i), new Bean(startNanos == null ? 0 : startNanos[i],
                    phaseByDepth ? graph.layer(i) : SmartLifecycle.DEFAULT_PHASE));
        }
        if (dependsOn) {
            for (int i = 0; i < graph.size(); i++) {
                for (int d : graph.dependencies(i)) {
                    factory.registerDependentBean(LayeredGraph.name(d), LayeredGraph.name(i));
                }
            }
        }
        return factory;
    }

    /** A Guava service that starts and stops at once. */
    public static final class NoOpService extends AbstractService {
        /** Creates a new, not yet started service. */
        public NoOpService() {
        }

        @Override
        protected void doStart() {
            notifyStarted();
        }

        @Override
        protected void doStop() {
            notifyStopped();
        }
    }

    /** A Spring bean whose start does the node's work. */
    public static final class Bean implements SmartLifecycle {
        private final long startNanos;
        private final int phase;
        private volatile boolean running;

        Bean(long startNanos, int phase) {
            this.startNanos = startNanos;
            this.phase = phase;
        }

        @Override
        public void start() {
            work(startNanos);
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }
}
