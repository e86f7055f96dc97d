package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.Availability;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.ComponentStatus;
import dev.coldstart.core.ServiceState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniJsonTest {

    @Test
    void readsTheProbeBodyOfADegradedService() {
        Availability a = new Availability(ServiceState.READY, true, true, true, List.of(
                new ComponentStatus("db", true, ComponentState.RUNNING, null),
                new ComponentStatus("cache", false, ComponentState.DEGRADED, "Connection refused: \"redis\"\n")));
        Map<String, Object> body = MiniJson.object(a.toJson());
        assertThat(body).containsEntry("ready", true).containsEntry("status", "UP");
        assertThat(CoordinationSupport.degradedOf(body)).containsExactly("cache");
        assertThat(CoordinationSupport.componentOf(body, "cache")).containsEntry("healthy", false)
                .containsEntry("error", "Connection refused: \"redis\"\n");
        assertThat(CoordinationSupport.componentOf(body, "db")).containsEntry("healthy", true).doesNotContainKey("error");
    }

    @Test
    void readsNumbersNullsAndNesting() {
        assertThat(MiniJson.parse("{\"a\": [1, -2.5e1, null, {\"b\": \"\\u0041\"}]}"))
                .isEqualTo(Map.of("a", java.util.Arrays.asList(1.0, -25.0, null, Map.of("b", "A"))));
    }

    @Test
    void rejectsWhatIsNotJsonNamingTheOffset() {
        assertThatThrownBy(() -> MiniJson.parse("{\"a\": }")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at offset 6");
        assertThatThrownBy(() -> MiniJson.object("[1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a JSON object");
    }
}
