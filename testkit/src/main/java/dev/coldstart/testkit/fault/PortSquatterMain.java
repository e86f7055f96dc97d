package dev.coldstart.testkit.fault;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The main class of a {@link PortSquatter} run in a separate process: binds and listens on
 * {@code host:port}, prints {@code PORT-SQUATTER BOUND <host> <port> <pid>} and holds the port
 * until its stdin reaches end-of-file (its parent closed it or died), then exits with 0. A bind
 * failure prints {@code PORT-SQUATTER FAILED <reason>} on stderr and exits with 2.
 *
 * <p>It never accepts: connections are completed by the kernel and wait in the backlog, as with a
 * process that holds a port but does not serve. Depends on the JDK only, so its classpath can be
 * the testkit's jar alone.
 */
public final class PortSquatterMain {
    /** The line prefix printed once the port is held. */
    public static final String BOUND = "PORT-SQUATTER BOUND";
    /** The line prefix printed when the bind fails. */
    public static final String FAILED = "PORT-SQUATTER FAILED";

    private PortSquatterMain() {
    }

    /**
     * Holds the port.
     *
     * @param args {@code host port}; port 0 picks an ephemeral one
     * @throws IOException if reading stdin fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println(FAILED + " usage: PortSquatterMain <host> <port>");
            System.exit(2);
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 50);
        } catch (IOException | RuntimeException e) {
            System.err.println(FAILED + " " + args[0] + ":" + args[1] + " " + e);
            System.exit(2);
        }
        System.out.println(BOUND + " " + args[0] + " " + socket.getLocalPort() + " " + ProcessHandle.current().pid());
        System.out.flush();
        InputStream in = System.in;
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
            // Only end-of-file matters: the parent is gone or wants the port back.
        }
        socket.close();
    }
}
