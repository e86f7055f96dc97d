package dev.coldstart.resources.child;

import dev.coldstart.core.Component;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.resources.FileDescriptorBudget;
import dev.coldstart.resources.FileDescriptorMonitor;
import dev.coldstart.resources.FileDescriptorMonitorConfig;
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
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * A service run in a child JVM under {@code ulimit -n}: a pool of real sockets to the parent's server, an
 * accepting server with a connection limit, the fd preflight and monitor. Args: mode poolSize serverLimit
 * headroom dbPort. Commands on stdin: leak N, release, status, quit.
 */
public final class FdServiceMain {
    private FdServiceMain() {
    }

    public static void main(String[] args) throws Exception {
        FileDescriptorBudget.OnExceeded mode = FileDescriptorBudget.OnExceeded.valueOf(args[0]);
        int poolSize = Integer.parseInt(args[1]);
        int serverLimit = Integer.parseInt(args[2]);
        int headroom = Integer.parseInt(args[3]);
        int dbPort = Integer.parseInt(args[4]);
        FileDescriptorBudget budget = FileDescriptorBudget.builder().entry("pool", poolSize).entry("http", serverLimit)
                .headroom(headroom).onExceeded(mode).build();
        LoadShedder shedder = LoadShedder.create();
        FileDescriptorPreflight preflight = FileDescriptorPreflight.of(budget);
        FileDescriptorMonitor monitor = FileDescriptorMonitor.of(FileDescriptorMonitorConfig.builder()
                .interval(Duration.ofMillis(50)).build(), shedder);
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
        StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName("fd-child")
                .component(preflight).component(monitor).component(poolComponent).component(http).build();
        try {
            orchestrator.start();
        } catch (StartupFailedException e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(3);
        }
        System.out.println("READY port=" + server[0].getLocalPort() + " pool=" + preflight.plan().granted("pool")
                + " http=" + preflight.plan().granted("http") + " open=" + preflight.plan().openAtCheck()
                + " limit=" + preflight.plan().limit() + " scaled=" + preflight.plan().scaledDown());
        List<Closeable> leaked = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            switch (cmd[0]) {
                case "leak":
                    for (int i = 0; i < Integer.parseInt(cmd[1]); i++) {
                        leaked.add(new FileInputStream("/dev/null"));
                    }
                    System.out.println("LEAKED " + leaked.size());
                    break;
                case "release":
                    for (Closeable c : leaked) {
                        c.close();
                    }
                    leaked.clear();
                    System.out.println("RELEASED");
                    break;
                case "status":
                    FileDescriptorUsage u = monitor.sampleNow();
                    System.out.println("STATUS open=" + u.open() + " max=" + u.max() + " level=" + monitor.level()
                            + " shedding=" + shedder.shouldShed());
                    break;
                case "quit":
                    orchestrator.stop();
                    System.out.println("BYE");
                    System.exit(0);
                    break;
                default:
                    System.out.println("UNKNOWN " + line);
            }
        }
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
                Thread t = new Thread(() -> {
                    try (s) {
                        while (s.getInputStream().read() >= 0) {
                            // hold the connection until the client closes it
                        }
                    } catch (Exception e) {
                        System.out.println("CONN-ERROR " + e);
                    } finally {
                        slots.release();
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (Exception e) {
                System.out.println("ACCEPT-ERROR " + e);
            }
        }
    }
}
