package dev.coldstart.benchmarks;

import dev.coldstart.testkit.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * B7: whole-process cold start to READY. The demo ({@code examples/target/coldstart-demo.jar}) and the
 * Spring Boot peer ({@code benchmarks/spring-boot-peer}, an executable jar) each start as a fresh JVM
 * with the same flags, create their pool on the local PostgreSQL, apply the same four migrations to a
 * fresh database, seed the default tenant and open their readiness probe. Measured from just before
 * the process is spawned to the first HTTP 200 of the readiness probe (polled every 10 ms), then the
 * process's peak resident set ({@code VmHWM} in {@code /proc/<pid>/status}) and CPU time
 * ({@code /proc/<pid>/stat}) are read while it still runs, and it is stopped with SIGTERM.
 */
public final class B7ColdStartToReady {
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration READY_DEADLINE = Duration.ofSeconds(120);
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Path demoJar;
    private final Path bootJar;
    private final Path logDirectory;
    private final List<String> jvmFlags;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    /**
     * Prepares runs.
     *
     * @param demoJar the demo's executable jar
     * @param bootJar the Spring Boot peer's executable jar
     * @param logDirectory where each process's output goes
     * @param jvmFlags flags given to both JVMs
     */
    public B7ColdStartToReady(Path demoJar, Path bootJar, Path logDirectory, List<String> jvmFlags) {
        this.demoJar = demoJar;
        this.bootJar = bootJar;
        this.logDirectory = logDirectory;
        this.jvmFlags = List.copyOf(jvmFlags);
    }

    /** Which application. */
    public enum App {
        /** The coldstart demo. */
        DEMO,
        /** The Spring Boot peer. */
        BOOT
    }

    /**
     * One cold start.
     *
     * @param app which application
     * @param toReadyMillis from spawning the JVM to the first 200 of its readiness probe, in milliseconds
     * @param peakRssBytes peak resident set size at READY
     * @param cpuMillis user plus system CPU time of the process at READY, in milliseconds
     * @param loadAverage the 1-minute load average just before the start
     */
    public record Result(App app, double toReadyMillis, long peakRssBytes, long cpuMillis, double loadAverage) {
    }

    /**
     * Starts the application once against a fresh database, dropped afterwards.
     *
     * @param app which application
     * @param run the run's number, for the log file's name
     * @return the figures
     * @throws Exception if the process does not become ready within 120 s or cannot be started
     */
    public Result run(App app, int run) throws Exception {
        Files.createDirectories(logDirectory);
        try (TestDatabase db = TestDatabase.create("b7")) {
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmFlags);
            String readiness;
            if (app == App.DEMO) {
                command.addAll(List.of("-jar", demoJar.toString(), "--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user(),
                        "--jdbc-password", db.password(), "--http-port", Integer.toString(port)));
                readiness = "http://127.0.0.1:" + port + "/health/ready";
            } else {
                command.addAll(List.of("-jar", bootJar.toString(), "--server.port=" + port,
                        "--server.address=127.0.0.1", "--spring.datasource.url=" + db.jdbcUrl(),
                        "--spring.datasource.username=" + db.user(), "--spring.datasource.password=" + db.password()));
                readiness = "http://127.0.0.1:" + port + "/actuator/health/readiness";
            }
            Path log = logDirectory.resolve(app.name().toLowerCase(java.util.Locale.ROOT) + "-" + run + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // Both use exactly the database given on the command line, and the demo no Redis.
            builder.environment().keySet().removeIf(k -> k.startsWith("COLDSTART_"));
            double load = Machine.loadAverage();
            long t0 = System.nanoTime();
            Process process = builder.start();
            try {
                awaitReady(process, URI.create(readiness), log);
                double millis = (System.nanoTime() - t0) / 1e6;
                long rss = peakRssBytes(process.pid());
                long cpu = cpuMillis(process.pid());
                return new Result(app, millis, rss, cpu, load);
            } finally {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private void awaitReady(Process process, URI uri, Path log) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("b7 - " + uri + ": the process exited with " + process.exitValue()
                        + " before READY; its output is in " + log);
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Peers.work(POLL.toNanos());
        }
        throw new IllegalStateException("b7 - " + uri + " did not answer 200 within " + READY_DEADLINE.toSeconds()
                + " s; the process's output is in " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * A process's peak resident set size.
     *
     * @param pid the process id
     * @return {@code VmHWM} in bytes, or -1 if {@code /proc} does not tell
     */
    static long peakRssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * A process's CPU time so far.
     *
     * @param pid the process id
     * @return user plus system time in milliseconds, or -1 if {@code /proc} does not tell
     */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
