package dev.coldstart.testkit.internal.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Counts TCP sockets by local port and state from Linux's {@code /proc/net/tcp} and {@code tcp6}, so
 * a scenario can prove that connections really sit in TIME_WAIT before it restarts a server.
 */
final class ProcNetTcp {
    /** The kernel's code of TIME_WAIT in the {@code st} column. */
    static final String TIME_WAIT = "06";

    private ProcNetTcp() {
    }

    /** Sockets whose local port is {@code port} and whose state is {@code state}, over IPv4 and IPv6. */
    static int count(int port, String state) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        int n = 0;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.isReadable(p)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(p);
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file + " failed", e);
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals(state)) {
                    n++;
                }
            }
        }
        return n;
    }
}
