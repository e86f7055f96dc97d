package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.CorsPolicy;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CS-22's start-up validation. */
class CorsCheckTest {
    private static final CorsPolicy SHOP = CorsPolicy.builder()
            .allowedOrigins("https://shop.example.com", "https://www.example.com").allowCredentials(true).build();

    @Test
    void passesWhenEveryEndpointSharesThePolicy() {
        CorsCheck check = CorsCheck.builder().endpoint("http-api", SHOP).endpoint("websocket", SHOP).build();

        assertThat(check.problems()).isEmpty();
        check.start();
        assertThat(check.probe().isUp()).isTrue();
    }

    @Test
    void listsTheMismatchedOriginsPerEndpoint() {
        CorsCheck check = CorsCheck.builder()
                .endpoint("http-api", SHOP)
                .endpoint("websocket", List.of("https://shop.example.com", "https://admin.example.com"), true)
                .build();

        assertThatThrownBy(check::start)
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cors-check - the endpoints admit different origins, so a page that can call one cannot "
                        + "call the other: 'http-api' does not allow [https://admin.example.com]; 'websocket' does not "
                        + "allow [https://www.example.com]. Give every endpoint the same CorsPolicy");
    }

    @Test
    void refusesAnyOriginWithCredentialsNamingTheEndpoint() {
        CorsCheck check = CorsCheck.builder()
                .endpoint("websocket", List.of("*"), true)
                .build();

        assertThat(check.problems()).singleElement().asString()
                .startsWith("endpoint 'websocket' allows any origin (*) with credentials");
    }

    @Test
    void reportsEndpointsThatDisagreeOnCredentials() {
        CorsCheck check = CorsCheck.builder()
                .endpoint("http-api", SHOP)
                .endpoint("websocket", SHOP.allowedOrigins(), false)
                .build();

        assertThat(check.problems()).containsExactly(
                "credentials are allowed by [http-api] but not by [websocket]. Give every endpoint the same CorsPolicy");
    }

    @Test
    void aFailedCheckKeepsTheServiceFromReadyAndShowsInTheReport() {
        CorsCheck check = CorsCheck.builder()
                .endpoint("http-api", SHOP)
                .endpoint("websocket", List.of("https://shop.example.com"), true)
                .build();
        StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName("cors-app").component(check).build();
        try {
            assertThatThrownBy(orchestrator::start)
                    .isInstanceOf(StartupFailedException.class)
                    .satisfies(e -> assertThat(((StartupFailedException) e).report().component("cors-check").lastError())
                            .contains("'websocket' does not allow [https://www.example.com]"));
            assertThat(orchestrator.isReady()).isFalse();
        } finally {
            orchestrator.stop();
        }
    }

    @Test
    void rejectsBadEndpointConfiguration() {
        assertThatThrownBy(() -> CorsCheck.builder().endpoint("a", SHOP).endpoint("a", SHOP))
                .isInstanceOf(ConfigurationException.class).hasMessage("endpoint must be unique, but was \"a\" twice");
        assertThatThrownBy(() -> CorsCheck.builder().build())
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("endpoints must not be empty, but was []");
        assertThatThrownBy(() -> CorsCheck.builder().endpoint("ws", List.of("shop.example.com"), false))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("but was \"shop.example.com\"");
    }
}
