package dev.coldstart.testkit.internal.scenario;

import dev.coldstart.core.Component;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.resources.FileDescriptorBudget;
import dev.coldstart.resources.FileDescriptorMonitor;
import dev.coldstart.resources.FileDescriptorMonitorConfig;
import dev.coldstart.resources.FileDescriptorPlan;
import dev.coldstart.resources.FileDescriptorPreflight;
import dev.coldstart.resources.FileDescriptorUsage;
import dev.coldstart.resources.LoadShedder;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The CS-26 service, run in a child JVM under {@code ulimit -n}: a pool of real sockets to the
 * scenario's listener and an accepting server with a connection limit, both sized by the
 * file-descriptor preflight, plus the fd monitor and the shared load shedder. Configured by system
 * properties {@code cs26.*}; commands on stdin, each prefixed by a sequence number that the reply
 * repeats: {@code <seq> leak N}, {@code <seq> release}, {@code <seq> status}, {@code <seq> quit}.
 */
public final class FdScenarioChild {
    private FdScenarioChild() {
    }

    /**
     * Runs the service.
     *
     * @param args unused
     * @throws Exception on a failure outside the protocol
     */
    public static void main(String[] args) throws Exception {
        FileDescriptorBudget budget = FileDescriptorBudget.builder()
                .entry("pool", Integer.getInteger("cs26.pool"))
                .entry("http", Integer.getInteger("cs26.server"))
                .headroom(Integer.getInteger("cs26.headroom"))
                .onExceeded(FileDescriptorBudget.OnExceeded.valueOf(System.getProperty("cs26.mode")))
                .build();
        FileDescriptorMonitorConfig monitorConfig = FileDescriptorMonitorConfig.builder()
                .warnRatio(Double.parseDouble(System.getProperty("cs26.warn")))
                .shedRatio(Double.parseDouble(System.getProperty("cs26.shed")))
                .clearRatio(Double.parseDouble(System.getProperty("cs26.clear")))
                .interval(Duration.parse(System.getProperty("cs26.interval")))
                .build();
        int dbPort = Integer.getInteger("cs26.dbPort");
        LoadShedder shedder = LoadShedder.create();
        FileDescriptorPreflight preflight = FileDescriptorPreflight.of(budget);
        FileDescriptorMonitor monitor = FileDescriptorMonitor.of(monitorConfig, shedder);
        List<Socket> pool = new ArrayList<>();
        ServerSocket[] server = new ServerSocket[1];
        Component poolComponent = Component.builder("pool").dependsOn(preflight.name()).onStart(() -> {
            for (int i = 0; i < preflight.plan().granted("pool"); i++) {
                pool.add(new Socket(InetAddress.getLoopbackAddress(), dbPort));
            }
        }).build();
        Component http = Component.builder("http").dependsOn(preflight.name()).onStart(() -> {
            Semaphore slots = new Semaphore(preflight.plan().granted("http"));
            server[0] = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> acceptLoop(server[0], slots, shedder), "accept");
            t.setDaemon(true);
            t.start();
        }).build();
        StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName("cs26-child")
                .component(preflight).component(monitor).component(poolComponent).component(http).build();
        try {
            orchestrator.start();
        } catch (StartupFailedException e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(3);
        }
        FileDescriptorPlan plan = preflight.plan();
        System.out.println("READY port=" + server[0].getLocalPort() + " pool=" + plan.granted("pool") + " http="
                + plan.granted("http") + " open=" + plan.openAtCheck() + " limit=" + plan.limit() + " scaled=" + plan.scaledDown());
        List<Closeable> leaked = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] all = line.trim().split(" ");
            String seq = all[0] + " ";
            String[] cmd = Arrays.copyOfRange(all, 1, all.length);
            switch (cmd.length == 0 ? "" : cmd[0]) {
                case "leak":
                    // An unbudgeted leak, as a library that keeps files open would make.
                    for (int i = 0; i < Integer.parseInt(cmd[1]); i++) {
                        leaked.add(new FileInputStream("/dev/null"));
                    }
                    System.out.println(seq + "LEAKED " + leaked.size());
                    break;
                case "release":
                    for (Closeable c : leaked) {
                        c.close();
                    }
                    leaked.clear();
                    System.out.println(seq + "RELEASED");
                    break;
                case "status":
                    FileDescriptorUsage u = monitor.sampleNow();
                    System.out.println(seq + "STATUS open=" + u.open() + " max=" + u.max() + " level=" + monitor.level()
                            + " shedding=" + shedder.shouldShed());
                    break;
                case "quit":
                    orchestrator.stop();
                    System.out.println(seq + "BYE");
                    System.exit(0);
                    break;
                default:
                    System.out.println(seq + "UNKNOWN " + line);
            }
        }
        // The scenario's JVM is gone (stdin closed): do not outlive it.
        System.exit(0);
    }

    private static void acceptLoop(ServerSocket server, Semaphore slots, LoadShedder shedder) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                OutputStream out = s.getOutputStream();
                if (shedder.shouldShed() || !slots.tryAcquire()) {
                    out.write((shedder.shouldShed() ? "SHED\n" : "FULL\n").getBytes(StandardCharsets.US_ASCII));
                    s.close();
                    continue;
                }
                out.write("OK\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread t = new Thread(() -> hold(s, slots), "conn");
                t.setDaemon(true);
                t.start();
            } catch (Exception e) {
                System.out.println("ACCEPT-ERROR " + e);
            }
        }
    }

    private static void hold(Socket s, Semaphore slots) {
        try (s) {
            while (s.getInputStream().read() >= 0) {
                continue;
            }
        } catch (Exception e) {
            System.out.println("CONN-ERROR " + e);
        } finally {
            slots.release();
        }
    }
}
