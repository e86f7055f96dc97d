package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import org.junit.jupiter.api.Test;

class FileDescriptorPreflightTest {
    private static final FileDescriptorBudget BUDGET = FileDescriptorBudget.builder()
            .entry("orders-db", 60).entry("http", 200).headroom(64).build();

    @Test
    void grantsEveryEntryInFullWhenItFits() {
        FileDescriptorPlan plan = FileDescriptorPreflight.of(BUDGET).check(FileDescriptorUsage.of(30, 1024));
        assertThat(plan.scaledDown()).isFalse();
        assertThat(plan.granted("orders-db")).isEqualTo(60);
        assertThat(plan.granted("http")).isEqualTo(200);
    }

    @Test
    void failsFastNamingTheBudgetTheLimitAndTheFix() {
        assertThatThrownBy(() -> FileDescriptorPreflight.of(BUDGET).check(FileDescriptorUsage.of(30, 256)))
                .isInstanceOf(ResourceBudgetException.class)
                .hasMessageContaining("file-descriptor budget of 324 (orders-db 60 + http 200 + headroom 64)")
                .hasMessageContaining("does not fit the open-files limit of 256")
                .hasMessageContaining("with 30 already open")
                .hasMessageContaining("Raise the limit to at least 354")
                .hasMessageContaining("onExceeded(SCALE_DOWN)")
                .satisfies(e -> {
                    ResourceBudgetException r = (ResourceBudgetException) e;
                    assertThat(r.required()).isEqualTo(354);
                    assertThat(r.limit()).isEqualTo(256);
                    assertThat(r.resource()).isEqualTo("file descriptors");
                });
    }

    @Test
    void scalesEveryEntryDownInProportionToFitTheLimit() {
        FileDescriptorBudget budget = BUDGET.toBuilder().onExceeded(FileDescriptorBudget.OnExceeded.SCALE_DOWN).build();
        FileDescriptorPlan plan = FileDescriptorPreflight.of(budget).check(FileDescriptorUsage.of(30, 256));
        assertThat(plan.scaledDown()).isTrue();
        // 256 - 30 open - 64 headroom = 162 for the entries, shared 60:200.
        assertThat(plan.grantedTotal()).isLessThanOrEqualTo(162).isGreaterThanOrEqualTo(160);
        assertThat(plan.granted("orders-db")).isEqualTo(37);
        assertThat(plan.granted("http")).isEqualTo(124);
    }

    @Test
    void failsEvenWhenScalingDownCannotReachTheMinimum() {
        FileDescriptorBudget budget = BUDGET.toBuilder().onExceeded(FileDescriptorBudget.OnExceeded.SCALE_DOWN)
                .minimumPerEntry(50).build();
        assertThatThrownBy(() -> FileDescriptorPreflight.of(budget).check(FileDescriptorUsage.of(30, 180)))
                .isInstanceOf(ResourceBudgetException.class)
                .hasMessageContaining("scaling every entry down to 50 still does not fit");
    }

    @Test
    void checksTheRealProcessAndPublishesThePlan() {
        FileDescriptorPreflight preflight = FileDescriptorPreflight.of(FileDescriptorBudget.builder().entry("x", 1).build());
        assertThatThrownBy(preflight::plan).isInstanceOf(IllegalStateException.class);
        assertThat(preflight.probe().isUp()).isFalse();
        preflight.start();
        assertThat(preflight.probe().isUp()).isTrue();
        FileDescriptorUsage now = FileDescriptorUsage.current();
        assertThat(preflight.plan().limit()).isEqualTo(now.max());
        assertThat(preflight.plan().openAtCheck()).isPositive();
    }

    @Test
    void readsTheSameSoftLimitAsTheKernelReports() {
        long[] limits = FileDescriptorUsage.readLimits(java.nio.file.Paths.get("/proc/self/limits"));
        assertThat(FileDescriptorUsage.current().max()).isEqualTo(limits[0]);
        assertThat(FileDescriptorUsage.hardLimit()).isEqualTo(limits[1]);
    }

    @Test
    void rejectsInvalidBudgetsWithTheFieldAndValue() {
        assertThatThrownBy(() -> FileDescriptorBudget.builder().entry("http", 0))
                .isInstanceOf(ConfigurationException.class).hasMessage("descriptors must be greater than 0, but was 0");
        assertThatThrownBy(() -> FileDescriptorBudget.builder().headroom(-1))
                .isInstanceOf(ConfigurationException.class).hasMessage("headroom must be greater than or equal to 0, but was -1");
        assertThatThrownBy(() -> FileDescriptorBudget.builder().entry("http", 2).minimumPerEntry(5).build())
                .isInstanceOf(ConfigurationException.class).hasMessage("entry `http` must be at least minimumPerEntry (5), but was 2");
        assertThatThrownBy(() -> FileDescriptorMonitorConfig.builder().warnRatio(0.96).build())
                .isInstanceOf(ConfigurationException.class).hasMessage("warnRatio must be less than or equal to shedRatio (0.95), but was 0.96");
        assertThatThrownBy(() -> FileDescriptorMonitorConfig.builder().clearRatio(0.95).build())
                .isInstanceOf(ConfigurationException.class).hasMessage("clearRatio must be less than shedRatio (0.95), but was 0.95");
    }
}
