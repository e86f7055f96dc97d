package dev.coldstart.testkit.fault;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TCP fault proxy in front of a real in-test NIO echo server. */
class TcpFaultProxyTest {
    private NioEchoServer echo;
    private TcpFaultProxy proxy;

    @BeforeEach
    void startEchoAndProxy() {
        echo = NioEchoServer.start();
        proxy = TcpFaultProxy.start(TcpFaultProxyConfig.builder().upstream("127.0.0.1", echo.port())
                .name("echo-proxy").build());
    }

    @AfterEach
    void stopEchoAndProxy() {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBytesBothWaysAndCountsConnectionsAndBytes() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
            awaitBytes(5, 5);
            ProxyStats stats = proxy.stats();
            assertThat(stats.connectionAttempts()).isEqualTo(1);
            assertThat(stats.connectionsForwarded()).isEqualTo(1);
            assertThat(stats.openConnections()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().openConnections() == 0);
        assertThat(proxy.stats().peakOpenConnections()).isEqualTo(1);
    }

    @Test
    void connectLatencyDelaysTheFirstExchangeOnly() throws IOException {
        proxy.setFault(TcpFault.latency(Duration.ofMillis(300), Duration.ZERO));
        long t0 = System.nanoTime();
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "a")).isEqualTo("a");
            long firstMillis = millisSince(t0);
            long t1 = System.nanoTime();
            assertThat(roundTrip(s, "b")).isEqualTo("b");
            long secondMillis = millisSince(t1);
            assertThat(firstMillis).isBetween(300L, 900L);
            // A delayed second exchange would take at least the 300 ms connect latency.
            assertThat(secondMillis).isLessThan(300L);
        }
    }

    @Test
    void chunkLatencyDelaysEachDirectionSoARoundTripTakesTwice() throws IOException {
        try (Socket s = connect()) {
            roundTrip(s, "warm");
            proxy.setFault(TcpFault.latency(Duration.ZERO, Duration.ofMillis(100)));
            long t0 = System.nanoTime();
            assertThat(roundTrip(s, "ping")).isEqualTo("ping");
            assertThat(millisSince(t0)).isBetween(200L, 600L);
        }
    }

    @Test
    void refuseClosesThePortSoConnectIsRefusedAndReopensOnTheSamePort() throws IOException {
        int port = proxy.port();
        try (Socket before = connect()) {
            proxy.setFault(TcpFault.refuse());

            assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class)
                    .hasMessageContaining("Connection refused");
            assertThatThrownBy(() -> {
                try (ServerSocket thief = new ServerSocket()) {
                    thief.bind(new InetSocketAddress("127.0.0.1", port));
                }
            }).as("the port stays reserved while refusing").isInstanceOf(BindException.class);
            assertThat(roundTrip(before, "still")).as("connections opened before keep forwarding").isEqualTo("still");
            assertThat(proxy.stats().connectionAttempts()).as("refused connects never reach the proxy").isEqualTo(1);

            proxy.clearFault();
            assertThat(proxy.port()).isEqualTo(port);
            try (Socket after = connect()) {
                assertThat(roundTrip(after, "back")).isEqualTo("back");
            }
        }
    }

    @Test
    void resetAcceptsCountsAndResetsEachConnectionWhileOpenOnesKeepForwarding() throws IOException {
        try (Socket before = connect()) {
            roundTrip(before, "x");
            proxy.setFault(TcpFault.reset());
            for (int i = 0; i < 3; i++) {
                assertResetByProxy();
            }
            assertThat(roundTrip(before, "z")).isEqualTo("z");
            ProxyStats stats = proxy.stats();
            assertThat(stats.connectionAttempts()).isEqualTo(4);
            assertThat(stats.connectionsReset()).isEqualTo(3);
            assertThat(stats.connectionsForwarded()).isEqualTo(1);
            assertThat(stats.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void blackholeStallsOpenConnectionsAndHoldsNewOnesUntilItLifts() throws IOException {
        try (Socket before = connect()) {
            roundTrip(before, "1");
            proxy.setFault(TcpFault.blackhole());
            try (Socket during = connect()) {
                write(before, "A");
                write(during, "B");
                before.setSoTimeout(400);
                during.setSoTimeout(400);
                assertThatThrownBy(() -> before.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThatThrownBy(() -> during.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(echo.acceptedConnections()).as("held connections are not connected upstream").isEqualTo(1);

                proxy.clearFault();
                before.setSoTimeout(5000);
                during.setSoTimeout(5000);
                assertThat(read(before, 1)).isEqualTo("A");
                assertThat(read(during, 1)).isEqualTo("B");
            }
        }
        assertThat(proxy.stats().connectionAttempts()).isEqualTo(2);
        assertThat(proxy.stats().connectionsForwarded()).isEqualTo(2);
    }

    @Test
    void blackholeMidTransferFreezesBothDirectionsAndLiftingItDeliversEveryByteInOrder() throws Exception {
        int total = 2_000_000;
        byte[] payload = new byte[total];
        for (int i = 0; i < total; i++) {
            payload[i] = (byte) (i * 7 + (i >> 11));
        }
        try (Socket s = connect()) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(payload);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            InputStream in = s.getInputStream();
            byte[] received = new byte[total];
            int n = in.readNBytes(received, 0, 100_000);
            proxy.setFault(TcpFault.blackhole());
            ProxyStats frozen = proxy.stats();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() ->
                    proxy.stats().bytesClientToUpstream() == frozen.bytesClientToUpstream()
                            && proxy.stats().bytesUpstreamToClient() == frozen.bytesUpstreamToClient());
            assertThat(frozen.bytesUpstreamToClient()).isLessThan(total);

            proxy.clearFault();
            n += in.readNBytes(received, n, total - n);
            writer.get(5, TimeUnit.SECONDS);
            assertThat(n).isEqualTo(total);
            assertThat(received).isEqualTo(payload);
        }
    }

    @Test
    void bandwidthLimitOfOneMegabytePerSecondPacesAThreeMegabyteTransferEachWay() throws Exception {
        int total = 3_000_000;
        proxy.setFault(TcpFault.bandwidth(1_000_000));
        try (Socket s = connect()) {
            s.setSoTimeout(10_000);
            byte[] payload = new byte[total];
            for (int i = 0; i < total; i++) {
                payload[i] = (byte) (i * 31);
            }
            long t0 = System.nanoTime();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(payload);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = s.getInputStream().readNBytes(total);
            long elapsed = millisSince(t0);
            writer.get(5, TimeUnit.SECONDS);

            assertThat(received).isEqualTo(payload);
            assertThat(elapsed).isBetween(2_500L, 4_500L);
            awaitBytes(total, total);
        }
    }

    @Test
    void slowCloseHoldsEachFinForTheConfiguredTime() throws IOException {
        proxy.setFault(TcpFault.slowClose(Duration.ofMillis(400)));
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "bye")).isEqualTo("bye");
            long t0 = System.nanoTime();
            s.shutdownOutput();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            // FIN to the echo server held 400 ms, its answering FIN held 400 ms more.
            assertThat(millisSince(t0)).isBetween(800L, 2_000L);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().openConnections() == 0);
    }

    @Test
    void scheduleRefusesForTwoSecondsThenForwards() throws Exception {
        long t0 = System.nanoTime();
        CompletableFuture<Void> done = proxy.schedule(
                FaultSchedule.builder().refuseFor(Duration.ofSeconds(2)).thenForward());

        assertThat(proxy.fault()).isEqualTo(TcpFault.refuse());
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(ConnectException.class)
                .until(() -> {
                    try (Socket s = connect()) {
                        return roundTrip(s, "up").equals("up");
                    }
                });
        long elapsed = millisSince(t0);

        assertThat(elapsed).isBetween(1_950L, 3_500L);
        done.get(1, TimeUnit.SECONDS);
        assertThat(proxy.fault()).isEqualTo(TcpFault.none());
    }

    @Test
    void failFirstResetsExactlyTheFirstNConnectionsThenForwards() throws Exception {
        CompletableFuture<Void> done = proxy.schedule(FaultSchedule.builder().failFirst(3).thenForward());
        for (int i = 0; i < 3; i++) {
            assertResetByProxy();
        }
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "4th")).isEqualTo("4th");
        }
        done.get(1, TimeUnit.SECONDS);
        assertThat(proxy.stats().connectionAttempts()).isEqualTo(4);
        assertThat(proxy.stats().connectionsReset()).isEqualTo(3);
        assertThat(proxy.stats().connectionsForwarded()).isEqualTo(1);
    }

    @Test
    void countedBlackholeSwallowsItsConnectionsForGood() throws IOException {
        proxy.schedule(FaultSchedule.builder().faultForConnections(TcpFault.blackhole(), 2).thenForward());
        try (Socket first = connect(); Socket second = connect(); Socket third = connect()) {
            assertThat(roundTrip(third, "ok")).isEqualTo("ok");
            first.setSoTimeout(300);
            second.setSoTimeout(300);
            write(first, "lost");
            write(second, "lost");
            assertThatThrownBy(() -> first.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> second.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.stats().connectionsSwallowed()).isEqualTo(2);
            assertThat(echo.acceptedConnections()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().openConnections() == 0);
    }

    @Test
    void resetOpenConnectionsResetsEveryConnectionItHolds() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = connect();
                sockets.add(s);
                roundTrip(s, "o");
            }
            assertThat(proxy.resetOpenConnections()).isEqualTo(3);
            for (Socket s : sockets) {
                assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class)
                        .hasMessageContaining("Connection reset");
            }
            assertThat(proxy.stats().openConnections()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> echo.openConnections() == 0);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void upstreamThatRefusesMakesTheProxyResetItsClientAndCountTheFailure() throws IOException {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        try (TcpFaultProxy toNowhere = TcpFaultProxy.start("127.0.0.1", deadPort)) {
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(toNowhere.address(), 2000);
                    s.setSoTimeout(5000);
                    s.getOutputStream().write(1);
                    s.getInputStream().read();
                }
            }).isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
            assertThat(toNowhere.stats().upstreamConnectFailures()).isEqualTo(1);
            assertThat(toNowhere.stats().connectionsForwarded()).isZero();
        }
    }

    @Test
    void holdsTwoThousandConcurrentConnectionsAndCleansThemUp() throws IOException {
        int n = 2_000;
        List<SocketChannel> clients = new ArrayList<>(n);
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                SocketChannel ch = SocketChannel.open(proxy.address());
                clients.add(ch);
            }
            ByteBuffer out = ByteBuffer.allocate(4);
            ByteBuffer in = ByteBuffer.allocate(4);
            for (int i = 0; i < n; i++) {
                SocketChannel ch = clients.get(i);
                out.clear();
                out.putInt(i).flip();
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                in.clear();
                while (in.hasRemaining()) {
                    if (ch.read(in) < 0) {
                        throw new IOException("connection " + i + " closed early");
                    }
                }
                assertThat(in.flip().getInt()).isEqualTo(i);
            }
            awaitBytes(4L * n, 4L * n);
            ProxyStats stats = proxy.stats();
            assertThat(stats.openConnections()).isEqualTo(n);
            assertThat(stats.connectionAttempts()).isEqualTo(n);
            assertThat(stats.connectionsForwarded()).isEqualTo(n);
            assertThat(echo.openConnections()).isEqualTo(n);
        } finally {
            for (SocketChannel ch : clients) {
                ch.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.stats().openConnections() == 0
                && echo.openConnections() == 0);
        assertThat(proxy.stats().peakOpenConnections()).isEqualTo(n);
        assertThat(millisSince(t0)).as("2,000 connections through the proxy, echoed and closed").isLessThan(20_000L);
    }

    @Test
    void settingAFaultCancelsTheRunningSchedule() {
        CompletableFuture<Void> done = proxy.schedule(
                FaultSchedule.builder().resetFor(Duration.ofSeconds(30)).thenForward());
        proxy.setFault(TcpFault.latency(Duration.ofMillis(10), Duration.ZERO));
        assertThatThrownBy(() -> done.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(proxy.fault()).isEqualTo(TcpFault.latency(Duration.ofMillis(10), Duration.ZERO));
    }

    @Test
    void closeFreesThePortEvenWhileRefusingAndRejectsFurtherChanges() throws IOException, ExecutionException {
        int port = proxy.port();
        proxy.setFault(TcpFault.refuse());
        proxy.close();

        assertThat(proxy.isRunning()).isFalse();
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        assertThatThrownBy(proxy::clearFault).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    /**
     * The RST follows the accept at once, so on loopback it often arrives before {@code connect()}
     * has returned ("Connection reset by peer" from connect), else on the first read.
     */
    private void assertResetByProxy() {
        assertThatThrownBy(() -> {
            try (Socket s = connect()) {
                roundTrip(s, "y");
            }
        }).isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
    }

    /** Bytes are counted right after each write returns, so a client may read them a moment earlier. */
    private void awaitBytes(long toUpstream, long toClient) {
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(proxy.stats().bytesClientToUpstream()).isEqualTo(toUpstream);
            assertThat(proxy.stats().bytesUpstreamToClient()).isEqualTo(toClient);
        });
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(proxy.address(), 2000);
            s.setSoTimeout(5000);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        write(s, text);
        return read(s, text.length());
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(US_ASCII));
        out.flush();
    }

    private static String read(Socket s, int length) throws IOException {
        InputStream in = s.getInputStream();
        byte[] got = in.readNBytes(length);
        if (got.length < length) {
            throw new IOException("end of stream after " + got.length + " of " + length + " bytes");
        }
        return new String(got, US_ASCII);
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
