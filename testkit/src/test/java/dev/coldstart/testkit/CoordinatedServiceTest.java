package dev.coldstart.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.coordination.ProbeEndpoint;
import dev.coldstart.core.Component;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupOrchestrator;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoordinatedServiceTest {

    @Test
    void ofBindsOnStartHttpAndStopsOrchestratorThenEndpointOnClose() throws Exception {
        StartupOrchestrator orchestrator = StartupOrchestrator.builder().component(Component.builder("c").build()).build();
        ProbeEndpoint http = ProbeEndpoint.builder().availability(orchestrator::availability).build();
        CoordinatedService service = CoordinatedService.of(orchestrator, http, Map.of("c", () -> 1));
        assertThat(http.isRunning()).as("nothing bound before startHttp()").isFalse();
        URI uri = service.startHttp();
        assertThat(uri.getPort()).isEqualTo(http.port()).isPositive();
        assertThat(service.dependencyCalls()).containsOnlyKeys("c");
        assertThat(service.featureFlag("c")).isNull();
        service.close();
        service.close();
        assertThat(http.isRunning()).isFalse();
        assertThat(orchestrator.availability().state()).isEqualTo(ServiceState.STOPPED);
    }
}
