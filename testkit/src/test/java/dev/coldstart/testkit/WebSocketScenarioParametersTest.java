package dev.coldstart.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebSocketScenarioParametersTest {

    @Test
    void defaultsHoldTheFiguresOfScenariosMd() {
        assertThat(Cs11Parameters.ofDefaults().clients()).isEqualTo(2000);
        assertThat(Cs11Parameters.ofDefaults().arrivalWindow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(Cs11Parameters.ofDefaults().connectDeadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Cs12Parameters.ofDefaults().clients()).isEqualTo(200);
        assertThat(Cs12Parameters.ofDefaults().outage()).isEqualTo(Duration.ofSeconds(2));
        assertThat(Cs12Parameters.ofDefaults().messages()).isEqualTo(1000);
        assertThat(Cs14Parameters.ofDefaults().phaseSpreadSessions()).isEqualTo(5000);
        assertThat(Cs14Parameters.ofDefaults().closeSlack()).isEqualTo(Duration.ofSeconds(1));
        assertThat(Cs15Parameters.ofDefaults().sessions()).isEqualTo(500);
        assertThat(Cs15Parameters.ofDefaults().broadcasts()).isEqualTo(10_000);
        assertThat(Cs15Parameters.ofDefaults().reconnectingSessions()).isEqualTo(100);
    }

    @Test
    void buildersValidateWithTheCommonMessagePatternAndRoundTrip() {
        assertThatThrownBy(() -> Cs11Parameters.builder().clients(0))
                .isInstanceOf(ConfigurationException.class).hasMessage("clients must be greater than 0, but was 0");
        assertThatThrownBy(() -> Cs12Parameters.builder().outage(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class).hasMessage("outage must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> Cs13Parameters.builder().foreignOrigin(" "))
                .isInstanceOf(ConfigurationException.class).hasMessage("foreignOrigin must not be blank, but was \" \"");
        assertThat(Cs15Parameters.builder().sessions(50).build().toBuilder().build().sessions()).isEqualTo(50);
        assertThat(Cs14Parameters.ofDefaults().toString()).contains("phaseSpreadSessions=5000");
    }

    @Test
    void environmentGivesARedisLogOnlyWhenTheScenarioRestarts() {
        WebSocketEnvironment memory = new WebSocketEnvironment("CS-15", "127.0.0.1", 0, null, null);
        assertThat(memory.messageLog("log", dev.coldstart.websocket.BufferLimits.ofDefaults()).getClass().getSimpleName())
                .isEqualTo("InMemoryMessageLog");
        WebSocketEnvironment redis = new WebSocketEnvironment("CS-12", "127.0.0.1", 0,
                java.net.URI.create("redis://127.0.0.1:6379"), "cs:test:");
        assertThat(redis.messageLog("log", dev.coldstart.websocket.BufferLimits.ofDefaults()).getClass().getSimpleName())
                .isEqualTo("RedisMessageLog");
    }
}
