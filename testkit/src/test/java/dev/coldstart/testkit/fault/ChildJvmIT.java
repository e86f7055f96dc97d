package dev.coldstart.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child JVMs with real OS limits, started from the test classpath. */
class ChildJvmIT {
    private static final Duration START = Duration.ofSeconds(20);

    @Test
    void childUnderUlimitNofile256SeesItsLimitAndRunsOutOfDescriptorsBelowIt() {
        try (ChildJvm child = ChildJvm.start(ChildJvmConfig.builder(ChildMains.PrintLimits.class)
                .openFilesLimit(256).build())) {
            MatchResult limit = child.awaitMatch(Pattern.compile("MAX_OPEN_FILES_SOFT (\\d+) HARD (\\d+)"), START);
            assertThat(limit.group(1)).isEqualTo("256");
            assertThat(limit.group(2)).isEqualTo("256");
            MatchResult opened = child.awaitMatch(Pattern.compile("OPENED_UNTIL_FAILURE (\\d+) (.*)"), START);
            assertThat(Integer.parseInt(opened.group(1))).isBetween(200, 255);
            assertThat(opened.group(2)).contains("Too many open files");
            assertThat(child.awaitExit(START)).isZero();
            assertThat(child.command()).startsWith("bash", "-c", "ulimit -n 256 && exec \"$0\" \"$@\"");
        }
    }

    @Test
    void childWithMaxHeap32MegabytesReportsThatHeapLimit() {
        try (ChildJvm child = ChildJvm.start(ChildJvmConfig.builder(ChildMains.PrintLimits.class)
                .maxHeapBytes(32L * 1024 * 1024).build())) {
            MatchResult heap = child.awaitMatch(Pattern.compile("MAX_HEAP (\\d+)"), START);
            assertThat(Long.parseLong(heap.group(1))).isBetween(24L * 1024 * 1024, 32L * 1024 * 1024);
            assertThat(child.command()).contains("-Xmx32m");
        }
    }

    @Test
    void passesArgumentsPropertiesAndEnvironmentAndCapturesBothStreamsToMemoryAndFile(@TempDir Path dir)
            throws IOException {
        Path out = dir.resolve("child.log");
        try (ChildJvm child = ChildJvm.start(ChildJvmConfig.builder(ChildMains.EchoArgs.class)
                .args("a b", "c")
                .systemProperty("coldstart.test.property", "p=1")
                .environment("COLDSTART_TEST_ENV", "e1")
                .outputFile(out)
                .build())) {
            assertThat(child.awaitExit(START)).isEqualTo(3);
            assertThat(child.exitCode()).hasValue(3);
            assertThat(child.stdout()).containsExactly("ARGS a b,c", "PROPERTY p=1");
            assertThat(child.stderr()).containsExactly("ENV e1");
            assertThat(child.output()).hasSize(3);
        }
        assertThat(Files.readAllLines(out)).contains("ARGS a b,c", "PROPERTY p=1", "[stderr] ENV e1");
    }

    @Test
    void awaitLineFailsAtItsDeadlineShowingWhatWasAwaitedAndTheLastLines() {
        try (ChildJvm child = ChildJvm.start(ChildJvmConfig.builder(ChildMains.Quiet.class).build())) {
            child.awaitLine(Pattern.compile("hello"), START);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> child.awaitLine(Pattern.compile("NEVER"), Duration.ofMillis(500)))
                    .isInstanceOf(ChildJvmException.class)
                    .hasMessageContaining("/NEVER/")
                    .hasMessageContaining("within 500 ms")
                    .hasMessageContaining("hello from the quiet child");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(500L, 2_000L);
            assertThat(child.isAlive()).isTrue();
        }
    }

    @Test
    void awaitLineFailsEarlyWhenTheChildExitsWithoutPrintingTheLine() {
        try (ChildJvm child = ChildJvm.start(ChildJvmConfig.builder(ChildMains.EchoArgs.class).build())) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> child.awaitLine(Pattern.compile("NEVER"), Duration.ofSeconds(30)))
                    .isInstanceOf(ChildJvmException.class)
                    .hasMessageContaining("exited with code 3")
                    .satisfies(e -> assertThat(((ChildJvmException) e).exitCode()).hasValue(3));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(15_000L);
        }
    }

    @Test
    void stdinReachesTheChildAndAwaitExitFailsAtItsDeadline() {
        try (ChildJvm child = ChildJvm.start(ChildJvmConfig.builder(ChildMains.Quiet.class).build())) {
            child.awaitLine(Pattern.compile("hello"), START);
            child.sendLine("x");
            child.awaitLine(Pattern.compile("still here"), START);
            assertThatThrownBy(() -> child.awaitExit(Duration.ofMillis(300)))
                    .isInstanceOf(ChildJvmException.class).hasMessageContaining("did not exit within 300 ms");
            child.closeStdin();
            assertThat(child.awaitExit(START)).isZero();
        }
    }

    @Test
    void closeKillsTheWholeProcessTree() {
        ChildJvm child = ChildJvm.start(ChildJvmConfig.builder(ChildMains.WithGrandchild.class).build());
        long grandchildPid;
        try {
            grandchildPid = Long.parseLong(child.awaitMatch(Pattern.compile("GRANDCHILD (\\d+)"), START).group(1));
            assertThat(ProcessHandle.of(grandchildPid)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
            assertThat(child.processHandle().descendants().mapToLong(ProcessHandle::pid)).contains(grandchildPid);
        } finally {
            child.close();
        }
        assertThat(child.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(grandchildPid)
                .map(h -> !h.isAlive()).orElse(true));
    }
}
