package dev.coldstart.testkit.internal.fault;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.testkit.fault.FaultSchedule;
import dev.coldstart.testkit.fault.ProxyStats;
import dev.coldstart.testkit.fault.TcpFault;
import dev.coldstart.testkit.fault.TcpFaultProxyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP fault proxy's engine: one selector thread that accepts, connects, relays and applies
 * faults for every connection. All mutable state below the counters belongs to that thread; other
 * threads hand it work through {@link #call(Callable)}, which waits until the work has run, so a
 * fault switch is in force when the caller's method returns.
 *
 * <p>Why one thread and no thread per connection: thousands of mostly idle connections cost a few
 * objects each, and a single thread orders every fault switch against every accept and chunk,
 * which makes "the first N connections" and "from now on" exact.
 */
public final class ProxyEngine {
    private static final Logger log = LoggerFactory.getLogger(ProxyEngine.class);
    private static final int MAX_ACCEPTS_PER_WAKEUP = 256;
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long CALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private enum State {
        /** Accepted; waiting for the connect latency to pass. */
        DELAYING,
        /** Accepted under a blackhole; connects upstream when it lifts. */
        HELD,
        /** Upstream connect in progress. */
        CONNECTING,
        /** Relaying. */
        OPEN,
        /** Swallowed by a counted blackhole step: read and discarded until the client closes. */
        SWALLOWED,
        CLOSED
    }

    private final String name;
    private final InetSocketAddress upstream;
    private final InetSocketAddress listenAddress;
    private final long upstreamConnectTimeoutNanos;
    private final int maxBufferedBytes;
    private final int acceptBacklog;
    private final boolean reusePort;
    private final Selector selector;
    private final ByteBuffer readBuffer;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final Set<Connection> held = new LinkedHashSet<>();

    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong swallowed = new AtomicLong();
    private final AtomicLong upstreamFailures = new AtomicLong();
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong peakOpen = new AtomicLong();
    private final AtomicLong bytesToUpstream = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();

    private volatile boolean running = true;
    private volatile TcpFault publishedFault;

    private ServerSocketChannel listener;
    private SelectionKey listenerKey;
    private SocketChannel placeholder;
    private TcpFault fault = TcpFault.none();
    private TokenBucket toUpstreamBucket;
    private TokenBucket toClientBucket;
    private ScheduleRun schedule;
    private TcpFault acceptOverride;
    private int acceptOverrideRemaining;
    private long nextConnectionId;
    private long timerSequence;
    private boolean upstreamDown;

    private ProxyEngine(TcpFaultProxyConfig config, InetSocketAddress upstream) throws IOException {
        this.name = config.name();
        this.upstream = upstream;
        this.upstreamConnectTimeoutNanos = config.upstreamConnectTimeout().toNanos();
        this.maxBufferedBytes = config.maxBufferedBytesPerDirection();
        this.acceptBacklog = config.acceptBacklog();
        this.readBuffer = ByteBuffer.allocateDirect(config.chunkSizeBytes());
        this.selector = Selector.open();
        boolean supportsReusePort;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            supportsReusePort = probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        }
        this.reusePort = supportsReusePort;
        try {
            this.listenAddress = openListener(new InetSocketAddress(config.listenHost(), config.listenPort()));
            applyFault(config.initialFault());
        } catch (IOException | RuntimeException e) {
            closeQuietly(listener);
            closeQuietly(selector);
            throw e;
        }
        this.thread = new Thread(this::run, "coldstart-proxy-" + listenAddress.getPort());
        this.thread.setDaemon(true);
    }

    /**
     * Binds the proxy and starts its selector thread.
     *
     * @param config the proxy's configuration
     * @return the running engine
     * @throws UncheckedIOException if the listening port cannot be bound
     * @throws ConfigurationException if the upstream host does not resolve
     */
    public static ProxyEngine start(TcpFaultProxyConfig config) {
        InetSocketAddress upstream = new InetSocketAddress(config.upstreamHost(), config.upstreamPort());
        if (upstream.isUnresolved()) {
            throw new ConfigurationException("upstreamHost must resolve to an address, but was "
                    + config.upstreamHost() + " (check the name or use an IP address such as 127.0.0.1)");
        }
        ProxyEngine engine;
        try {
            engine = new ProxyEngine(config, upstream);
        } catch (IOException e) {
            throw new UncheckedIOException(config.name() + " - cannot listen on " + config.listenHost() + ":"
                    + config.listenPort() + ": " + e.getMessage()
                    + " (choose another listenPort, or 0 for an ephemeral one)", e);
        }
        engine.thread.start();
        log.info("{} - listening on {}:{} in front of {}, fault {}", engine.name,
                engine.listenAddress.getHostString(), engine.listenAddress.getPort(), upstream, engine.fault);
        return engine;
    }

    /** The address clients connect to, with the bound port. */
    public InetSocketAddress listenAddress() {
        return listenAddress;
    }

    /** The upstream address. */
    public InetSocketAddress upstream() {
        return upstream;
    }

    /** The fault in force, as last applied by the selector thread. */
    public TcpFault fault() {
        return publishedFault;
    }

    /** Whether the proxy runs. */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    /** Applies a fault, cancelling any running schedule; returns once it is in force. */
    public void setFault(TcpFault next) {
        call(() -> {
            cancelSchedule("replaced by setFault(" + next + ")");
            applyFault(next);
            return null;
        });
    }

    /** Starts a schedule, cancelling any running one; returns once its first step is in force. */
    public CompletableFuture<Void> schedule(FaultSchedule faultSchedule) {
        return call(() -> {
            cancelSchedule("replaced by a new schedule");
            ScheduleRun run = new ScheduleRun(faultSchedule);
            schedule = run;
            log.info("{} - schedule {}", name, faultSchedule);
            advance(run, -1);
            // The engine never reads this future back, so whatever a caller does with it changes nothing.
            return run.done;
        });
    }

    /** Resets every open connection; returns how many. */
    public int resetOpenConnections() {
        return call(() -> {
            int count = resetAll();
            selector.selectNow();
            return count;
        });
    }

    /** A snapshot of the counters. */
    public ProxyStats stats() {
        return new ProxyStats(attempts.get(), forwarded.get(), resets.get(), swallowed.get(), upstreamFailures.get(),
                open.get(), peakOpen.get(), bytesToUpstream.get(), bytesToClient.get());
    }

    /** Stops the selector thread and closes every socket; idempotent. */
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("{} - closed ({})", name, stats());
    }

    private <T> T call(Callable<T> action) {
        if (Thread.currentThread() == thread) {
            try {
                return action.call();
            } catch (Exception e) {
                throw unchecked(e);
            }
        }
        if (!isRunning()) {
            throw new IllegalStateException(name + " - the proxy is closed; start a new one");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(action.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        selector.wakeup();
        long deadline = System.nanoTime() + CALL_TIMEOUT_NANOS;
        try {
            while (true) {
                try {
                    return result.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!thread.isAlive()) {
                        throw new IllegalStateException(name + " - the proxy closed before the change was applied",
                                e);
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException(name + " - the selector thread did not apply the change within "
                                + TimeUnit.NANOSECONDS.toSeconds(CALL_TIMEOUT_NANOS) + " s", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " - interrupted while waiting for the proxy", e);
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        }
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t instanceof IOException) {
            return new UncheckedIOException((IOException) t);
        }
        return new IllegalStateException(t);
    }

    // ---------------------------------------------------------------- selector loop

    private void run() {
        try {
            while (running) {
                long timeoutMillis = nextSelectTimeoutMillis();
                if (timeoutMillis < 0) {
                    selector.selectNow();
                } else {
                    selector.select(timeoutMillis);
                }
                if (!running) {
                    break;
                }
                processSelectedKeys();
                runDueTimers();
                runTasks();
            }
        } catch (IOException | RuntimeException | Error e) {
            log.error("{} - selector loop failed, the proxy stops and closes its connections", name, e);
        } finally {
            running = false;
            shutdown();
        }
    }

    /** -1: do not block; 0: block until woken; otherwise milliseconds until the next timer. */
    private long nextSelectTimeoutMillis() {
        if (!tasks.isEmpty()) {
            return -1;
        }
        Timer next = timers.peek();
        if (next == null) {
            return 0;
        }
        long nanos = next.at - System.nanoTime();
        if (nanos <= 0) {
            return -1;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        Timer t;
        while ((t = timers.peek()) != null && t.at - now <= 0) {
            timers.poll();
            if (!t.cancelled) {
                t.cancelled = true;
                try {
                    t.action.run();
                } catch (RuntimeException e) {
                    log.error("{} - a timer action failed", name, e);
                }
            }
        }
    }

    private Timer addTimer(long atNanos, Runnable action) {
        Timer t = new Timer(atNanos, timerSequence++, action);
        timers.add(t);
        return t;
    }

    private void processSelectedKeys() {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key == listenerKey) {
                acceptAll();
                continue;
            }
            Connection c = (Connection) key.attachment();
            if (c.state == State.CLOSED) {
                continue;
            }
            try {
                onReady(c, key);
            } catch (RuntimeException e) {
                // A bug must cost one connection, not the proxy.
                log.error("{} - unexpected failure on connection {}, resetting it", name, c.id, e);
                close(c, true);
            }
        }
    }

    private void onReady(Connection c, SelectionKey key) {
        boolean clientSide = key.channel() == c.client;
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            finishConnect(c);
        } else {
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                Flow out = clientSide ? c.toClient : c.toUpstream;
                out.writeBlocked = false;
                pump(out);
            }
            if ((ready & SelectionKey.OP_READ) != 0 && c.state != State.CLOSED) {
                onReadable(clientSide ? c.toUpstream : c.toClient);
            }
        }
        updateInterest(c);
    }

    // ---------------------------------------------------------------- accepting and connecting

    private void acceptAll() {
        for (int i = 0; i < MAX_ACCEPTS_PER_WAKEUP && listener != null; i++) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                // EMFILE and friends: stop accepting briefly instead of spinning on a ready key.
                log.warn("{} - accept failed ({}); pausing accepts for 100 ms", name, e.toString());
                pauseAccepting();
                return;
            }
            if (ch == null) {
                return;
            }
            attempts.incrementAndGet();
            try {
                onAccepted(ch);
            } catch (RuntimeException e) {
                log.error("{} - unexpected failure on an accepted connection, resetting it", name, e);
                resetAndClose(ch);
            }
        }
    }

    private void pauseAccepting() {
        SelectionKey key = listenerKey;
        key.interestOps(0);
        addTimer(System.nanoTime() + ACCEPT_PAUSE_NANOS, () -> {
            if (key == listenerKey && key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    private void onAccepted(SocketChannel ch) {
        TcpFault f = fault;
        boolean counted = false;
        if (acceptOverride != null) {
            f = acceptOverride;
            counted = true;
            if (--acceptOverrideRemaining == 0) {
                acceptOverride = null;
                ScheduleRun run = schedule;
                int index = run.index;
                // Advanced after this batch of keys: a step may close the listener, which needs a selectNow.
                tasks.add(() -> advance(run, index));
            }
        }
        if (f.mode() == TcpFault.Mode.RESET) {
            resets.incrementAndGet();
            resetAndClose(ch);
            log.debug("{} - reset connection attempt {}", name, attempts.get());
            return;
        }
        Connection c = register(ch);
        if (c == null) {
            return;
        }
        if (f.mode() == TcpFault.Mode.BLACKHOLE && counted) {
            swallowed.incrementAndGet();
            c.state = State.SWALLOWED;
        } else if (f.mode() == TcpFault.Mode.BLACKHOLE) {
            hold(c);
        } else if (!f.connectLatency().isZero()) {
            c.state = State.DELAYING;
            c.connectTimer = addTimer(System.nanoTime() + f.connectLatency().toNanos(), () -> {
                if (c.state == State.DELAYING) {
                    connectOrHold(c);
                    updateInterest(c);
                }
            });
        } else {
            connectOrHold(c);
        }
        updateInterest(c);
    }

    private Connection register(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection c = new Connection(nextConnectionId++, ch);
            c.clientKey = ch.register(selector, 0, c);
            connections.add(c);
            long now = open.incrementAndGet();
            peakOpen.accumulateAndGet(now, Math::max);
            return c;
        } catch (IOException e) {
            log.debug("{} - dropping an accepted connection that failed setup: {}", name, e.toString());
            closeQuietly(ch);
            return null;
        }
    }

    private void hold(Connection c) {
        c.state = State.HELD;
        held.add(c);
    }

    private void connectOrHold(Connection c) {
        if (fault.mode() == TcpFault.Mode.BLACKHOLE) {
            hold(c);
            return;
        }
        if (c.toUpstream.abort) {
            close(c, true);
            return;
        }
        try {
            SocketChannel up = SocketChannel.open();
            c.upstream = up;
            c.state = State.CONNECTING;
            up.configureBlocking(false);
            up.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.upstreamKey = up.register(selector, 0, c);
            if (up.connect(upstream)) {
                onUpstreamConnected(c);
            } else {
                c.connectTimer = addTimer(System.nanoTime() + upstreamConnectTimeoutNanos, () -> {
                    if (c.state == State.CONNECTING) {
                        upstreamConnectFailed(c, new SocketTimeoutException("connect timed out after "
                                + TimeUnit.NANOSECONDS.toMillis(upstreamConnectTimeoutNanos) + " ms"));
                    }
                });
            }
        } catch (IOException e) {
            upstreamConnectFailed(c, e);
        }
    }

    private void finishConnect(Connection c) {
        try {
            if (c.upstream.finishConnect()) {
                onUpstreamConnected(c);
            }
        } catch (IOException e) {
            upstreamConnectFailed(c, e);
        }
    }

    private void onUpstreamConnected(Connection c) {
        c.state = State.OPEN;
        cancel(c.connectTimer);
        forwarded.incrementAndGet();
        if (upstreamDown) {
            upstreamDown = false;
            log.info("{} - upstream {} accepts connections again", name, upstream);
        }
        pump(c.toUpstream);
        pump(c.toClient);
    }

    private void upstreamConnectFailed(Connection c, IOException e) {
        upstreamFailures.incrementAndGet();
        if (!upstreamDown) {
            upstreamDown = true;
            log.warn("{} - cannot connect to upstream {} ({}); its clients are reset until it answers", name,
                    upstream, e.toString());
        } else {
            log.debug("{} - upstream connect failed again: {}", name, e.toString());
        }
        close(c, true);
    }

    // ---------------------------------------------------------------- relaying

    private void onReadable(Flow f) {
        Connection c = f.connection;
        if (c.state == State.SWALLOWED) {
            drainSwallowed(c);
            return;
        }
        SocketChannel source = f.source();
        readBuffer.clear();
        int n;
        try {
            n = source.read(readBuffer);
        } catch (IOException e) {
            n = -1;
            f.abort = true;
        }
        if (n < 0) {
            f.eofRead = true;
            if (f.abort && c.state != State.OPEN) {
                // The client reset before the upstream ever saw it: nothing to pass on.
                close(c, true);
                return;
            }
        } else if (n > 0) {
            readBuffer.flip();
            ByteBuffer data = ByteBuffer.allocate(n);
            data.put(readBuffer).flip();
            long at = System.nanoTime() + fault.chunkLatency().toNanos();
            if (f.lastDeliverAt - at > 0) {
                // A shorter latency switched on mid-stream must not reorder chunks.
                at = f.lastDeliverAt;
            }
            f.lastDeliverAt = at;
            f.chunks.add(new Chunk(data, at));
            f.buffered += n;
        }
        pump(f);
    }

    private void drainSwallowed(Connection c) {
        try {
            int n;
            do {
                readBuffer.clear();
                n = c.client.read(readBuffer);
            } while (n > 0);
            if (n < 0) {
                close(c, false);
            }
        } catch (IOException e) {
            close(c, true);
        }
    }

    /** Writes what is due of a flow, as far as time, tokens, the socket and the fault allow. */
    private void pump(Flow f) {
        Connection c = f.connection;
        if (c.state != State.OPEN || fault.mode() == TcpFault.Mode.BLACKHOLE) {
            f.writeBlocked = false;
            return;
        }
        SocketChannel sink = f.sink();
        TokenBucket bucket = f.toUpstream ? toUpstreamBucket : toClientBucket;
        long now = System.nanoTime();
        Chunk chunk;
        while ((chunk = f.chunks.peek()) != null) {
            if (chunk.deliverAt - now > 0) {
                armFlowTimer(f, chunk.deliverAt);
                return;
            }
            ByteBuffer data = chunk.data;
            int wanted = data.remaining();
            int allowed = bucket == null ? wanted : (int) bucket.grant(wanted, now);
            if (allowed == 0) {
                armFlowTimer(f, now + bucket.nanosUntilGrant(wanted, now));
                return;
            }
            int limit = data.limit();
            data.limit(data.position() + allowed);
            int written;
            try {
                written = sink.write(data);
            } catch (IOException e) {
                log.debug("{} - write failed on connection {}, resetting both sides: {}", name, c.id, e.toString());
                close(c, true);
                return;
            } finally {
                data.limit(limit);
            }
            if (bucket != null && written < allowed) {
                bucket.refund(allowed - written);
            }
            f.buffered -= written;
            (f.toUpstream ? bytesToUpstream : bytesToClient).addAndGet(written);
            if (written < allowed) {
                f.writeBlocked = true;
                return;
            }
            if (!data.hasRemaining()) {
                f.chunks.poll();
            }
        }
        f.writeBlocked = false;
        if (f.eofRead && !f.eofDelivered) {
            deliverEof(f, now);
        }
    }

    private void deliverEof(Flow f, long now) {
        Connection c = f.connection;
        if (f.abort) {
            close(c, true);
            return;
        }
        if (!fault.slowClose().isZero()) {
            if (!f.closeArmed) {
                f.closeArmed = true;
                f.closeAt = now + fault.slowClose().toNanos();
            }
            if (f.closeAt - now > 0) {
                armFlowTimer(f, f.closeAt);
                return;
            }
        }
        try {
            f.sink().shutdownOutput();
        } catch (IOException e) {
            close(c, true);
            return;
        }
        f.eofDelivered = true;
        if (c.toUpstream.eofDelivered && c.toClient.eofDelivered) {
            close(c, false);
        }
    }

    private void armFlowTimer(Flow f, long at) {
        if (f.timer != null && !f.timer.cancelled) {
            if (f.timer.at - at <= 0) {
                return;
            }
            f.timer.cancelled = true;
        }
        f.timer = addTimer(at, () -> {
            f.timer = null;
            if (f.connection.state != State.CLOSED) {
                pump(f);
                updateInterest(f.connection);
            }
        });
    }

    private void updateInterest(Connection c) {
        if (c.state == State.CLOSED) {
            return;
        }
        boolean blackhole = fault.mode() == TcpFault.Mode.BLACKHOLE;
        int clientOps = 0;
        if (c.state == State.SWALLOWED || wantsRead(c.toUpstream)) {
            clientOps |= SelectionKey.OP_READ;
        }
        if (c.toClient.writeBlocked && !blackhole) {
            clientOps |= SelectionKey.OP_WRITE;
        }
        setInterest(c.clientKey, clientOps);
        if (c.upstreamKey != null) {
            int upstreamOps = 0;
            if (c.state == State.CONNECTING) {
                upstreamOps = SelectionKey.OP_CONNECT;
            } else {
                if (wantsRead(c.toClient)) {
                    upstreamOps |= SelectionKey.OP_READ;
                }
                if (c.toUpstream.writeBlocked && !blackhole) {
                    upstreamOps |= SelectionKey.OP_WRITE;
                }
            }
            setInterest(c.upstreamKey, upstreamOps);
        }
    }

    private boolean wantsRead(Flow f) {
        return !f.eofRead && f.buffered < maxBufferedBytes;
    }

    private static void setInterest(SelectionKey key, int ops) {
        if (key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void close(Connection c, boolean reset) {
        if (c.state == State.CLOSED) {
            return;
        }
        c.state = State.CLOSED;
        cancel(c.connectTimer);
        cancel(c.toUpstream.timer);
        cancel(c.toClient.timer);
        if (reset) {
            resetAndClose(c.client);
            resetAndClose(c.upstream);
        } else {
            closeQuietly(c.client);
            closeQuietly(c.upstream);
        }
        connections.remove(c);
        held.remove(c);
        open.decrementAndGet();
    }

    private int resetAll() {
        List<Connection> all = new ArrayList<>(connections);
        for (Connection c : all) {
            close(c, true);
        }
        if (!all.isEmpty()) {
            log.info("{} - reset {} open connections", name, all.size());
        }
        return all.size();
    }

    // ---------------------------------------------------------------- faults and schedules

    private void applyFault(TcpFault next) throws IOException {
        TcpFault previous = fault;
        boolean wasRefusing = listener == null;
        if (next.mode() == TcpFault.Mode.REFUSE && !wasRefusing) {
            closeListener();
        } else if (next.mode() != TcpFault.Mode.REFUSE && wasRefusing) {
            openListener(listenAddress);
        }
        fault = next;
        publishedFault = next;
        long now = System.nanoTime();
        long rate = next.bandwidthBytesPerSecond();
        if (rate == 0) {
            toUpstreamBucket = null;
            toClientBucket = null;
        } else if (toUpstreamBucket == null || toUpstreamBucket.bytesPerSecond() != rate) {
            toUpstreamBucket = new TokenBucket(rate, now);
            toClientBucket = new TokenBucket(rate, now);
        }
        boolean blackholeStarts = next.mode() == TcpFault.Mode.BLACKHOLE
                && previous.mode() != TcpFault.Mode.BLACKHOLE;
        boolean blackholeEnds = previous.mode() == TcpFault.Mode.BLACKHOLE
                && next.mode() != TcpFault.Mode.BLACKHOLE;
        if (blackholeEnds) {
            List<Connection> waiting = new ArrayList<>(held);
            held.clear();
            for (Connection c : waiting) {
                if (c.state == State.HELD) {
                    connectOrHold(c);
                }
            }
        }
        if (blackholeStarts || blackholeEnds || (previous.bandwidthBytesPerSecond() != rate)) {
            for (Connection c : new ArrayList<>(connections)) {
                pump(c.toUpstream);
                pump(c.toClient);
                updateInterest(c);
            }
        }
        if (!next.equals(previous)) {
            log.info("{} - fault {} -> {}", name, previous, next);
        }
    }

    private InetSocketAddress openListener(InetSocketAddress address) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            // SO_REUSEADDR: rebind while the proxy's old connections sit in TIME_WAIT on this port.
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                // SO_REUSEPORT: bind alongside the placeholder that reserved the port during REFUSE.
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(address, acceptBacklog);
            ch.configureBlocking(false);
            listenerKey = ch.register(selector, SelectionKey.OP_ACCEPT);
            listener = ch;
        } catch (IOException e) {
            closeQuietly(ch);
            throw e;
        }
        if (placeholder != null) {
            closeQuietly(placeholder);
            placeholder = null;
        }
        return (InetSocketAddress) ch.getLocalAddress();
    }

    /**
     * Stops listening while keeping the port: a bound, non-listening socket (SO_REUSEPORT, no
     * SO_REUSEADDR) holds it, so the kernel answers SYNs with RST (connection refused) and no other
     * process can bind it meanwhile, and the proxy can listen on it again later.
     */
    private void closeListener() throws IOException {
        if (reusePort) {
            SocketChannel ph = SocketChannel.open();
            try {
                ph.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                ph.bind(listenAddress);
            } catch (IOException e) {
                closeQuietly(ph);
                throw e;
            }
            placeholder = ph;
        }
        listenerKey.cancel();
        listener.close();
        listener = null;
        listenerKey = null;
        // A registered channel's socket is really closed only when the selector deregisters it.
        selector.selectNow();
    }

    private void advance(ScheduleRun run, int expectedIndex) {
        if (run != schedule || run.index != expectedIndex) {
            return;
        }
        run.index++;
        FaultSchedule.Step step = run.steps.get(run.index);
        acceptOverride = null;
        log.debug("{} - schedule step {}/{}: {}", name, run.index + 1, run.steps.size(), step);
        try {
            switch (step.kind()) {
                case FOR_DURATION:
                    applyFault(step.fault());
                    int index = run.index;
                    run.timer = addTimer(System.nanoTime() + step.duration().toNanos(), () -> advance(run, index));
                    break;
                case FOR_CONNECTIONS:
                    applyFault(TcpFault.none());
                    acceptOverride = step.fault();
                    acceptOverrideRemaining = step.connections();
                    break;
                case RESET_OPEN_CONNECTIONS:
                    resetAll();
                    advance(run, run.index);
                    break;
                default:
                    applyFault(step.fault());
                    schedule = null;
                    log.info("{} - schedule done, fault {} stays", name, step.fault());
                    complete(run.done, null);
                    break;
            }
        } catch (IOException | RuntimeException e) {
            log.error("{} - schedule step {} ({}) failed; the schedule stops with fault {}", name, run.index + 1,
                    step, fault, e);
            schedule = null;
            complete(run.done, e);
            if (expectedIndex < 0) {
                throw unchecked(e);
            }
        }
    }

    private void cancelSchedule(String reason) {
        ScheduleRun run = schedule;
        if (run == null) {
            return;
        }
        schedule = null;
        acceptOverride = null;
        cancel(run.timer);
        complete(run.done, new CancellationException("schedule cancelled: " + reason));
        log.info("{} - schedule cancelled at step {}/{}: {}", name, run.index + 1, run.steps.size(), reason);
    }

    /**
     * Completes a schedule's future off the selector thread: callbacks chained without an executor
     * run where the future completes, and one that blocks must not stall every connection.
     */
    private static void complete(CompletableFuture<Void> done, Throwable failure) {
        ForkJoinPool.commonPool().execute(() -> {
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        });
    }

    // ---------------------------------------------------------------- shutdown and helpers

    private void shutdown() {
        cancelSchedule("the proxy closed");
        for (Connection c : new ArrayList<>(connections)) {
            close(c, false);
        }
        closeQuietly(listener);
        closeQuietly(placeholder);
        listener = null;
        placeholder = null;
        timers.clear();
        closeQuietly(selector);
    }

    private static void cancel(Timer t) {
        if (t != null) {
            t.cancelled = true;
        }
    }

    private static void resetAndClose(SocketChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            if (ch.isOpen()) {
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException e) {
            // Not connected any more: a plain close is all that is left to do.
        }
        closeQuietly(ch);
    }

    private static void closeQuietly(Channel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            log.trace("close failed", e);
        }
    }

    private static void closeQuietly(Selector s) {
        try {
            s.close();
        } catch (IOException e) {
            log.trace("selector close failed", e);
        }
    }

    // ---------------------------------------------------------------- state holders

    private static final class Timer implements Comparable<Timer> {
        final long at;
        final long sequence;
        final Runnable action;
        boolean cancelled;

        Timer(long at, long sequence, Runnable action) {
            this.at = at;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public int compareTo(Timer o) {
            int byTime = Long.compare(at - o.at, 0);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    private static final class ScheduleRun {
        final List<FaultSchedule.Step> steps;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int index = -1;
        Timer timer;

        ScheduleRun(FaultSchedule schedule) {
            this.steps = schedule.steps();
        }
    }

    private static final class Chunk {
        final ByteBuffer data;
        final long deliverAt;

        Chunk(ByteBuffer data, long deliverAt) {
            this.data = data;
            this.deliverAt = deliverAt;
        }
    }

    private static final class Connection {
        final long id;
        final SocketChannel client;
        final Flow toUpstream = new Flow(this, true);
        final Flow toClient = new Flow(this, false);
        SelectionKey clientKey;
        SocketChannel upstream;
        SelectionKey upstreamKey;
        State state = State.DELAYING;
        Timer connectTimer;

        Connection(long id, SocketChannel client) {
            this.id = id;
            this.client = client;
        }
    }

    /** One direction of a connection: what was read from its source and waits for its sink. */
    private static final class Flow {
        final Connection connection;
        final boolean toUpstream;
        final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
        long buffered;
        long lastDeliverAt = System.nanoTime();
        boolean eofRead;
        boolean abort;
        boolean eofDelivered;
        boolean closeArmed;
        long closeAt;
        boolean writeBlocked;
        Timer timer;

        Flow(Connection connection, boolean toUpstream) {
            this.connection = connection;
            this.toUpstream = toUpstream;
        }

        SocketChannel source() {
            return toUpstream ? connection.client : connection.upstream;
        }

        SocketChannel sink() {
            return toUpstream ? connection.upstream : connection.client;
        }
    }
}
