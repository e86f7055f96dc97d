package dev.coldstart.benchmarks;

import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.websocket.BufferLimits;
import dev.coldstart.websocket.ClientStats;
import dev.coldstart.websocket.ClientTransport;
import dev.coldstart.websocket.MessageLog;
import dev.coldstart.websocket.ReconnectPolicy;
import dev.coldstart.websocket.ReconnectingClient;
import dev.coldstart.websocket.WebSocketServer;
import dev.coldstart.websocket.WebSocketServerConfig;
import dev.coldstart.websocket.WebSocketServerStats;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * B5: many WebSocket clients connected to the websocket module's server; the server restarts (a new
 * server on the same port, as a redeploy does) and every client reconnects. Measured from the new
 * server's READY to the last client connected again, with the server's peak handshakes in flight and
 * the clients' failed handshakes (resets, timeouts, refused and other failures; answers 503 with
 * Retry-After from the server's admission control are counted apart). Once with the library's
 * default {@link ReconnectPolicy} (backoff with full jitter, honouring Retry-After) and once with
 * clients that retry after 1 ms with no backoff and no jitter.
 */
public final class B5ReconnectStorm {
    private static final Duration CONNECT_DEADLINE = Duration.ofMinutes(3);

    private final int clients;

    /**
     * Prepares runs.
     *
     * @param clients clients connected when the server restarts (5,000 in the row)
     */
    public B5ReconnectStorm(int clients) {
        this.clients = clients;
    }

    /**
     * The clients' reconnect policy without backoff: 1 ms between attempts, no jitter, a Retry-After
     * hint capped at 1 ms. (The library's policy still draws up to one second of jitter after a 503
     * that carried a hint: the closest it comes to reconnecting at once.)
     *
     * @return the policy
     */
    public static ReconnectPolicy immediate() {
        return ReconnectPolicy.builder()
                .backoff(RetryPolicy.builder().initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(1))
                        .multiplier(1.0).jitter(RetryPolicy.Jitter.NONE).build())
                .maxRetryAfter(Duration.ofMillis(1)).build();
    }

    /**
     * The figures of one restart.
     *
     * @param reconnectMillis from the new server's READY to the last client connected, in milliseconds
     * @param peakHandshakesInFlight the new server's peak handshakes in flight
     * @param failedHandshakes the clients' failed attempts during the reconnect (not counting 503s)
     * @param rejected503 attempts answered 503 by admission control during the reconnect
     * @param attempts connection attempts during the reconnect
     * @param allConnected whether every client connected again before the deadline
     */
    public record Result(double reconnectMillis, long peakHandshakesInFlight, long failedHandshakes,
            long rejected503, long attempts, boolean allConnected) {
    }

    /**
     * Connects the clients, restarts the server and waits for every client to reconnect.
     *
     * @param policy the clients' reconnect policy
     * @return the figures
     * @throws Exception if the set-up fails
     */
    public Result run(ReconnectPolicy policy) throws Exception {
        int port = freePort();
        List<ReconnectingClient> all = new ArrayList<>(clients);
        try (ClientTransport transport = ClientTransport.builder().name("b5").maxConnections(clients + 64).build()) {
            Running first = Running.start(port);
            try {
                for (int i = 0; i < clients; i++) {
                    ReconnectingClient c = ReconnectingClient.builder(transport, first.server.uri()).name("b5-" + i)
                            .policy(policy).build();
                    all.add(c);
                    c.start();
                }
                if (!awaitAll(all.size(), i -> all.get(i).isConnected())) {
                    throw new IllegalStateException("b5 - not all " + clients + " clients connected within "
                            + CONNECT_DEADLINE.toSeconds() + " s before the restart");
                }
            } finally {
                first.close();
            }
            long[] connectsBefore = all.stream().mapToLong(c -> c.stats().connects()).toArray();
            List<ClientStats> before = all.stream().map(ReconnectingClient::stats).toList();
            Running second = Running.start(port);
            try {
                long t0 = System.nanoTime();
                boolean allConnected = awaitAll(all.size(),
                        i -> all.get(i).isConnected() && all.get(i).stats().connects() > connectsBefore[i]);
                double millis = (System.nanoTime() - t0) / 1e6;
                long failed = 0;
                long rejected = 0;
                long attempts = 0;
                for (int i = 0; i < all.size(); i++) {
                    ClientStats a = all.get(i).stats();
                    ClientStats b = before.get(i);
                    failed += (a.resets() - b.resets()) + (a.timeouts() - b.timeouts())
                            + (a.otherFailures() - b.otherFailures()) + (a.rejectedOther() - b.rejectedOther());
                    rejected += a.rejectedWithRetryAfter() - b.rejectedWithRetryAfter();
                    attempts += a.attempts() - b.attempts();
                }
                WebSocketServerStats stats = second.server.stats();
                return new Result(millis, stats.peakHandshakesInFlight(), failed, rejected, attempts, allConnected);
            } finally {
                all.forEach(ReconnectingClient::close);
                second.close();
            }
        }
    }

    private static boolean awaitAll(int count, IntPredicate connected) {
        long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
        int next = 0;
        while (System.nanoTime() < deadline) {
            // Clients found connected stay counted: each poll resumes at the first one not yet seen.
            while (next < count && connected.test(next)) {
                next++;
            }
            if (next == count) {
                return true;
            }
            Peers.work(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A server started through an orchestrator with the module's default admission control. */
    private static final class Running implements AutoCloseable {
        final WebSocketServer server;
        final StartupOrchestrator orchestrator;

        private Running(WebSocketServer server, StartupOrchestrator orchestrator) {
            this.server = server;
            this.orchestrator = orchestrator;
        }

        static Running start(int port) {
            WebSocketServer server = WebSocketServer.of(WebSocketServerConfig.builder().name("b5").host("127.0.0.1")
                    .port(port).messageLog(MessageLog.inMemory("b5-log", BufferLimits.ofDefaults())).build());
            StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName("b5")
                    .components(server.components()).build();
            orchestrator.start();
            return new Running(server, orchestrator);
        }

        @Override
        public void close() {
            orchestrator.stop();
        }
    }
}
