package dev.coldstart.testkit.fault;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM running a main class with a chosen heap, system properties, environment, JVM
 * arguments and OS limits, for scenarios that need a separate process: a second service instance,
 * a process holding a port, a service under {@code ulimit -n 256} or {@code -Xmx32m}.
 *
 * <p>The child's stdout and stderr are read by two daemon threads into memory (the last
 * {@link ChildJvmConfig#maxCapturedLines()} lines), optionally copied to a file, and logged at
 * DEBUG. {@link #awaitLine(Predicate, Duration)} and {@link #awaitExit(Duration)} wait with a
 * deadline and fail with a {@link ChildJvmException} that shows the child's last lines. The child's
 * stdin stays open as a pipe: a child that reads it sees end-of-file when this JVM dies, which
 * is a cheap way to never outlive the test ({@link PortSquatterMain} does so).
 *
 * <p>{@link #close()} kills the whole process tree: the child and every descendant found through
 * {@link ProcessHandle#descendants()} (taken before anything is killed, since a killed parent's
 * children are re-parented and no longer found). A JVM shutdown hook kills children still running
 * when this JVM exits.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(ChildJvmConfig.builder(MyService.class)
 *         .maxHeapBytes(32L << 20).openFilesLimit(256).build())) {
 *     child.awaitLine(Pattern.compile("READY on port (\\d+)"), Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final int TAIL_LINES = 20;
    private static final long KILL_WAIT_MILLIS = 10_000;
    /** After the child exits, lines still buffered in the pipes are awaited this long. */
    private static final long DRAIN_AFTER_EXIT_MILLIS = 2_000;
    /** Linux limits one argument to 128 KiB; longer classpaths go through a {@code java @argfile}. */
    private static final int MAX_INLINE_CLASSPATH_CHARS = 64 * 1024;
    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private final ChildJvmConfig config;
    private final List<String> command;
    private final Process process;
    private final Path argFile;
    private final BufferedWriter file;
    private final OutputStream stdin;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final Object lock = new Object();
    private final ArrayList<Line> lines = new ArrayList<>();
    private long droppedLines;
    private int openStreams = 2;
    private boolean exited;
    private long exitedAtNanos;
    private volatile boolean closed;

    private ChildJvm(ChildJvmConfig config, List<String> command, Process process, Path argFile, BufferedWriter file) {
        this.config = config;
        this.command = List.copyOf(command);
        this.process = process;
        this.argFile = argFile;
        this.file = file;
        this.stdin = process.getOutputStream();
        this.stdoutReader = reader(process.getInputStream(), false);
        this.stderrReader = reader(process.getErrorStream(), true);
        process.onExit().thenRun(this::onExit);
    }

    /**
     * Launches a child JVM. Returns as soon as the process exists; use
     * {@link #awaitLine(Predicate, Duration)} to wait until it is ready.
     *
     * @param config how to launch it
     * @return the running child; close it to kill its process tree
     * @throws ConfigurationException if the config is null
     * @throws ChildJvmException if the process cannot be started (no {@code java} or {@code bash},
     *     unwritable output file)
     */
    public static ChildJvm start(ChildJvmConfig config) {
        Checks.notNull(config, "config");
        Path argFile = null;
        BufferedWriter file = null;
        try {
            List<String> java = new ArrayList<>();
            java.add(config.javaExecutable().toString());
            if (config.maxHeapBytes() > 0) {
                java.add("-Xmx" + heapSize(config.maxHeapBytes()));
            }
            // The child's System.out and System.err are decoded as UTF-8 here, whatever its locale.
            java.add("-Dsun.stdout.encoding=UTF-8");
            java.add("-Dsun.stderr.encoding=UTF-8");
            for (Map.Entry<String, String> p : config.systemProperties().entrySet()) {
                java.add("-D" + p.getKey() + "=" + p.getValue());
            }
            java.addAll(config.jvmArgs());
            if (config.classpath().length() > MAX_INLINE_CLASSPATH_CHARS) {
                argFile = Files.createTempFile("coldstart-child-", ".args");
                Files.writeString(argFile, "-cp \"" + config.classpath().replace("\\", "\\\\") + "\"\n");
                java.add("@" + argFile);
            } else if (!config.classpath().isEmpty()) {
                java.add("-cp");
                java.add(config.classpath());
            }
            java.add(config.mainClass());
            java.addAll(config.args());

            List<String> command = new ArrayList<>();
            if (config.openFilesLimit() > 0) {
                // exec keeps the pid: the JVM itself runs under the limit, and killing it kills no shell.
                command.add("bash");
                command.add("-c");
                command.add("ulimit -n " + config.openFilesLimit() + " && exec \"$0\" \"$@\"");
            }
            command.addAll(java);

            ProcessBuilder pb = new ProcessBuilder(command);
            if (!config.inheritEnvironment()) {
                pb.environment().clear();
            }
            pb.environment().putAll(config.environment());
            config.workingDirectory().ifPresent(d -> pb.directory(d.toFile()));
            if (config.outputFile().isPresent()) {
                file = Files.newBufferedWriter(config.outputFile().get(), StandardCharsets.UTF_8);
            }
            Process process = pb.start();
            ChildJvm child = new ChildJvm(config, command, process, argFile, file);
            child.register();
            log.info("{} - started pid {}: {}", config.name(), process.pid(), String.join(" ", command));
            return child;
        } catch (IOException e) {
            deleteQuietly(argFile);
            closeQuietly(file);
            throw new ChildJvmException(config.name() + " - cannot start the child JVM: " + e.getMessage()
                    + " (check javaExecutable " + config.javaExecutable() + ", that bash is on the PATH when an"
                    + " openFilesLimit is set, and that the output file's directory exists)", config.name(),
                    OptionalInt.empty(), List.of(), e);
        }
    }

    /**
     * The configuration the child was started with.
     *
     * @return the config
     */
    public ChildJvmConfig config() {
        return config;
    }

    /**
     * The command line that started the child, including the {@code bash -c 'ulimit ...'} wrapper.
     *
     * @return an unmodifiable list
     */
    public List<String> command() {
        return command;
    }

    /**
     * The child's process id (the JVM's own: the shell wrapper {@code exec}s it).
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The child's process handle, for example to inspect its descendants.
     *
     * @return the handle
     */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    /**
     * Whether the child runs.
     *
     * @return true until it exits or is killed
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The child's exit code.
     *
     * @return the code, or empty while it runs
     */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Waits until the child prints a line (on stdout or stderr) that matches, and returns it.
     * Lines printed since the start count, so the line may already be there; lines dropped
     * beyond {@link ChildJvmConfig#maxCapturedLines()} are not seen. Fails early when the child
     * exits without printing it.
     *
     * @param matcher tests each line, without its line terminator
     * @param timeout the longest wait; positive
     * @return the first matching line
     * @throws ChildJvmException if no such line came within the timeout or before the child exited
     * @throws ConfigurationException if an argument is null or the timeout not positive
     */
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        return awaitLine(matcher, timeout, "a line matching " + matcher);
    }

    /**
     * Waits until the child prints a line in which the pattern is found ({@link Matcher#find()}).
     *
     * @param pattern the pattern
     * @param timeout the longest wait; positive
     * @return the first line in which the pattern is found
     * @throws ChildJvmException if no such line came within the timeout or before the child exited
     * @throws ConfigurationException if an argument is null or the timeout not positive
     */
    public String awaitLine(Pattern pattern, Duration timeout) {
        Checks.notNull(pattern, "pattern");
        return awaitLine(l -> pattern.matcher(l).find(), timeout, "a line matching /" + pattern + "/");
    }

    /**
     * Waits like {@link #awaitLine(Pattern, Duration)} and returns the match, to read its groups.
     *
     * @param pattern the pattern
     * @param timeout the longest wait; positive
     * @return the match of the first line in which the pattern is found
     * @throws ChildJvmException if no such line came within the timeout or before the child exited
     * @throws ConfigurationException if an argument is null or the timeout not positive
     */
    public MatchResult awaitMatch(Pattern pattern, Duration timeout) {
        Checks.notNull(pattern, "pattern");
        String line = awaitLine(pattern, timeout);
        Matcher m = pattern.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("pattern matched the line once but not twice: " + pattern);
        }
        return m.toMatchResult();
    }

    private String awaitLine(Predicate<String> matcher, Duration timeout, String what) {
        Checks.notNull(matcher, "matcher");
        Checks.positive(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        long cursor = 0;
        synchronized (lock) {
            while (true) {
                cursor = Math.max(cursor, droppedLines);
                long end = droppedLines + lines.size();
                for (; cursor < end; cursor++) {
                    String text = lines.get((int) (cursor - droppedLines)).text;
                    if (matcher.test(text)) {
                        return text;
                    }
                }
                if (!process.isAlive() && (openStreams == 0 || exitedLongAgo())) {
                    throw failure("exited with code " + process.exitValue() + " without printing " + what, null);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw failure("printed no " + what.substring(2) + " within " + timeout.toMillis() + " ms", null);
                }
                waitOnLock(remaining);
            }
        }
    }

    /**
     * Waits until the child exits, then until its output is read to the end.
     *
     * @param timeout the longest wait; positive
     * @return the exit code
     * @throws ChildJvmException if it still runs after the timeout
     * @throws ConfigurationException if the timeout is null or not positive
     */
    public int awaitExit(Duration timeout) {
        Checks.positive(timeout, "timeout");
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw failure("did not exit within " + timeout.toMillis() + " ms", null);
            }
            stdoutReader.join(DRAIN_AFTER_EXIT_MILLIS);
            stderrReader.join(DRAIN_AFTER_EXIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was awaited by an interrupted thread", e);
        }
        return process.exitValue();
    }

    /**
     * The stdout lines kept so far, oldest first.
     *
     * @return a copy
     */
    public List<String> stdout() {
        return lines(Boolean.FALSE);
    }

    /**
     * The stderr lines kept so far, oldest first.
     *
     * @return a copy
     */
    public List<String> stderr() {
        return lines(Boolean.TRUE);
    }

    /**
     * The stdout and stderr lines kept so far, in the order they were read.
     *
     * @return a copy
     */
    public List<String> output() {
        return lines(null);
    }

    /**
     * Writes a line to the child's stdin and flushes it.
     *
     * @param line the text; a newline is appended
     * @throws UncheckedIOException if the child closed its stdin or exited
     * @throws ConfigurationException if the line is null
     */
    public void sendLine(String line) {
        Checks.notNull(line, "line");
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(config.name() + " - cannot write to the child's stdin", e);
        }
    }

    /**
     * Closes the child's stdin: a child that reads it sees end-of-file.
     */
    public void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            log.debug("{} - closing stdin failed: {}", config.name(), e.toString());
        }
    }

    /**
     * Stops the child and its tree: SIGTERM to the child, up to {@code grace} for it to exit,
     * then SIGKILL to every process of the tree still alive. Waits up to 10 s for them to be gone.
     * Idempotent, as is {@link #close()}.
     *
     * @param grace time between SIGTERM and SIGKILL; zero kills at once
     * @throws ConfigurationException if grace is null or negative
     */
    public void stop(Duration grace) {
        Checks.notNegative(grace, "grace");
        if (closed) {
            return;
        }
        closed = true;
        killTree(grace);
        closeStdin();
        try {
            stdoutReader.join(DRAIN_AFTER_EXIT_MILLIS);
            stderrReader.join(DRAIN_AFTER_EXIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(file);
        deleteQuietly(argFile);
        RUNNING.remove(this);
    }

    /**
     * Kills the child's process tree after {@link ChildJvmConfig#shutdownGrace()}; see
     * {@link #stop(Duration)}.
     */
    @Override
    public void close() {
        stop(config.shutdownGrace());
    }

    @Override
    public String toString() {
        return config.name() + " (pid " + process.pid() + (process.isAlive() ? ", running)" : ", exited)");
    }

    private void killTree(Duration grace) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        process.descendants().forEach(tree::add);
        if (!grace.isZero() && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Descendants started meanwhile hang below processes that are still alive.
        for (ProcessHandle h : List.copyOf(tree)) {
            if (h.isAlive()) {
                h.descendants().forEach(tree::add);
            }
        }
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        for (ProcessHandle h : tree) {
            h.destroyForcibly();
        }
        // Polled: onExit() of a process that is not our child polls with a back-off of its own, slower.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MILLIS);
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(h -> log.warn(
                "{} - process {} of the child's tree is still alive {} ms after SIGKILL", config.name(), h.pid(),
                KILL_WAIT_MILLIS));
        log.info("{} - stopped pid {} and {} descendant(s)", config.name(), process.pid(), tree.size() - 1);
    }

    private void register() {
        RUNNING.add(this);
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (ChildJvm child : List.copyOf(RUNNING)) {
                    child.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    child.process.destroyForcibly();
                }
            }, "coldstart-child-jvm-reaper"));
        }
    }

    private Thread reader(InputStream in, boolean stderr) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    onLine(stderr, line);
                }
            } catch (IOException e) {
                log.debug("{} - reading {} ended: {}", config.name(), stderr ? "stderr" : "stdout", e.toString());
            } finally {
                synchronized (lock) {
                    openStreams--;
                    lock.notifyAll();
                }
            }
        }, "coldstart-child-" + config.name() + (stderr ? "-stderr" : "-stdout"));
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void onLine(boolean stderr, String text) {
        log.debug("{} {} {}", config.name(), stderr ? "!" : ">", text);
        if (file != null) {
            try {
                synchronized (file) {
                    file.write(stderr ? "[stderr] " + text : text);
                    file.newLine();
                    file.flush();
                }
            } catch (IOException e) {
                log.debug("{} - writing the output file failed: {}", config.name(), e.toString());
            }
        }
        synchronized (lock) {
            lines.add(new Line(stderr, text));
            if (lines.size() > config.maxCapturedLines()) {
                int drop = Math.max(1, config.maxCapturedLines() / 10);
                lines.subList(0, drop).clear();
                droppedLines += drop;
            }
            lock.notifyAll();
        }
    }

    private void onExit() {
        if (!closed) {
            log.info("{} - pid {} exited with code {}", config.name(), process.pid(), process.exitValue());
        }
        synchronized (lock) {
            exited = true;
            exitedAtNanos = System.nanoTime();
            lock.notifyAll();
        }
    }

    /** Under the lock. A grandchild may hold the pipes open after the child exited: do not wait for it. */
    private boolean exitedLongAgo() {
        return exited && System.nanoTime() - exitedAtNanos > TimeUnit.MILLISECONDS.toNanos(DRAIN_AFTER_EXIT_MILLIS);
    }

    private void waitOnLock(long nanos) {
        try {
            // Woken by each line, each closed stream and the exit; the cap re-checks a silent exit.
            lock.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(nanos), 200)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was awaited by an interrupted thread", e);
        }
    }

    private ChildJvmException failure(String what, Throwable cause) {
        List<String> tail;
        synchronized (lock) {
            tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).stream()
                    .map(l -> l.stderr ? "[stderr] " + l.text : l.text).collect(Collectors.toList());
        }
        OptionalInt code = exitCode();
        String shown = tail.isEmpty() ? " It printed nothing." : " Its last lines:\n  " + String.join("\n  ", tail);
        return new ChildJvmException(config.name() + " (pid " + process.pid() + ") " + what + "." + shown, config.name(),
                code, tail, cause);
    }

    private List<String> lines(Boolean stderr) {
        synchronized (lock) {
            return lines.stream().filter(l -> stderr == null || l.stderr == stderr).map(l -> l.text)
                    .collect(Collectors.toList());
        }
    }

    private static String heapSize(long bytes) {
        if (bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + "m";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + "k";
        }
        return Long.toString(bytes);
    }

    private static void closeQuietly(BufferedWriter w) {
        if (w == null) {
            return;
        }
        try {
            synchronized (w) {
                w.close();
            }
        } catch (IOException e) {
            log.debug("closing a child's output file failed: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.debug("deleting {} failed: {}", p, e.toString());
        }
    }

    private static final class Line {
        final boolean stderr;
        final String text;

        Line(boolean stderr, String text) {
            this.stderr = stderr;
            this.text = text;
        }
    }
}
