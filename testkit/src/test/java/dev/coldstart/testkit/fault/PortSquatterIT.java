package dev.coldstart.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Ports held in this process and in a separate one. */
class PortSquatterIT {

    @Test
    void squatterInAnotherProcessMakesABindFailWithBindExceptionUntilClosed() {
        int port;
        try (PortSquatter squatter = PortSquatter.inChildProcess(0)) {
            port = squatter.port();
            assertThat(squatter.inSeparateProcess()).isTrue();
            assertThat(squatter.holderPid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(ProcessHandle.of(squatter.holderPid())).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());

            assertThatThrownBy(() -> bind("127.0.0.1", port)).isInstanceOf(BindException.class)
                    .hasMessageContaining("Address already in use");
            assertThatThrownBy(() -> bindWithReuseAddress("127.0.0.1", port)).isInstanceOf(BindException.class);
            assertThatThrownBy(() -> bind("0.0.0.0", port)).as("the wildcard address overlaps loopback")
                    .isInstanceOf(BindException.class);
        }
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> bind("127.0.0.1", port) == port);
    }

    @Test
    void squatterInThisProcessHoldsTheExactPortAsked() throws IOException {
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        try (PortSquatter squatter = PortSquatter.inThisProcess(free)) {
            assertThat(squatter.port()).isEqualTo(free);
            assertThat(squatter.inSeparateProcess()).isFalse();
            assertThat(squatter.holderPid()).isEqualTo(ProcessHandle.current().pid());
            assertThatThrownBy(() -> bind("127.0.0.1", free)).isInstanceOf(BindException.class);
            assertThatThrownBy(() -> PortSquatter.inThisProcess(free)).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(BindException.class).hasMessageContaining(Integer.toString(free));
        }
        assertThat(bind("127.0.0.1", free)).isEqualTo(free);
    }

    @Test
    void childSquatterOnATakenPortFailsWithBindExceptionNamingThePort() {
        try (PortSquatter holder = PortSquatter.inThisProcess(0)) {
            assertThatThrownBy(() -> PortSquatter.inChildProcess(holder.port()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(BindException.class)
                    .hasMessageContaining("127.0.0.1:" + holder.port());
        }
    }

    private static int bind(String host, int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, port));
            return s.getLocalPort();
        }
    }

    private static void bindWithReuseAddress(String host, int port) throws IOException {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(host, port));
        }
    }
}
