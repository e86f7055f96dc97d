package dev.coldstart.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.VerifiedToken;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {

    @Test
    void rejectsAHeartbeatNotShorterThanTheIdleTimeoutInFront() {
        assertThatThrownBy(() -> HeartbeatConfig.builder().interval(Duration.ofSeconds(60))
                .idleTimeoutInFront(Duration.ofSeconds(60)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("interval must be shorter than idleTimeoutInFront (PT1M")
                .hasMessageContaining("but was PT1M");
        assertThatThrownBy(() -> HeartbeatConfig.builder().interval(Duration.ofSeconds(90)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("but was PT1M30S");
        HeartbeatConfig ok = HeartbeatConfig.builder().interval(Duration.ofSeconds(59)).build();
        assertThat(ok.closeDeadline()).isEqualTo(Duration.ofSeconds(177));
    }

    @Test
    void rejectsHeartbeatValuesOutOfRange() {
        assertThatThrownBy(() -> HeartbeatConfig.builder().interval(Duration.ofMillis(50)))
                .isInstanceOf(ConfigurationException.class).hasMessage("interval must be at least PT0.1S, but was PT0.05S");
        assertThatThrownBy(() -> HeartbeatConfig.builder().missedPongsBeforeClose(0))
                .isInstanceOf(ConfigurationException.class).hasMessage("missedPongsBeforeClose must be greater than 0, but was 0");
    }

    @Test
    void rejectsACookieTokenUnlessTheOriginPolicyListsOriginsAndAllowsCredentials() {
        UpgradeAuth cookieAuth = UpgradeAuth.bearer(t -> new VerifiedToken("u", null, Map.of())).cookie("sid").build();
        assertThatThrownBy(() -> WebSocketServerConfig.builder().auth(cookieAuth)
                .originPolicy(OriginPolicy.builder().allowAnyOrigin().build()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("originPolicy must list the allowed origins when auth reads the token from cookie \"sid\"");
        assertThatThrownBy(() -> WebSocketServerConfig.builder().auth(cookieAuth)
                .originPolicy(OriginPolicy.builder().allowOrigin("https://app.example.com").build()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("originPolicy must allow credentials when auth reads the token from cookie \"sid\"");
        WebSocketServerConfig ok = WebSocketServerConfig.builder().auth(cookieAuth)
                .originPolicy(OriginPolicy.builder().allowOrigin("https://app.example.com").allowCredentials(true).build()).build();
        assertThat(ok.auth().cookieName()).isEqualTo("sid");
    }

    @Test
    void rejectsAdmissionAndBufferValuesOutOfRange() {
        assertThatThrownBy(() -> AdmissionConfig.builder().permitsPerSecond(0))
                .isInstanceOf(ConfigurationException.class).hasMessage("permitsPerSecond must be between 0.1 and 1000000.0, but was 0.0");
        assertThatThrownBy(() -> AdmissionConfig.builder().maxHandshakesInFlight(-3))
                .isInstanceOf(ConfigurationException.class).hasMessage("maxHandshakesInFlight must be greater than 0, but was -3");
        assertThatThrownBy(() -> AdmissionConfig.builder().maxRetryAfter(Duration.ofMillis(500)))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("maxRetryAfter must be at least PT1S");
        assertThatThrownBy(() -> BufferLimits.builder().maxBytesPerSession(0))
                .isInstanceOf(ConfigurationException.class).hasMessage("maxBytesPerSession must be greater than 0, but was 0");
        assertThatThrownBy(() -> BufferLimits.builder().sessionTtl(Duration.ofMillis(10)))
                .isInstanceOf(ConfigurationException.class).hasMessage("sessionTtl must be at least PT1S, but was PT0.01S");
    }

    @Test
    void rejectsServerValuesOutOfRange() {
        assertThatThrownBy(() -> WebSocketServerConfig.builder().port(70000))
                .isInstanceOf(ConfigurationException.class).hasMessage("port must be between 0 and 65535, but was 70000");
        assertThatThrownBy(() -> WebSocketServerConfig.builder().path("ws"))
                .isInstanceOf(ConfigurationException.class).hasMessage("path must start with /, but was \"ws\"");
        assertThatThrownBy(() -> WebSocketServerConfig.builder().maxThreads(4))
                .isInstanceOf(ConfigurationException.class).hasMessage("maxThreads must be at least 8, but was 4");
    }

    @Test
    void reconnectPolicyRefusesToTreatRetryableStatusesAsPermanent() {
        assertThatThrownBy(() -> ReconnectPolicy.builder().permanentStatuses(Set.of(401, 503)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("permanentStatuses must not hold 429 or 503");
    }

    @Test
    void buildersRoundTripThroughToBuilder() {
        AdmissionConfig a = AdmissionConfig.builder().permitsPerSecond(50).burstPermits(5).build();
        assertThat(a.toBuilder().build().permitsPerSecond()).isEqualTo(50.0);
        BufferLimits l = BufferLimits.builder().maxMessagesPerSession(7).build();
        assertThat(l.toBuilder().build().maxMessagesPerSession()).isEqualTo(7);
        HeartbeatConfig h = HeartbeatConfig.builder().missedPongsBeforeClose(2).build();
        assertThat(h.toBuilder().build().missedPongsBeforeClose()).isEqualTo(2);
        WebSocketServerConfig c = WebSocketServerConfig.builder().name("x").build();
        assertThat(c.toBuilder().build().messageLog()).isSameAs(c.messageLog());
    }
}
