package dev.coldstart.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GraphValidationTest {

    private final AtomicInteger starts = new AtomicInteger();

    private Component c(String name, String... deps) {
        return Component.builder(name).dependsOn(deps).onStart(starts::incrementAndGet).build();
    }

    @Test
    void rejectsCycleAndNamesItsPath() {
        assertThatThrownBy(() -> StartupOrchestrator.builder()
                .component(c("a", "b")).component(c("b", "c")).component(c("c", "a")).component(c("d"))
                .build())
                .isInstanceOf(GraphValidationException.class)
                .hasMessageContaining("cycle: a -> b -> c -> a");
        assertThat(starts).hasValue(0);
    }

    @Test
    void rejectsSelfDependency() {
        assertThatThrownBy(() -> StartupOrchestrator.builder().component(c("a", "a")).build())
                .isInstanceOf(GraphValidationException.class)
                .hasMessageContaining("cycle: a -> a");
    }

    @Test
    void rejectsMissingDependencyNamingItAndWhoNeedsIt() {
        assertThatThrownBy(() -> StartupOrchestrator.builder().component(c("api", "db")).build())
                .isInstanceOf(GraphValidationException.class)
                .hasMessageContaining("missing dependency 'db' needed by 'api'");
    }

    @Test
    void rejectsDuplicateName() {
        assertThatThrownBy(() -> StartupOrchestrator.builder().component(c("db")).component(c("db")).build())
                .isInstanceOf(GraphValidationException.class)
                .hasMessageContaining("duplicate component name 'db'");
    }

    @Test
    void rejectsRequiredComponentDependingOnOptionalOne() {
        Component cache = Component.builder("cache").optional().build();
        assertThatThrownBy(() -> StartupOrchestrator.builder().component(cache).component(c("api", "cache")).build())
                .isInstanceOf(GraphValidationException.class)
                .hasMessageContaining("required component 'api' depends on optional 'cache'");
    }

    @Test
    void listsEveryProblemAtOnce() {
        GraphValidationException e = org.junit.jupiter.api.Assertions.assertThrows(GraphValidationException.class,
                () -> StartupOrchestrator.builder()
                        .component(c("a", "b")).component(c("b", "a")).component(c("x", "nowhere")).build());
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("cycle: a -> b -> a"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("missing dependency 'nowhere' needed by 'x'"));
    }

    @Test
    void acceptsLongChainWithoutStackOverflow() {
        StartupOrchestrator.Builder b = StartupOrchestrator.builder();
        b.component(c("n0"));
        for (int i = 1; i < 20_000; i++) {
            b.component(c("n" + i, "n" + (i - 1)));
        }
        assertThat(b.build().availability().components()).hasSize(20_000);
    }
}
