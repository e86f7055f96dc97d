package dev.coldstart.testkit.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real echo server on 127.0.0.1 for the proxy tests: one selector thread, echoes every byte,
 * closes a connection once the client has closed its side and everything was echoed.
 */
final class NioEchoServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong bytesEchoed = new AtomicLong();
    private volatile boolean running = true;

    private NioEchoServer() throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::run, "test-echo-server");
        thread.setDaemon(true);
        thread.start();
    }

    static NioEchoServer start() {
        try {
            return new NioEchoServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.socket().getLocalPort();
    }

    int openConnections() {
        return open.get();
    }

    int acceptedConnections() {
        return accepted.get();
    }

    long bytesEchoed() {
        return bytesEchoed.get();
    }

    private void run() {
        try {
            while (running) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel ch;
                        while ((ch = server.accept()) != null) {
                            ch.configureBlocking(false);
                            ch.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(16 * 1024));
                            open.incrementAndGet();
                            accepted.incrementAndGet();
                        }
                    } else {
                        handle(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key);
            }
            try {
                selector.close();
                server.close();
            } catch (IOException e) {
                // closing at the end of a test; nothing else to do
            }
        }
    }

    private void handle(SelectionKey key) {
        SocketChannel ch = (SocketChannel) key.channel();
        ByteBuffer buf = (ByteBuffer) key.attachment();
        try {
            if (key.isReadable()) {
                int n = ch.read(buf);
                if (n < 0) {
                    key.interestOps(0);
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    closeQuietly(key);
                    return;
                }
            }
            buf.flip();
            bytesEchoed.addAndGet(ch.write(buf));
            boolean pending = buf.hasRemaining();
            buf.compact();
            key.interestOps(pending ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        } catch (IOException e) {
            closeQuietly(key);
        }
    }

    private void closeQuietly(SelectionKey key) {
        if (key.channel() instanceof SocketChannel && key.channel().isOpen()) {
            open.decrementAndGet();
        }
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
