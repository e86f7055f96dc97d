package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CPU quota and the throttling counters of the process's own cgroup, cgroup v2 or v1, from
 * the kernel's files (CS-28): {@code /proc/self/cgroup} names the cgroup, {@code /proc/self/mountinfo}
 * says where the hierarchy is mounted, and the cgroup directory holds
 * <ul>
 *   <li>v2: {@code cpu.max} ({@code "<quota|max> <period>"}) and {@code cpu.stat}
 *       ({@code nr_periods}, {@code nr_throttled}, {@code throttled_usec});</li>
 *   <li>v1: {@code cpu.cfs_quota_us} ({@code -1} for none), {@code cpu.cfs_period_us} and
 *       {@code cpu.stat} ({@code nr_periods}, {@code nr_throttled}, {@code throttled_time} in ns).</li>
 * </ul>
 * The quota is the most restrictive one from the process's cgroup up to the root of the mount, as a
 * parent's limit binds its children. When v1 mounts a {@code cpu} controller it is used (hybrid hosts
 * mount an empty v2 hierarchy beside it); otherwise v2. When the cgroup path from
 * {@code /proc/self/cgroup} does not exist under the mount (a container with a private cgroup
 * namespace shows host paths on some kernels), the mount's root directory is used, as the JDK does.
 *
 * <p>The JDK reads the same files for {@link Runtime#availableProcessors()} but offers no public API
 * for the throttling counters; neither OSHI nor Micrometer's binders read cgroup quotas or
 * {@code nr_throttled}, hence this small reader. {@link #at(Path, int)} reads a fixture tree laid out
 * like a root filesystem, for tests.
 *
 * <p>Immutable and thread-safe; every call reads the files anew.
 */
public final class CgroupCpu {
    private final Path root;
    private final int visibleCpus;

    private CgroupCpu(Path root, int visibleCpus) {
        this.root = root;
        this.visibleCpus = visibleCpus;
    }

    /**
     * The reader of this process's cgroup, with {@link Runtime#availableProcessors()} as the visible CPUs.
     *
     * @return the reader
     */
    public static CgroupCpu detect() {
        return new CgroupCpu(Paths.get("/"), Runtime.getRuntime().availableProcessors());
    }

    /**
     * A reader of a tree laid out like a root filesystem ({@code proc/self/cgroup},
     * {@code proc/self/mountinfo}, {@code sys/fs/cgroup/...}).
     *
     * @param root the tree's root directory; not null
     * @param visibleCpus the CPUs the JVM would see there; at least 1
     * @return the reader
     */
    public static CgroupCpu at(Path root, int visibleCpus) {
        return new CgroupCpu(Checks.notNull(root, "root"), Checks.positive(visibleCpus, "visibleCpus"));
    }

    /**
     * Reads the quota.
     *
     * @return the quota; {@link CpuQuota.Source#NONE} with the visible CPUs when no cgroup CPU
     *     controller is found
     * @throws UncheckedIOException if a cgroup file exists but cannot be read
     */
    public CpuQuota quota() {
        Location loc = locate();
        if (loc == null) {
            return new CpuQuota(CpuQuota.Source.NONE, 0, 0, visibleCpus, null);
        }
        double best = 0;
        long bestPeriod = 0;
        for (Path dir = loc.directory; dir != null && dir.startsWith(loc.mountPoint); dir = dir.getParent()) {
            long quota;
            long period;
            if (loc.source == CpuQuota.Source.CGROUP_V2) {
                Path max = dir.resolve("cpu.max");
                if (!Files.isRegularFile(max)) {
                    continue;
                }
                String[] f = read(max).trim().split("\\s+");
                quota = "max".equals(f[0]) ? -1 : Long.parseLong(f[0]);
                period = f.length > 1 ? Long.parseLong(f[1]) : 100_000;
            } else {
                Path q = dir.resolve("cpu.cfs_quota_us");
                if (!Files.isRegularFile(q)) {
                    continue;
                }
                quota = Long.parseLong(read(q).trim());
                period = Long.parseLong(read(dir.resolve("cpu.cfs_period_us")).trim());
            }
            if (bestPeriod == 0) {
                bestPeriod = period;
            }
            if (quota > 0 && period > 0) {
                double cpus = (double) quota / period;
                if (best == 0 || cpus < best) {
                    best = cpus;
                    bestPeriod = period;
                }
            }
        }
        return new CpuQuota(loc.source, best, bestPeriod, visibleCpus, loc.directory);
    }

    /**
     * Reads the throttling counters of the process's cgroup.
     *
     * @return the counters; all 0 when no cgroup CPU controller is found or the kernel does not report
     *     throttling there
     * @throws UncheckedIOException if {@code cpu.stat} exists but cannot be read
     */
    public CpuThrottling throttling() {
        Location loc = locate();
        if (loc == null || !Files.isRegularFile(loc.directory.resolve("cpu.stat"))) {
            return new CpuThrottling(0, 0, 0);
        }
        Map<String, Long> stat = new HashMap<>();
        for (String line : read(loc.directory.resolve("cpu.stat")).split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                stat.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        long throttledNanos = loc.source == CpuQuota.Source.CGROUP_V2
                ? stat.getOrDefault("throttled_usec", 0L) * 1000
                : stat.getOrDefault("throttled_time", 0L);
        return new CpuThrottling(stat.getOrDefault("nr_periods", 0L), stat.getOrDefault("nr_throttled", 0L), throttledNanos);
    }

    /** Where the process's CPU cgroup lives. */
    private static final class Location {
        final CpuQuota.Source source;
        final Path mountPoint;
        final Path directory;

        Location(CpuQuota.Source source, Path mountPoint, Path directory) {
            this.source = source;
            this.mountPoint = mountPoint;
            this.directory = directory;
        }
    }

    private Location locate() {
        Path cgroupFile = root.resolve("proc/self/cgroup");
        Path mountinfo = root.resolve("proc/self/mountinfo");
        if (!Files.isRegularFile(cgroupFile) || !Files.isRegularFile(mountinfo)) {
            return null;
        }
        String v1Path = null;
        String v2Path = null;
        for (String line : read(cgroupFile).split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if ("0".equals(f[0]) && f[1].isEmpty()) {
                v2Path = f[2].trim();
            } else if (Arrays.asList(f[1].split(",")).contains("cpu")) {
                v1Path = f[2].trim();
            }
        }
        String[] v1Mount = null;
        String[] v2Mount = null;
        for (String line : read(mountinfo).split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 1) {
                continue;
            }
            String fsType = post[0];
            String superOptions = post.length > 2 ? post[2] : "";
            if ("cgroup".equals(fsType) && Arrays.asList(superOptions.split(",")).contains("cpu") && v1Mount == null) {
                v1Mount = new String[] {unescape(pre[3]), unescape(pre[4])};
            } else if ("cgroup2".equals(fsType) && v2Mount == null) {
                v2Mount = new String[] {unescape(pre[3]), unescape(pre[4])};
            }
        }
        if (v1Path != null && v1Mount != null) {
            return resolve(CpuQuota.Source.CGROUP_V1, v1Mount, v1Path);
        }
        if (v2Path != null && v2Mount != null) {
            return resolve(CpuQuota.Source.CGROUP_V2, v2Mount, v2Path);
        }
        return null;
    }

    private Location resolve(CpuQuota.Source source, String[] mount, String cgroupPath) {
        String mountRoot = mount[0];
        Path mountPoint = onRoot(mount[1]);
        String relative = cgroupPath;
        if (!"/".equals(mountRoot) && (cgroupPath.equals(mountRoot) || cgroupPath.startsWith(mountRoot + "/"))) {
            relative = cgroupPath.substring(mountRoot.length());
        }
        Path dir = mountPoint;
        for (String part : relative.split("/")) {
            if (!part.isEmpty()) {
                dir = dir.resolve(part);
            }
        }
        if (!Files.isDirectory(dir)) {
            dir = mountPoint;
        }
        return new Location(source, mountPoint, dir);
    }

    private Path onRoot(String absolute) {
        Path p = root;
        for (String part : absolute.split("/")) {
            if (!part.isEmpty()) {
                p = p.resolve(part);
            }
        }
        return p;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cpu - cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files this reader uses for the current process, for reports.
     *
     * @return the cgroup and mountinfo files under the root
     */
    public List<Path> sources() {
        return List.of(root.resolve("proc/self/cgroup"), root.resolve("proc/self/mountinfo"));
    }

    @Override
    public String toString() {
        return "CgroupCpu[root=" + root + "]";
    }
}
