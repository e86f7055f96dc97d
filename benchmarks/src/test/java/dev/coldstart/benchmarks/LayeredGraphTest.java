package dev.coldstart.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LayeredGraphTest {

    @Test
    void givesEveryNodeOutsideTheFirstLayerOneDependencyInThePreviousLayerAndTheRestEarlier() {
        LayeredGraph g = LayeredGraph.random(1_000, 10, 3, 7);

        assertThat(g.size()).isEqualTo(1_000);
        for (int i = 0; i < g.size(); i++) {
            int[] deps = g.dependencies(i);
            if (g.layer(i) == 0) {
                assertThat(deps).isEmpty();
                continue;
            }
            assertThat(deps).hasSize(3).doesNotHaveDuplicates();
            assertThat(g.layer(deps[0])).isEqualTo(g.layer(i) - 1);
            for (int d : deps) {
                assertThat(g.layer(d)).isLessThan(g.layer(i));
            }
        }
        assertThat(g.edges()).isEqualTo(900L * 3);
    }

    @Test
    void drawsTheSameGraphForTheSameSeed() {
        LayeredGraph a = LayeredGraph.random(200, 10, 3, 42);
        LayeredGraph b = LayeredGraph.random(200, 10, 3, 42);

        for (int i = 0; i < 200; i++) {
            assertThat(a.dependencies(i)).containsExactly(b.dependencies(i));
        }
    }

    @Test
    void criticalPathIsTheLongestChainAndPhasesWaitForTheSlowestOfEachLayer() {
        // Two layers of two: node 2 depends on node 0 (and, drawn, maybe node 1); node 3 likewise.
        LayeredGraph g = LayeredGraph.random(4, 2, 1, 1);
        long[] d = {10, 50, 5, 7};

        long viaZero = 10 + Math.max(5, 7);
        assertThat(g.criticalPathNanos(d)).isBetween(viaZero, 50 + 7L);
        assertThat(g.phasedNanos(d)).isEqualTo(50 + 7);
    }
}
