package dev.coldstart.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Validation and defaults of the fault-injection value types. */
class FaultConfigTest {

    @Test
    void tcpFaultDefaultsToForwardingWithoutImpairment() {
        TcpFault none = TcpFault.none();
        assertThat(none.mode()).isEqualTo(TcpFault.Mode.FORWARD);
        assertThat(none.connectLatency()).isZero();
        assertThat(none.chunkLatency()).isZero();
        assertThat(none.bandwidthBytesPerSecond()).isZero();
        assertThat(none.slowClose()).isZero();
        assertThat(none.isNone()).isTrue();
        assertThat(TcpFault.builder().build()).isEqualTo(none);
        assertThat(TcpFault.bandwidth(10).toBuilder().bandwidthBytesPerSecond(0).build()).isEqualTo(none);
    }

    @Test
    void tcpFaultRejectsNegativeValuesNamingTheField() {
        assertThatThrownBy(() -> TcpFault.builder().connectLatency(Duration.ofMillis(-1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("connectLatency must be greater than or equal to 0, but was PT-0.001S");
        assertThatThrownBy(() -> TcpFault.builder().bandwidthBytesPerSecond(-5))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("bandwidthBytesPerSecond must be greater than or equal to 0, but was -5");
        assertThatThrownBy(() -> TcpFault.bandwidth(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("bandwidthBytesPerSecond must be greater than 0, but was 0");
        assertThatThrownBy(() -> TcpFault.builder().mode(null)).isInstanceOf(ConfigurationException.class)
                .hasMessage("mode must not be null");
    }

    @Test
    void tcpFaultDescribesItself() {
        assertThat(TcpFault.builder().connectLatency(Duration.ofMillis(200)).bandwidthBytesPerSecond(1000).build())
                .hasToString("FORWARD connectLatency=200ms bandwidth=1000B/s");
        assertThat(TcpFault.refuse()).hasToString("REFUSE");
    }

    @Test
    void scheduleEndsWithItsFinalFault() {
        FaultSchedule s = FaultSchedule.builder().refuseFor(Duration.ofSeconds(10)).failFirst(3)
                .resetOpenConnections().thenForward();
        assertThat(s.steps()).extracting(FaultSchedule.Step::kind).containsExactly(
                FaultSchedule.StepKind.FOR_DURATION, FaultSchedule.StepKind.FOR_CONNECTIONS,
                FaultSchedule.StepKind.RESET_OPEN_CONNECTIONS, FaultSchedule.StepKind.FINALLY);
        assertThat(s.steps().get(1).connections()).isEqualTo(3);
        assertThat(s.steps().get(1).fault()).isEqualTo(TcpFault.reset());
        assertThat(s).hasToString("[REFUSE for 10000ms, RESET for the next 3 connections, reset open connections,"
                + " then FORWARD]");
    }

    @Test
    void scheduleRejectsRefuseCountedInConnectionsBecauseRefusedConnectsCannotBeCounted() {
        assertThatThrownBy(() -> FaultSchedule.builder().faultForConnections(TcpFault.refuse(), 2))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("fault.mode must be RESET or BLACKHOLE for a step counted in connections,"
                        + " but was REFUSE");
        assertThatThrownBy(() -> FaultSchedule.builder().failFirst(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("connections must be greater than 0, but was 0");
        assertThatThrownBy(() -> FaultSchedule.builder().refuseFor(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("duration must be greater than 0, but was PT0S");
    }

    @Test
    void proxyConfigNeedsAnUpstreamAndABufferOfAtLeastOneChunk() {
        assertThatThrownBy(() -> TcpFaultProxyConfig.builder().build()).isInstanceOf(ConfigurationException.class)
                .hasMessage("upstream must be set with upstream(host, port), but was not set");
        assertThatThrownBy(() -> TcpFaultProxyConfig.builder().upstream("127.0.0.1", 1).chunkSizeBytes(8192)
                .maxBufferedBytesPerDirection(4096).build()).isInstanceOf(ConfigurationException.class)
                .hasMessage("maxBufferedBytesPerDirection must be greater than or equal to chunkSizeBytes (8192),"
                        + " but was 4096");
        assertThatThrownBy(() -> TcpFaultProxyConfig.builder().upstream("127.0.0.1", 70000))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("upstreamPort must be between 1 and 65535, but was 70000");
        assertThatThrownBy(() -> TcpFaultProxyConfig.builder().chunkSizeBytes(100))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chunkSizeBytes must be between 512 and 1048576, but was 100");
    }

    @Test
    void proxyConfigHasDocumentedDefaultsAndRoundTripsThroughItsBuilder() {
        TcpFaultProxyConfig c = TcpFaultProxyConfig.builder().upstream("127.0.0.1", 5432).build();
        assertThat(c.listenHost()).isEqualTo("127.0.0.1");
        assertThat(c.listenPort()).isZero();
        assertThat(c.initialFault()).isEqualTo(TcpFault.none());
        assertThat(c.upstreamConnectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.chunkSizeBytes()).isEqualTo(16 * 1024);
        assertThat(c.maxBufferedBytesPerDirection()).isEqualTo(256 * 1024);
        assertThat(c.name()).isEqualTo("tcp-fault-proxy(127.0.0.1:5432)");
        assertThat(c.toBuilder().build()).hasToString(c.toString());
    }

    @Test
    void proxyRejectsAnUpstreamThatDoesNotResolve() {
        assertThatThrownBy(() -> TcpFaultProxy.start("no-such-host.invalid", 5432))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("upstreamHost must resolve to an address, but was no-such-host.invalid");
    }

    @Test
    void childJvmConfigRejectsLimitsAJvmCannotStartWith() {
        assertThatThrownBy(() -> ChildJvmConfig.builder(ChildMains.Quiet.class).maxHeapBytes(1024))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("maxHeapBytes must be 0 (JVM default) or at least 2097152, but was 1024");
        assertThatThrownBy(() -> ChildJvmConfig.builder(ChildMains.Quiet.class).openFilesLimit(8))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("openFilesLimit must be 0 (inherit) or at least 16, but was 8");
        assertThatThrownBy(() -> ChildJvmConfig.builder(" ")).isInstanceOf(ConfigurationException.class)
                .hasMessage("mainClass must not be blank, but was \" \"");
    }

    @Test
    void childJvmConfigDefaultsToThisJvmsJavaAndClasspath() {
        ChildJvmConfig c = ChildJvmConfig.builder(ChildMains.Quiet.class).build();
        assertThat(c.name()).isEqualTo("Quiet");
        assertThat(c.classpath()).isEqualTo(System.getProperty("java.class.path"));
        assertThat(c.javaExecutable().toString()).startsWith(System.getProperty("java.home"));
        assertThat(c.openFilesLimit()).isZero();
        assertThat(c.maxHeapBytes()).isZero();
        assertThat(c.shutdownGrace()).isZero();
        assertThat(c.toBuilder().args("x").build().args()).containsExactly("x");
    }

    @Test
    void httpFaultRejectsImpossibleStatusesAndDelays() {
        assertThatThrownBy(() -> HttpFault.status(99)).isInstanceOf(ConfigurationException.class)
                .hasMessage("status must be between 100 and 599, but was 99");
        assertThatThrownBy(() -> HttpFault.slow(Duration.ZERO)).isInstanceOf(ConfigurationException.class)
                .hasMessage("delay must be greater than 0, but was PT0S");
        assertThat(HttpFault.serverError()).isEqualTo(HttpFault.status(500)).hasToString("STATUS(500)");
    }
}
