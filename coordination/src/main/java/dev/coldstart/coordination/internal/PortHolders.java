package dev.coldstart.coordination.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds which process listens on a TCP port, from Linux's {@code /proc}: the listening socket's
 * inode in {@code /proc/net/tcp} and {@code /proc/net/tcp6} (state {@code 0A}, LISTEN), then the
 * process whose {@code /proc/<pid>/fd} links to {@code socket:[inode]}. Reading another user's
 * descriptors needs privileges, so the pid may stay unknown while the owner's uid is still known.
 * On other systems, or when {@code /proc} is not readable, nothing is found. Stateless and
 * thread-safe.
 */
public final class PortHolders {
    /** TCP state LISTEN as written in {@code /proc/net/tcp}. */
    public static final String LISTEN = "0A";
    /** TCP state TIME_WAIT as written in {@code /proc/net/tcp}. */
    public static final String TIME_WAIT = "06";

    private static final Path PROC = Paths.get("/proc");

    private PortHolders() {
    }

    /**
     * What is known about the holder of a listening port.
     *
     * @param inode the socket's inode
     * @param uid the owner's user id
     * @param pid the holding process, or -1 when not visible
     * @param command the holding process's command name ({@code /proc/<pid>/comm}), or null
     */
    public record Holder(long inode, int uid, long pid, String command) {

        /**
         * Describes the holder for an error message. Uses the command name only, never the command
         * line, which may carry secrets.
         *
         * @return for example {@code "pid 4711 (java)"} or {@code "a process of uid 1000"}
         */
        public String describe() {
            if (pid >= 0) {
                return "pid " + pid + (command == null ? "" : " (" + command + ")");
            }
            return "a process of uid " + uid + " (its pid is not visible to this user)";
        }
    }

    /**
     * Finds the process listening on a port.
     *
     * @param port the local TCP port
     * @return the holder, or empty when not found or not on Linux
     */
    public static Optional<Holder> listenerOf(int port) {
        for (long[] socket : sockets(port, LISTEN, 1)) {
            long inode = socket[0];
            int uid = (int) socket[1];
            if (inode == 0) {
                continue;
            }
            long pid = pidOf(inode);
            return Optional.of(new Holder(inode, uid, pid, pid < 0 ? null : command(pid)));
        }
        return Optional.empty();
    }

    /**
     * Counts the sockets on a local port in a TCP state, over IPv4 and IPv6.
     *
     * @param port the local TCP port
     * @param state the state as two hex digits, for example {@link #TIME_WAIT}
     * @return how many; 0 when {@code /proc} is not readable
     */
    public static int count(int port, String state) {
        return sockets(port, state, Integer.MAX_VALUE).size();
    }

    /**
     * Each element is {inode, uid}. Reads line by line and stops at {@code limit} matches: the kernel
     * lists listening sockets first, so finding a listener rarely renders the whole table.
     */
    private static List<long[]> sockets(int port, String state, int limit) {
        List<long[]> found = new ArrayList<>();
        for (String table : new String[] {"net/tcp", "net/tcp6"}) {
            try (BufferedReader in = Files.newBufferedReader(PROC.resolve(table), StandardCharsets.US_ASCII)) {
                String line = in.readLine(); // the header
                while (line != null && found.size() < limit) {
                    line = in.readLine();
                    long[] socket = line == null ? null : parse(line, port, state);
                    if (socket != null) {
                        found.add(socket);
                    }
                }
            } catch (IOException | SecurityException e) {
                continue;
            }
            if (found.size() >= limit) {
                break;
            }
        }
        return found;
    }

    /**
     * Parses one line of {@code /proc/net/tcp}: {@code sl local rem st tx:rx tr:when retrnsmt uid
     * timeout inode ...}.
     */
    static long[] parse(String line, int port, String state) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10) {
            return null;
        }
        int colon = f[1].lastIndexOf(':');
        if (colon < 0 || !f[3].equalsIgnoreCase(state)) {
            return null;
        }
        try {
            if (Integer.parseInt(f[1].substring(colon + 1), 16) != port) {
                return null;
            }
            return new long[] {Long.parseLong(f[9]), Long.parseLong(f[7])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long pidOf(long inode) {
        String target = "socket:[" + inode + "]";
        // This process first: it is the holder when several of its own threads race for one port.
        if (holds(PROC.resolve("self").resolve("fd"), target)) {
            return ProcessHandle.current().pid();
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path proc : procs) {
                if (holds(proc.resolve("fd"), target)) {
                    return Long.parseLong(proc.getFileName().toString());
                }
            }
        } catch (IOException | SecurityException e) {
            return -1;
        }
        return -1;
    }

    private static boolean holds(Path fdDir, String target) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    if (target.equals(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException | SecurityException e) {
                    // the descriptor closed meanwhile, or it is not ours to read
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or it exited meanwhile
        }
        return false;
    }

    private static String command(long pid) {
        try {
            return Files.readString(PROC.resolve(Long.toString(pid)).resolve("comm"), StandardCharsets.UTF_8).trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
