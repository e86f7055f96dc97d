package dev.coldstart.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;

/**
 * A random layered dependency graph, the same for every peer of a row: nodes are split into layers of
 * equal width; a node of layer {@code k > 0} depends on one random node of layer {@code k - 1} (so its
 * depth is exactly {@code k}) and on {@code dependencies - 1} further random nodes of earlier layers.
 * Layer 0 has no dependencies. Deterministic for a seed. Immutable.
 */
public final class LayeredGraph {
    private final int[] layer;
    private final int[][] dependencies;
    private final int layers;

    private LayeredGraph(int[] layer, int[][] dependencies, int layers) {
        this.layer = layer;
        this.dependencies = dependencies;
        this.layers = layers;
    }

    /**
     * Draws a graph.
     *
     * @param nodes the number of nodes, at least {@code layers}
     * @param layers the number of layers (the depth plus one), at least 1
     * @param dependencies the dependencies of a node outside layer 0, at least 1 (fewer where earlier
     *     layers hold fewer nodes)
     * @param seed the random seed
     * @return the graph
     * @throws IllegalArgumentException if a count is out of range
     */
    public static LayeredGraph random(int nodes, int layers, int dependencies, long seed) {
        if (layers < 1 || nodes < layers || dependencies < 1) {
            throw new IllegalArgumentException("nodes >= layers >= 1 and dependencies >= 1 expected, but was nodes="
                    + nodes + ", layers=" + layers + ", dependencies=" + dependencies);
        }
        Random random = new Random(seed);
        int[] layer = new int[nodes];
        int[] firstOfLayer = new int[layers + 1];
        for (int i = 0; i < nodes; i++) {
            layer[i] = (int) ((long) i * layers / nodes);
        }
        for (int k = 0, i = 0; k <= layers; k++) {
            while (i < nodes && layer[i] < k) {
                i++;
            }
            firstOfLayer[k] = i;
        }
        int[][] deps = new int[nodes][];
        for (int i = 0; i < nodes; i++) {
            int k = layer[i];
            if (k == 0) {
                deps[i] = new int[0];
                continue;
            }
            int previousFrom = firstOfLayer[k - 1];
            int previousWidth = firstOfLayer[k] - previousFrom;
            int earlier = firstOfLayer[k];
            Set<Integer> chosen = new LinkedHashSet<>();
            chosen.add(previousFrom + random.nextInt(previousWidth));
            int wanted = Math.min(dependencies, earlier);
            while (chosen.size() < wanted) {
                chosen.add(random.nextInt(earlier));
            }
            deps[i] = chosen.stream().mapToInt(Integer::intValue).toArray();
        }
        return new LayeredGraph(layer, deps, layers);
    }

    /**
     * The number of nodes.
     *
     * @return the count
     */
    public int size() {
        return layer.length;
    }

    /**
     * The number of layers.
     *
     * @return the count
     */
    public int layers() {
        return layers;
    }

    /**
     * A node's layer, which is also its depth (the longest chain of dependencies below it).
     *
     * @param node the node, 0 to {@code size() - 1}
     * @return the layer
     */
    public int layer(int node) {
        return layer[node];
    }

    /**
     * A node's dependencies.
     *
     * @param node the node, 0 to {@code size() - 1}
     * @return a copy of the indices of the nodes it depends on
     */
    public int[] dependencies(int node) {
        return dependencies[node].clone();
    }

    /**
     * The number of edges.
     *
     * @return the sum of all nodes' dependencies
     */
    public long edges() {
        return Arrays.stream(dependencies).mapToLong(d -> d.length).sum();
    }

    /**
     * The name of a node as a component, a service or a bean: {@code c} and the index, zero-padded.
     *
     * @param node the node
     * @return the name
     */
    public static String name(int node) {
        return String.format(java.util.Locale.ROOT, "c%05d", node);
    }

    /**
     * The critical path: the largest sum of durations along a chain of dependencies, what no
     * orchestrator can beat when every node takes its duration to start.
     *
     * @param durationNanos each node's start duration
     * @return the critical path in nanoseconds
     */
    public long criticalPathNanos(long[] durationNanos) {
        long[] finish = new long[size()];
        long max = 0;
        // Dependencies always lie in earlier layers and nodes are ordered by layer: one pass suffices.
        for (int i = 0; i < size(); i++) {
            long ready = 0;
            for (int d : dependencies[i]) {
                ready = Math.max(ready, finish[d]);
            }
            finish[i] = ready + durationNanos[i];
            max = Math.max(max, finish[i]);
        }
        return max;
    }

    /**
     * What phased start-up takes: the layers one after the other, each as long as its slowest node.
     *
     * @param durationNanos each node's start duration
     * @return the sum over layers of the layer's longest duration, in nanoseconds
     */
    public long phasedNanos(long[] durationNanos) {
        long[] slowest = new long[layers];
        for (int i = 0; i < size(); i++) {
            slowest[layer[i]] = Math.max(slowest[layer[i]], durationNanos[i]);
        }
        return Arrays.stream(slowest).sum();
    }
}
