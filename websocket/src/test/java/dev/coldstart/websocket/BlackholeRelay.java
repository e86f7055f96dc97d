package dev.coldstart.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of a server that can go silent: while blackholed it relays nothing in either
 * direction (bytes are dropped, as on a partitioned link) and holds new connections unconnected;
 * when healed, held connections are relayed. Each side still believes its TCP connection is open: a
 * side that closes during the partition is not seen closing by the other until the link heals.
 */
final class BlackholeRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    /** Closes that happened during the partition: a partitioned link delivers no FIN either. */
    private final List<Socket> closesHeld = new CopyOnWriteArrayList<>();
    private volatile boolean blackhole;
    private volatile boolean closed;

    BlackholeRelay(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "blackhole-relay-accept");
        t.setDaemon(true);
        t.start();
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + path);
    }

    void blackhole() {
        blackhole = true;
    }

    void heal() {
        blackhole = false;
        for (Socket s : held) {
            held.remove(s);
            relay(s);
        }
        for (Socket s : closesHeld) {
            closesHeld.remove(s);
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                if (blackhole) {
                    held.add(client);
                } else {
                    relay(client);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try {
            Socket upstream = new Socket();
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2000);
            sockets.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            // Not try-with-resources: closing a socket's stream closes the socket, which would
            // deliver the very FIN a partition must hold back.
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!blackhole) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // One side went away: end both.
            } finally {
                closeQuietly(from);
                if (blackhole) {
                    closesHeld.add(to);
                } else {
                    closeQuietly(to);
                }
            }
        }, "blackhole-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        sockets.forEach(BlackholeRelay::closeQuietly);
    }
}
