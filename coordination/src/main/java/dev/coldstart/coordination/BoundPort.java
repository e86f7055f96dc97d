package dev.coldstart.coordination;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * A listening socket that a {@link PortAllocator} has already bound, handed over to whoever serves
 * on it (for example {@link ProbeEndpoint}). Because the port is bound before it is handed over,
 * nobody can take it between a check and the bind.
 *
 * <p>The channel is in blocking mode and listening. Whoever takes the channel owns it and must
 * close it, either through {@link #close()} or by closing the channel. Thread-safe.
 */
public final class BoundPort implements AutoCloseable {
    private final ServerSocketChannel channel;
    private final InetSocketAddress address;
    private final int requestedPort;
    private final int attempts;

    BoundPort(ServerSocketChannel channel, InetSocketAddress address, int requestedPort, int attempts) {
        this.channel = channel;
        this.address = address;
        this.requestedPort = requestedPort;
        this.attempts = attempts;
    }

    /**
     * The port the socket listens on: the one to advertise and register.
     *
     * @return a port between 1 and 65535
     */
    public int port() {
        return address.getPort();
    }

    /**
     * The port that was asked for.
     *
     * @return 0 when any port was asked for, else the requested port
     */
    public int requestedPort() {
        return requestedPort;
    }

    /**
     * Whether an ephemeral port was bound because the requested one was in use
     * ({@link PortPolicy#EPHEMERAL_FALLBACK}).
     *
     * @return true when {@link #port()} differs from a non-zero {@link #requestedPort()}
     */
    public boolean isFallback() {
        return requestedPort != 0 && requestedPort != address.getPort();
    }

    /**
     * How many bind attempts it took; more than 1 only under {@link PortPolicy#RETRY}.
     *
     * @return at least 1
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The local address the socket is bound to.
     *
     * @return the bound address; a wildcard address when bound to all interfaces
     */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The bound, listening channel.
     *
     * @return the channel; closing it releases the port
     */
    public ServerSocketChannel channel() {
        return channel;
    }

    /**
     * Whether the channel is still open.
     *
     * @return true until the channel is closed
     */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Closes the channel and releases the port. Idempotent.
     *
     * @throws UncheckedIOException if closing the socket fails
     */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the socket bound to " + address + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "BoundPort{address=" + address + ", requestedPort=" + requestedPort + ", attempts=" + attempts + '}';
    }
}
