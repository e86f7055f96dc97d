package dev.coldstart.testkit.fault;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a TCP port so that a service under test finds it taken: a bound, listening socket that
 * never accepts (connects complete in the kernel and wait in the backlog). It lives in this JVM
 * or, to race "another process" as in production, in a separate child JVM
 * ({@link PortSquatterMain} launched with {@link ChildJvm}); {@link #holderPid()} tells which.
 *
 * <p>A listening socket on {@code 127.0.0.1:P} makes any other bind of port P on that address or
 * on the wildcard address fail with {@link BindException} ("Address already in use"), with or
 * without {@code SO_REUSEADDR}, on Linux.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * try (PortSquatter squatter = PortSquatter.inChildProcess(0)) {
 *     int taken = squatter.port();
 *     // start the service on `taken`: it must report the port and the holder, or pick another
 * }
 * }</pre>
 */
public final class PortSquatter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PortSquatter.class);
    private static final String DEFAULT_HOST = "127.0.0.1";
    private static final Duration CHILD_START_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern BOUND_LINE = Pattern.compile(Pattern.quote(PortSquatterMain.BOUND) + " \\S+ (\\d+) (\\d+)");

    private final InetSocketAddress address;
    private final long holderPid;
    private final ServerSocket socket;
    private final ChildJvm child;

    private PortSquatter(InetSocketAddress address, long holderPid, ServerSocket socket, ChildJvm child) {
        this.address = address;
        this.holderPid = holderPid;
        this.socket = socket;
        this.child = child;
    }

    /**
     * Holds a port of 127.0.0.1 in this JVM.
     *
     * @param port 1-65535, or 0 for an ephemeral port
     * @return the squatter holding it
     * @throws UncheckedIOException with a {@link BindException} cause if the port is already taken
     * @throws ConfigurationException if the port is out of range
     */
    public static PortSquatter inThisProcess(int port) {
        return inThisProcess(DEFAULT_HOST, port);
    }

    /**
     * Holds a port of an address in this JVM.
     *
     * @param host the address to bind, such as {@code "127.0.0.1"} or {@code "0.0.0.0"}
     * @param port 1-65535, or 0 for an ephemeral port
     * @return the squatter holding it
     * @throws UncheckedIOException with a {@link BindException} cause if the port is already taken
     * @throws ConfigurationException if the host is blank or the port out of range
     */
    public static PortSquatter inThisProcess(String host, int port) {
        checkPort(host, port);
        ServerSocket s = null;
        try {
            s = new ServerSocket();
            s.bind(new InetSocketAddress(host, port), 50);
            InetSocketAddress bound = new InetSocketAddress(host, s.getLocalPort());
            log.info("port-squatter - holding {}:{} in this process", host, bound.getPort());
            return new PortSquatter(bound, ProcessHandle.current().pid(), s, null);
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("port-squatter - cannot hold " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Holds a port of 127.0.0.1 from a separate child JVM; returns once the child holds it.
     *
     * @param port 1-65535, or 0 for an ephemeral port
     * @return the squatter
     * @throws UncheckedIOException with a {@link BindException} cause if the port is already taken
     * @throws ChildJvmException if the child did not start or report within 20 s
     * @throws ConfigurationException if the port is out of range
     */
    public static PortSquatter inChildProcess(int port) {
        return inChildProcess(DEFAULT_HOST, port);
    }

    /**
     * Holds a port of an address from a separate child JVM; returns once the child holds it. The
     * child runs {@link PortSquatterMain} with the testkit's own classes as classpath and a 16 MiB
     * heap, and exits by itself if this JVM dies (its stdin closes).
     *
     * @param host the address to bind
     * @param port 1-65535, or 0 for an ephemeral port
     * @return the squatter
     * @throws UncheckedIOException with a {@link BindException} cause if the port is already taken
     * @throws ChildJvmException if the child did not start or report within 20 s
     * @throws ConfigurationException if the host is blank or the port out of range
     */
    public static PortSquatter inChildProcess(String host, int port) {
        checkPort(host, port);
        ChildJvm child = ChildJvm.start(ChildJvmConfig.builder(PortSquatterMain.class)
                .name("port-squatter")
                .classpath(ownClasspath())
                .maxHeapBytes(16L * 1024 * 1024)
                .jvmArgs("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k")
                .args(host, Integer.toString(port))
                .build());
        try {
            MatchResult bound = child.awaitMatch(BOUND_LINE, CHILD_START_TIMEOUT);
            int boundPort = Integer.parseInt(bound.group(1));
            long pid = Long.parseLong(bound.group(2));
            log.info("port-squatter - holding {}:{} from child process {}", host, boundPort, pid);
            return new PortSquatter(new InetSocketAddress(host, boundPort), pid, null, child);
        } catch (ChildJvmException e) {
            child.close();
            String failure = child.stderr().stream().filter(l -> l.startsWith(PortSquatterMain.FAILED)).findFirst()
                    .orElse(null);
            if (failure != null) {
                BindException cause = new BindException(failure.substring(PortSquatterMain.FAILED.length()).trim());
                throw new UncheckedIOException("port-squatter - the child process cannot hold " + host + ":" + port
                        + ": " + cause.getMessage(), cause);
            }
            throw e;
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
    }

    /**
     * The held port.
     *
     * @return the port, the bound one when 0 was asked
     */
    public int port() {
        return address.getPort();
    }

    /**
     * The held address.
     *
     * @return host and port
     */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The process holding the port.
     *
     * @return the child's pid, or this JVM's pid for {@link #inThisProcess(int)}
     */
    public long holderPid() {
        return holderPid;
    }

    /**
     * Whether the port is held by a separate process.
     *
     * @return true for {@link #inChildProcess(int)}
     */
    public boolean inSeparateProcess() {
        return child != null;
    }

    /**
     * Releases the port: closes the socket, or kills the child process (the kernel frees its
     * socket when the process is gone). Idempotent. After it returns the port can be bound again.
     */
    @Override
    public void close() {
        if (child != null) {
            child.close();
        } else {
            closeQuietly(socket);
        }
        log.info("port-squatter - released {}:{}", address.getHostString(), address.getPort());
    }

    @Override
    public String toString() {
        return "PortSquatter(" + address.getHostString() + ":" + address.getPort() + ", pid " + holderPid + ")";
    }

    private static void checkPort(String host, int port) {
        Checks.notBlank(host, "host");
        Checks.check(port >= 0 && port <= 65535, "port must be between 0 and 65535, but was " + port);
    }

    private static String ownClasspath() {
        try {
            return Path.of(PortSquatterMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException | RuntimeException e) {
            // Fall back to the whole classpath of this JVM, which contains the testkit too.
            return System.getProperty("java.class.path");
        }
    }

    private static void closeQuietly(ServerSocket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException e) {
            log.debug("port-squatter - close failed: {}", e.toString());
        }
    }
}
