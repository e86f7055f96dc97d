package dev.coldstart.resources;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM started under real OS limits ({@code bash -c 'ulimit -n N && exec java ...'}) that speaks a
 * line protocol on stdin/stdout. Stays in this module's tests until the testkit's ChildJvm can be used here
 * (the testkit depends on this module, not the other way round).
 */
final class ChildJvmProcess implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread pump;

    private ChildJvmProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("PUMP-ERROR " + e);
            }
        }, "child-output");
        pump.setDaemon(true);
        pump.start();
    }

    static ChildJvmProcess start(int openFilesLimit, List<String> jvmArgs, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        StringBuilder sh = new StringBuilder();
        if (openFilesLimit > 0) {
            sh.append("ulimit -n ").append(openFilesLimit).append(" && ");
        }
        sh.append("exec");
        for (String c : cmd) {
            sh.append(" '").append(c.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", sh.toString()).redirectErrorStream(true);
        return new ChildJvmProcess(pb.start());
    }

    void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    /** Waits for the first line after {@code from} that matches, and returns it. */
    String awaitLine(int from, Predicate<String> match, Duration atMost) {
        String[] found = new String[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (int i = from; i < lines.size(); i++) {
                if (match.test(lines.get(i))) {
                    found[0] = lines.get(i);
                    return true;
                }
            }
            if (!process.isAlive() && !pump.isAlive()) {
                throw new AssertionError("child exited with " + process.exitValue() + " before the expected line; output:\n"
                        + String.join("\n", lines));
            }
            return false;
        });
        return found[0];
    }

    /** Sends a command and waits for the reply line that starts with the prefix. */
    String ask(String command, String replyPrefix) throws IOException {
        int from = lines.size();
        send(command);
        return awaitLine(from, l -> l.startsWith(replyPrefix), Duration.ofSeconds(10));
    }

    int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child still running after " + atMost + "; output:\n" + output());
        }
        try {
            pump.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    String output() {
        return String.join("\n", lines);
    }

    int lineCount() {
        return lines.size();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
