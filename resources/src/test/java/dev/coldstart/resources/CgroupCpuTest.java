package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class CgroupCpuTest {

    static Path fixture(String name) throws Exception {
        return Paths.get(CgroupCpuTest.class.getResource("/cgroup/" + name).toURI());
    }

    @Test
    void readsTheMostRestrictiveV2QuotaAlongThePathAndSizesFromIt() throws Exception {
        CpuQuota q = CgroupCpu.at(fixture("v2"), 8).quota();
        assertThat(q.source()).isEqualTo(CpuQuota.Source.CGROUP_V2);
        assertThat(q.quotaCpus()).hasValueCloseTo(1.5, within(1e-9));
        assertThat(q.periodMicros()).isEqualTo(100_000);
        assertThat(q.cgroupDirectory()).endsWith(Paths.get("kubepods.slice", "pod1.slice", "ctr.scope"));
        assertThat(q.visibleCpus()).isEqualTo(8);
        assertThat(q.effectiveCpus()).isEqualTo(2);
        assertThat(q.threads(2.0, 1, 64)).isEqualTo(4);
        assertThat(q.threads(1.0, 3, 64)).isEqualTo(3);
    }

    @Test
    void readsV2ThrottlingCountersInNanoseconds() throws Exception {
        CpuThrottling t = CgroupCpu.at(fixture("v2"), 8).throttling();
        assertThat(t.periods()).isEqualTo(120);
        assertThat(t.throttledPeriods()).isEqualTo(7);
        assertThat(t.throttledNanos()).isEqualTo(350_000_000L);
    }

    @Test
    void readsV1QuotaFromAContainerWhoseMountRootIsItsOwnCgroup() throws Exception {
        CpuQuota q = CgroupCpu.at(fixture("v1"), 16).quota();
        assertThat(q.source()).isEqualTo(CpuQuota.Source.CGROUP_V1);
        assertThat(q.quotaCpus()).hasValueCloseTo(0.5, within(1e-9));
        assertThat(q.effectiveCpus()).isEqualTo(1);
        assertThat(q.cgroupDirectory().getFileName().toString()).isEqualTo("cpu,cpuacct");
        CpuThrottling t = CgroupCpu.at(fixture("v1"), 16).throttling();
        assertThat(t.throttledPeriods()).isEqualTo(12);
        assertThat(t.throttledNanos()).isEqualTo(812_000_000L);
        assertThat(t.throttledRatio()).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void withoutACpuControllerUsesTheVisibleCpus() throws Exception {
        CgroupCpu none = CgroupCpu.at(fixture("none"), 6);
        assertThat(none.quota().source()).isEqualTo(CpuQuota.Source.NONE);
        assertThat(none.quota().quotaCpus()).isEmpty();
        assertThat(none.quota().effectiveCpus()).isEqualTo(6);
        assertThat(none.throttling().throttledPeriods()).isZero();
    }

    @Test
    void readsThisMachinesRealFilesAsTheJvmDoes() throws Exception {
        CgroupCpu real = CgroupCpu.detect();
        CpuQuota q = real.quota();
        assertThat(q.source()).isNotEqualTo(CpuQuota.Source.NONE);
        assertThat(q.cgroupDirectory()).isDirectory();
        // The JVM derives availableProcessors() from the same quota (container support): the counts agree.
        assertThat(q.effectiveCpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        String quotaFile = q.source() == CpuQuota.Source.CGROUP_V2 ? "cpu.max" : "cpu.cfs_quota_us";
        Path dir = q.cgroupDirectory();
        if (Files.isRegularFile(dir.resolve(quotaFile))) {
            String raw = Files.readString(dir.resolve(quotaFile)).trim();
            // The process's own cgroup file: a limit there bounds the quota (a parent may restrict further).
            String[] f = raw.split("\\s+");
            if (!f[0].equals("max") && !f[0].equals("-1")) {
                double leaf = Double.parseDouble(f[0]) / (f.length > 1 ? Double.parseDouble(f[1])
                        : Double.parseDouble(Files.readString(dir.resolve("cpu.cfs_period_us")).trim()));
                assertThat(q.quotaCpus()).isPresent();
                assertThat(q.quotaCpus().getAsDouble()).isLessThanOrEqualTo(leaf);
            }
        }
        CpuThrottling first = real.throttling();
        CpuThrottling second = real.throttling();
        assertThat(second.periods()).isGreaterThanOrEqualTo(first.periods());
        assertThat(second.throttledPeriods()).isGreaterThanOrEqualTo(first.throttledPeriods()).isNotNegative();
    }
}
