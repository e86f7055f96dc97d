package dev.coldstart.testkit.fault;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TCP fault proxy in front of the real Redis at 127.0.0.1:6379, spoken to in RESP. */
class TcpFaultProxyRedisIT {
    private final String prefix = "cs:fault-proxy-it:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
    private TcpFaultProxy proxy;

    @BeforeEach
    void startProxy() {
        proxy = TcpFaultProxy.start(TcpFaultProxyConfig.builder().upstream("127.0.0.1", 6379).name("redis-proxy").build());
    }

    @AfterEach
    void cleanUp() throws IOException {
        proxy.close();
        try (Redis direct = new Redis(new InetSocketAddress("127.0.0.1", 6379))) {
            direct.command("DEL", prefix + "k");
        }
    }

    @Test
    void forwardsRedisCommands() throws IOException {
        try (Redis redis = new Redis(proxy.address())) {
            assertThat(redis.command("SET", prefix + "k", "v1")).isEqualTo("+OK");
            assertThat(redis.command("GET", prefix + "k")).isEqualTo("v1");
        }
        try (Redis direct = new Redis(new InetSocketAddress("127.0.0.1", 6379))) {
            assertThat(direct.command("GET", prefix + "k")).as("the write reached the real server").isEqualTo("v1");
        }
    }

    @Test
    void chunkLatencySlowsEachRedisRoundTripByTwiceTheDelay() throws IOException {
        try (Redis redis = new Redis(proxy.address())) {
            assertThat(redis.command("PING")).isEqualTo("+PONG");
            proxy.setFault(TcpFault.latency(Duration.ZERO, Duration.ofMillis(75)));
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                assertThat(redis.command("PING")).isEqualTo("+PONG");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(150L, 600L);
            }
        }
    }

    @Test
    void resetOpenConnectionsDropsAConnectedRedisClient() throws IOException {
        try (Redis redis = new Redis(proxy.address())) {
            assertThat(redis.command("PING")).isEqualTo("+PONG");
            assertThat(proxy.resetOpenConnections()).isEqualTo(1);
            assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(IOException.class);
        }
    }

    /** Just enough RESP for simple and bulk-string replies. */
    private static final class Redis implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Redis(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.connect(address, 2000);
            socket.setSoTimeout(5000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            out = socket.getOutputStream();
        }

        String command(String... args) throws IOException {
            StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                sb.append('$').append(a.getBytes(UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(sb.toString().getBytes(UTF_8));
            out.flush();
            String line = in.readLine();
            if (line == null) {
                throw new IOException("Redis closed the connection");
            }
            if (line.startsWith("$")) {
                return Integer.parseInt(line.substring(1)) < 0 ? null : in.readLine();
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
