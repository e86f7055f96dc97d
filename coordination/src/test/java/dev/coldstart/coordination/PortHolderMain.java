package dev.coldstart.coordination;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Runs in a child JVM and holds a port on 127.0.0.1, standing in for "another process": prints
 * {@code BOUND <port>}, releases the port on a {@code RELEASE} line (printing {@code RELEASED}),
 * and exits when its standard input closes.
 */
public final class PortHolderMain {
    private PortHolderMain() {
    }

    /**
     * Holds the port.
     *
     * @param args the port to bind; 0 for an ephemeral one
     * @throws Exception on any failure, which ends the child
     */
    public static void main(String[] args) throws Exception {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])));
        System.out.println("BOUND " + ((InetSocketAddress) channel.getLocalAddress()).getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if ("RELEASE".equals(line.trim())) {
                channel.close();
                System.out.println("RELEASED");
                System.out.flush();
            }
        }
        channel.close();
    }
}
