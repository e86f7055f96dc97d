package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.resources.FileDescriptorMonitorConfig;
import dev.coldstart.testkit.ResourceProfile;
import dev.coldstart.testkit.ResourceScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.fault.ChildJvm;
import dev.coldstart.testkit.fault.ChildJvmConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CS-26 file_descriptor_exhaustion_startup: see {@code ResourceScenarios}. */
public final class FdExhaustionScenario {
    private static final Pattern READY = Pattern.compile("READY port=(\\d+) pool=(\\d+) http=(\\d+) open=(\\d+) limit=(\\d+) scaled=(\\w+)");
    private static final Pattern STATUS = Pattern.compile("STATUS open=(\\d+) max=(\\d+) level=(\\w+) shedding=(\\w+)");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ScenarioContext ctx;
    private final ResourceProfile profile;
    private final ResourceScenarioParameters p;
    private final List<Socket> clients = new ArrayList<>();
    private final List<Socket> accepted = new ArrayList<>();
    private int sequence;

    /**
     * Creates the scenario.
     *
     * @param ctx the context
     * @param profile the user's resource configuration
     * @param p the figures
     */
    public FdExhaustionScenario(ScenarioContext ctx, ResourceProfile profile, ResourceScenarioParameters p) {
        this.ctx = ctx;
        this.profile = profile;
        this.p = p;
    }

