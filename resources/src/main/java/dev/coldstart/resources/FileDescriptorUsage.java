package dev.coldstart.resources;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * How many file descriptors the process has open and how many it may open, as the JVM and the
 * kernel report them; nothing is estimated.
 *
 * <p>{@link #current()} reads {@link UnixOperatingSystemMXBean#getOpenFileDescriptorCount()} (the
 * entries of {@code /proc/self/fd}) and {@link UnixOperatingSystemMXBean#getMaxFileDescriptorCount()}
 * (the soft {@code RLIMIT_NOFILE}, what {@code ulimit -n} shows), the same sources as Micrometer's
 * {@code FileDescriptorMetrics}. Note that HotSpot raises the soft limit to the hard limit at start
 * ({@code -XX:+MaxFDLimit}, on by default), so the limit that binds a JVM is the hard one: set
 * both ({@code ulimit -n 256}, systemd {@code LimitNOFILE}, docker {@code --ulimit nofile=256:256}).
 *
 * <p>Immutable and thread-safe.
 */
public final class FileDescriptorUsage {
    private final long open;
    private final long max;

    private FileDescriptorUsage(long open, long max) {
        this.open = open;
        this.max = max;
    }

    /**
     * Creates a reading from known numbers, for tests and for readings taken elsewhere.
     *
     * @param open open descriptors; zero or more
     * @param max the limit; greater than 0
     * @return the reading
     * @throws ConfigurationException if a number breaks its rule
     */
    public static FileDescriptorUsage of(long open, long max) {
        if (open < 0) {
            throw new ConfigurationException("open must be greater than or equal to 0, but was " + open);
        }
        Checks.positive(max, "max");
        return new FileDescriptorUsage(open, max);
    }

    /**
     * Reads the process's numbers now. Costs one directory listing of {@code /proc/self/fd} (which
     * itself needs one free descriptor): call it from a monitor, not on every request.
     *
     * @return the current reading
     * @throws UnsupportedOperationException on a platform whose JVM does not offer
     *     {@link UnixOperatingSystemMXBean} (Windows), where descriptors are not limited this way
     */
    public static FileDescriptorUsage current() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean)) {
            throw new UnsupportedOperationException("file descriptors - this JVM (" + os.getName()
                    + ") does not report open file descriptors; the budget and monitor need a Unix JVM");
        }
        UnixOperatingSystemMXBean unix = (UnixOperatingSystemMXBean) os;
        return new FileDescriptorUsage(unix.getOpenFileDescriptorCount(), unix.getMaxFileDescriptorCount());
    }

    /**
     * The hard open-files limit from {@code /proc/self/limits} ("Max open files"), the ceiling to
     * which the soft limit may be raised.
     *
     * @return the hard limit, or -1 when unlimited or when the file cannot be read (not Linux)
     */
    public static long hardLimit() {
        return readLimits(Paths.get("/proc/self/limits"))[1];
    }

    /**
     * Parses the "Max open files" row of a {@code /proc/<pid>/limits} file.
     *
     * @param limitsFile the file
     * @return {@code {soft, hard}}, each -1 when unlimited or unreadable
     */
    static long[] readLimits(Path limitsFile) {
        try {
            for (String line : Files.readAllLines(limitsFile, StandardCharsets.UTF_8)) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return new long[] {parse(f[0]), parse(f[1])};
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or an unexpected layout: the MXBean's soft limit still applies.
        }
        return new long[] {-1, -1};
    }

    private static long parse(String s) {
        return "unlimited".equals(s) ? -1 : Long.parseLong(s);
    }

    /**
     * Open descriptors: files, sockets, pipes, the JVM's own jars.
     *
     * @return zero or more
     */
    public long open() {
        return open;
    }

    /**
     * The soft open-files limit of the process.
     *
     * @return greater than 0
     */
    public long max() {
        return max;
    }

    /**
     * Descriptors that may still be opened.
     *
     * @return {@code max - open}, never negative
     */
    public long free() {
        return Math.max(0, max - open);
    }

    /**
     * The used fraction of the limit.
     *
     * @return {@code open / max}, from 0.0 up
     */
    public double ratio() {
        return (double) open / max;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d of %d open files (%.0f %%)", open, max, ratio() * 100);
    }
}
