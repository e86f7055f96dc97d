package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.resources.metrics.LoadShedderMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class LoadShedderTest {

    @Test
    void shedsWhileAnySourceIsRaisedAndKeepsTheFirstReason() {
        LoadShedder shedder = LoadShedder.create();
        assertThat(shedder.shouldShed()).isFalse();
        assertThat(shedder.reason()).isNull();

        shedder.shed("fd-monitor", "243 of 256 open files (95 %)");
        shedder.shed("memory", "old gen at 90 %");
        assertThat(shedder.shouldShed()).isTrue();
        assertThat(shedder.reason()).isEqualTo("243 of 256 open files (95 %)");
        assertThat(shedder.sources()).containsExactly("fd-monitor", "memory");

        shedder.clear("fd-monitor");
        assertThat(shedder.shouldShed()).isTrue();
        assertThat(shedder.reason()).isEqualTo("old gen at 90 %");

        shedder.clear("memory");
        shedder.clear("never-raised");
        assertThat(shedder.shouldShed()).isFalse();
        assertThat(shedder.sources()).isEmpty();
    }

    @Test
    void countsTheWorkTurnedAwayAndPublishesItThroughMicrometer() {
        LoadShedder shedder = LoadShedder.create();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LoadShedderMetrics.bind(shedder, registry, Tags.of("service", "orders"));
        assertThat(registry.get("coldstart.load.shedding").tag("service", "orders").gauge().value()).isZero();

        shedder.shed("fd-monitor", "243 of 256 open files (95 %)");
        for (int i = 0; i < 3; i++) {
            if (shedder.shouldShed()) {
                shedder.recordShed();
            }
        }
        assertThat(shedder.shedCount()).isEqualTo(3);
        assertThat(registry.get("coldstart.load.shedding").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("coldstart.load.shed").functionCounter().count()).isEqualTo(3.0);
        assertThat(shedder.shedCount()).as("a scrape reads the switch without counting").isEqualTo(3);

        shedder.clear("fd-monitor");
        assertThat(registry.get("coldstart.load.shedding").gauge().value()).isZero();
        assertThat(registry.get("coldstart.load.shed").functionCounter().count()).isEqualTo(3.0);
    }

    @Test
    void disabledShedderNeverShedsAndIgnoresRaises() {
        LoadShedder shedder = LoadShedder.disabled();
        shedder.shed("fd-monitor", "full");
        shedder.recordShed();
        assertThat(shedder.shouldShed()).isFalse();
        assertThat(shedder.reason()).isNull();
        assertThat(shedder.sources()).isEmpty();
        assertThat(shedder.shedCount()).isZero();
    }

    @Test
    void rejectsBlankSourceWithTheFieldName() {
        assertThatThrownBy(() -> LoadShedder.create().shed(" ", "x"))
                .isInstanceOf(ConfigurationException.class).hasMessage("source must not be blank, but was \" \"");
    }

    @Test
    void concurrentRaisesAndClearsEndConsistent() throws Exception {
        LoadShedder shedder = LoadShedder.create();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            String source = "s" + t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    shedder.shed(source, "r" + i);
                    shedder.clear(source);
                }
                shedder.shed(source, "final");
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(shedder.sources()).containsExactlyInAnyOrder("s0", "s1", "s2", "s3");
    }
}