    /**
     * Runs the scenario and asserts its pass criteria.
     *
     * @throws Exception when it cannot run
     */
    public void run() throws Exception {
        ServerSocket database = ctx.closeAfter(new ServerSocket(0, 512, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(() -> {
            while (!database.isClosed()) {
                try {
                    Socket s = database.accept();
                    synchronized (accepted) {
                        accepted.add(s);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, "cs26-database");
        acceptor.setDaemon(true);
        acceptor.start();
        ctx.closeAfter(() -> {
            for (Socket s : clients) {
                s.close();
            }
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        });
        long budget = (long) p.cs26PoolConnections() + p.cs26ServerConnections() + profile.fileDescriptorHeadroom();
        ctx.figure("openFilesLimit", p.cs26OpenFilesLimit());
        ctx.figure("budget", budget);
        failFast(database.getLocalPort(), budget);
        scaleDownWarnAndShed(database.getLocalPort());
    }

    private ChildJvm child(String mode, int dbPort) {
        FileDescriptorMonitorConfig m = profile.fileDescriptorMonitor();
        return ctx.closeAfter(ChildJvm.start(ChildJvmConfig.builder(FdScenarioChild.class).name("cs26-" + mode.toLowerCase(Locale.ROOT))
                .maxHeapBytes(64L << 20).openFilesLimit(p.cs26OpenFilesLimit())
                .systemProperty("cs26.mode", mode)
                .systemProperty("cs26.pool", String.valueOf(p.cs26PoolConnections()))
                .systemProperty("cs26.server", String.valueOf(p.cs26ServerConnections()))
                .systemProperty("cs26.headroom", String.valueOf(profile.fileDescriptorHeadroom()))
                .systemProperty("cs26.warn", String.valueOf(m.warnRatio()))
                .systemProperty("cs26.shed", String.valueOf(m.shedRatio()))
                .systemProperty("cs26.clear", String.valueOf(m.clearRatio()))
                .systemProperty("cs26.interval", m.interval().toString())
                .systemProperty("cs26.dbPort", String.valueOf(dbPort))
                .build()));
    }

    private void failFast(int dbPort, long budget) {
        long t0 = System.nanoTime();
        ChildJvm child = child("FAIL_FAST", dbPort);
        int exit = child.awaitExit(WAIT);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String out = String.join("\n", child.output());
        ctx.figure("failFastExitMillis", millis);
        assertThat(exit).as(out).isEqualTo(3);
        assertThat(out).as("the message names the budget and the limit")
                .contains("file-descriptor budget of " + budget)
                .contains("open-files limit of " + p.cs26OpenFilesLimit());
        assertThat(out).doesNotContain("Too many open files");
    }

    private void scaleDownWarnAndShed(int dbPort) throws Exception {
        FileDescriptorMonitorConfig m = profile.fileDescriptorMonitor();
        int limit = p.cs26OpenFilesLimit();
        ChildJvm child = child("SCALE_DOWN", dbPort);
        MatchResult ready = child.awaitMatch(READY, WAIT);
        int port = Integer.parseInt(ready.group(1));
        int pool = Integer.parseInt(ready.group(2));
        int http = Integer.parseInt(ready.group(3));
        int openAtCheck = Integer.parseInt(ready.group(4));
        ctx.figure("scaledPool", pool);
        ctx.figure("scaledServerConnections", http);
        ctx.figure("openAtStart", openAtCheck);
        assertThat(ready.group(5)).isEqualTo(String.valueOf(limit));
        assertThat(ready.group(6)).isEqualTo("true");
        assertThat((long) pool + http + profile.fileDescriptorHeadroom() + openAtCheck).isLessThanOrEqualTo(limit);
        assertThat(pool).isLessThan(p.cs26PoolConnections());
        assertThat(http).isLessThan(p.cs26ServerConnections());

        // Fill the server to its scaled limit, and beyond: the limit turns the extra ones away.
        int ok = 0;
        for (int i = 0; i < http + 10; i++) {
            if ("OK".equals(connect(port))) {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(http);

        // An unbudgeted leak grows until the monitor warns, then sheds.
        Matcher s = status(child);
        double warnedAt = -1;
        int guard = 0;
        while (!"SHED".equals(s.group(3)) && guard++ < limit) {
            ask(child, "leak 2", "LEAKED");
            s = status(child);
            double ratio = Double.parseDouble(s.group(1)) / Double.parseDouble(s.group(2));
            if ("WARN".equals(s.group(3)) && warnedAt < 0) {
                warnedAt = ratio;
            }
        }
        double shedAt = Double.parseDouble(s.group(1)) / limit;
        ctx.figure("warnedAtRatio", warnedAt);
        ctx.figure("shedAtRatio", shedAt);
        ctx.figure("shedAtOpen", Long.parseLong(s.group(1)));
        assertThat(warnedAt).as("warned at the warning level").isGreaterThanOrEqualTo(m.warnRatio()).isLessThan(m.shedRatio());
        assertThat(shedAt).as("shed at the shedding level").isGreaterThanOrEqualTo(m.shedRatio()).isLessThan(m.shedRatio() + 0.02);
        assertThat(s.group(4)).isEqualTo("true");

        int shed = 0;
        for (int i = 0; i < p.cs26ExtraConnections(); i++) {
            if ("SHED".equals(connect(port))) {
                shed++;
            }
        }
        ctx.figure("shedConnections", shed);
        assertThat(shed).isEqualTo(p.cs26ExtraConnections());

        ask(child, "release", "RELEASED");
        assertThat(status(child).group(3)).isEqualTo("NORMAL");
        for (Socket c : clients) {
            c.close();
        }
        clients.clear();
        await().atMost(Duration.ofSeconds(10)).until(() -> "OK".equals(connect(port)));
        ask(child, "quit", "BYE");
        assertThat(child.awaitExit(WAIT)).isZero();
        String out = String.join("\n", child.output());
        assertThat(out).contains("at or above the warning level").contains("shedding new connections");
        assertThat(out).doesNotContain("Too many open files").doesNotContain("ACCEPT-ERROR").doesNotContain("CONN-ERROR");
    }

    private String connect(int port) throws IOException {
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

    private String ask(ChildJvm child, String command, String reply) {
        String seq = (++sequence) + " ";
        child.sendLine(seq + command);
        return child.awaitLine(l -> l.startsWith(seq + reply), WAIT).substring(seq.length());
    }

    private Matcher status(ChildJvm child) {
        Matcher m = STATUS.matcher(ask(child, "status", "STATUS"));
        assertThat(m.matches()).isTrue();
        return m;
    }
}
