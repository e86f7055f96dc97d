package dev.coldstart.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.coordination.PortPolicy;
import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoordinationScenarioParametersTest {

    @Test
    void defaultsAreTheFiguresOfTheCatalogue() {
        CoordinationScenarioParameters p = CoordinationScenarioParameters.ofDefaults();
        assertThat(p.cs06SlowDependencyDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.cs06CriticalPathTolerance()).isEqualTo(0.10);
        assertThat(p.cs07ReadyPollInterval()).isEqualTo(Duration.ofMillis(5));
        assertThat(p.cs08RacingThreads()).isEqualTo(16);
        assertThat(p.cs09RegistryTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.cs10OptionalStartTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void toBuilderKeepsEveryFigure() {
        CoordinationScenarioParameters p = CoordinationScenarioParameters.builder()
                .cs06SlowDependencyDelay(Duration.ofSeconds(3))
                .cs08RacingThreads(4)
                .cs09DrainDelay(Duration.ZERO)
                .build();
        assertThat(p.toBuilder().build().toString()).isEqualTo(p.toString());
        assertThat(p.toString()).contains("cs06SlowDependencyDelay=PT3S", "cs08RacingThreads=4", "cs09DrainDelay=PT0S");
    }

    @Test
    void rejectsFiguresThatBreakTheirRuleNamingFieldAndValue() {
        assertThatThrownBy(() -> CoordinationScenarioParameters.builder().cs07ReadyPollInterval(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cs07ReadyPollInterval must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> CoordinationScenarioParameters.builder().cs08RacingThreads(1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cs08RacingThreads must be at least 2, but was 1");
        assertThatThrownBy(() -> CoordinationScenarioParameters.builder().cs06CriticalPathTolerance(1.5))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cs06CriticalPathTolerance must be between 0.0 and 1.0, but was 1.5");
        assertThatThrownBy(() -> CoordinationScenarioParameters.builder().cs09DrainDelay(Duration.ofMillis(-1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("cs09DrainDelay must be greater than or equal to 0");
        assertThatThrownBy(() -> CoordinationScenarioParameters.builder().cs08HolderReleasesAfter(Duration.ofSeconds(2))
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cs08HolderReleasesAfter must be less than cs08RetryTimeout (PT1S), but was PT2S");
    }

    @Test
    void environmentNeedsDatabaseRedisAndRegistryAndAValidInstanceName() {
        assertThatThrownBy(() -> CoordinationEnvironment.builder().build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("jdbcUrl must be set, but was null");
        assertThatThrownBy(() -> CoordinationEnvironment.builder().instanceName("a b"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("instanceName must consist of 1 to 128 letters");
        try (ServiceRegistry registry = ServiceRegistry.inMemory()) {
            CoordinationEnvironment env = CoordinationEnvironment.builder()
                    .instanceName("cs-1")
                    .database("jdbc:postgresql://127.0.0.1:5432/x", "postgres", "secret")
                    .redis(URI.create("redis://127.0.0.1:6379"), "cs:1:")
                    .http(8080, PortPolicy.RETRY, Duration.ofSeconds(3))
                    .registry(registry, "orders", Duration.ofMillis(100))
                    .build();
            assertThat(env.toBuilder().build().toString()).isEqualTo(env.toString());
            assertThat(env.toString()).contains("jdbcPassword=****").doesNotContain("secret");
            assertThat(env.portPolicy()).isEqualTo(PortPolicy.RETRY);
            assertThat(env.httpPort()).isEqualTo(8080);
        }
    }
}
