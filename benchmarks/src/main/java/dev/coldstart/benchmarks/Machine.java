package dev.coldstart.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the figures were measured on: processors, memory, kernel, JDK, and the load average, which
 * matters because the benchmark machine is shared with builds and tests running at the same time.
 */
public final class Machine {
    private Machine() {
    }

    /**
     * The 1-minute load average from {@code /proc/loadavg}.
     *
     * @return the load average, or -1 where {@code /proc} is absent
     */
    public static double loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII);
            return Double.parseDouble(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * One line describing the machine and the JVM.
     *
     * @return for example {@code 2 cpus, 23.4 GiB, Linux 6.1.0, OpenJDK 17.0.15}
     */
    public static String describe() {
        return String.format(java.util.Locale.ROOT, "%d cpus, %.1f GiB, %s %s, %s %s", Runtime.getRuntime().availableProcessors(),
                memTotalBytes() / (1024.0 * 1024 * 1024), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
    }

    private static long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: report the JVM's view instead
        }
        return Runtime.getRuntime().maxMemory();
    }
}
