package dev.coldstart.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.resources.child.FdServiceMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CS-26 at module level: a child JVM under {@code ulimit -n 256} with pools and a server whose sum needs more. */
class FileDescriptorLimitIT {
    private static final int LIMIT = 256;
    private static final Pattern STATUS = Pattern.compile("STATUS open=(\\d+) max=(\\d+) level=(\\w+) shedding=(\\w+)");

    private ServerSocket database;
    private final List<Socket> accepted = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private Thread acceptor;

    @BeforeEach
    void startFakeDatabaseListener() throws Exception {
        database = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!database.isClosed()) {
                try {
                    accepted.add(database.accept());
                } catch (Exception e) {
                    return;
                }
            }
        }, "db-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void closeSockets() throws Exception {
        for (Socket s : clients) {
            s.close();
        }
        database.close();
        acceptor.join(5_000);
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    void failsFastNamingTheBudgetAndTheLimitUnderUlimit256() throws Exception {
        long t0 = System.nanoTime();
        try (ChildJvmProcess child = ChildJvmProcess.start(LIMIT, List.of("-Xmx64m"), FdServiceMain.class,
                "FAIL_FAST", "60", "200", "64", String.valueOf(database.getLocalPort()))) {
            int exit = child.awaitExit(Duration.ofSeconds(30));
            String out = child.output();
            assertThat(exit).as(out).isEqualTo(3);
            assertThat(out).contains("file-descriptor budget of 324").contains("open-files limit of 256")
                    .doesNotContain("Too many open files");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void scalesDownThenWarnsAt80AndShedsAt95WithoutTooManyOpenFiles() throws Exception {
        try (ChildJvmProcess child = ChildJvmProcess.start(LIMIT, List.of("-Xmx64m"), FdServiceMain.class,
                "SCALE_DOWN", "60", "200", "64", String.valueOf(database.getLocalPort()))) {
            String ready = child.awaitLine(0, l -> l.startsWith("READY") || l.startsWith("FAILED"), Duration.ofSeconds(30));
            assertThat(ready).startsWith("READY").contains("scaled=true").contains("limit=256");
            int port = Integer.parseInt(field(ready, "port"));
            int pool = Integer.parseInt(field(ready, "pool"));
            int http = Integer.parseInt(field(ready, "http"));
            int openAtCheck = Integer.parseInt(field(ready, "open"));
            assertThat(pool + http + 64 + openAtCheck).isLessThanOrEqualTo(LIMIT);
            assertThat(child.output()).contains("does not fit the open-files limit of 256").contains("scaled down to");

            // Fill the server up to its granted limit, and beyond: the limit turns the extra ones away.
            int ok = 0;
            for (int i = 0; i < http + 10; i++) {
                if ("OK".equals(connect(port))) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(http);

            // An unbudgeted leak grows until the monitor warns, then sheds.
            Matcher m = status(child);
            boolean warned = false;
            int guard = 0;
            while (!"SHED".equals(m.group(3)) && guard++ < LIMIT) {
                child.ask("leak 2", "LEAKED");
                m = status(child);
                double ratio = Double.parseDouble(m.group(1)) / Double.parseDouble(m.group(2));
                if ("WARN".equals(m.group(3)) && !warned) {
                    warned = true;
                    assertThat(ratio).isGreaterThanOrEqualTo(0.80).isLessThan(0.95);
                }
            }
            assertThat(warned).isTrue();
            double shedAt = Double.parseDouble(m.group(1)) / LIMIT;
            assertThat(shedAt).isGreaterThanOrEqualTo(0.95).isLessThan(0.97);
            assertThat(m.group(4)).isEqualTo("true");
            assertThat(child.output()).contains("at or above the warning level of 80 %").contains("shedding new connections");

            // New connections are shed (closed at once, before any work) while the process is at 95 %.
            int shed = 0;
            for (int i = 0; i < 30; i++) {
                if ("SHED".equals(connect(port))) {
                    shed++;
                }
            }
            assertThat(shed).isEqualTo(30);

            child.ask("release", "RELEASED");
            m = status(child);
            assertThat(m.group(3)).isEqualTo("NORMAL");
            for (Socket s : clients) {
                s.close();
            }
            clients.clear();
            await().atMost(Duration.ofSeconds(10)).until(() -> "OK".equals(connect(port)));
            child.ask("quit", "BYE");
            assertThat(child.awaitExit(Duration.ofSeconds(15))).isZero();
            assertThat(child.output()).doesNotContain("Too many open files").doesNotContain("ERROR");
        }
    }

    private String connect(int port) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        if ("OK".equals(reply)) {
            clients.add(s);
        } else {
            s.close();
        }
        return reply;
    }

    private static Matcher status(ChildJvmProcess child) throws Exception {
        Matcher m = STATUS.matcher(child.ask("status", "STATUS"));
        assertThat(m.matches()).isTrue();
        return m;
    }

    private static String field(String line, String key) {
        Matcher m = Pattern.compile(key + "=(\\S+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return m.group(1);
    }
}
