package dev.coldstart.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.coordination.GraphQlService;
import dev.coldstart.core.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's front-end options, as the README lists them. */
class DemoFrontEndConfigTest {

    @Test
    void parsesEveryFrontEndOption() {
        DemoFrontEndConfig c = DemoConfig.parse("--gate-queue", "16", "--gate-wait", "3",
                "--cors-origins", "https://shop.example.com, https://admin.example.com", "--cors-credentials",
                "--client-manifest", "https://cdn.example.com/build-manifest.json",
                "--asset-origins", "https://cdn.example.com,https://backup.example.com", "--asset-check-path", "/ok.txt",
                "--graphql", "catalog=http://catalog:8080/graphql", "--graphql-sdl", "reviews=http://reviews/schema.graphql",
                "--graphql-optional", "reviews", "--http-port", "0").frontEnd();

        assertThat(c.gateQueue()).isEqualTo(16);
        assertThat(c.gateWait()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.corsOrigins()).containsExactly("https://shop.example.com", "https://admin.example.com");
        assertThat(c.sharedCors()).isTrue();
        assertThat(c.corsCredentials()).isTrue();
        assertThat(c.clientManifest()).isEqualTo("https://cdn.example.com/build-manifest.json");
        assertThat(c.assetOrigins()).containsExactly(URI.create("https://cdn.example.com"), URI.create("https://backup.example.com"));
        assertThat(c.assetCheckPath()).isEqualTo("/ok.txt");
        assertThat(c.graphQlServices()).extracting(GraphQlService::name, GraphQlService::source, GraphQlService::required)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("catalog", GraphQlService.Source.INTROSPECTION, true),
                        org.assertj.core.groups.Tuple.tuple("reviews", GraphQlService.Source.SDL, false));
    }

    @Test
    void separateWebSocketOriginsGiveTwoPoliciesThatTheStartRefuses() {
        DemoFrontEndConfig c = DemoConfig.parse("--cors-origins", "https://a.example", "--ws-origins", "https://b.example")
                .frontEnd();
        DemoFrontEnd fe = new DemoFrontEnd(c);

        assertThat(c.sharedCors()).isFalse();
        assertThat(fe.wsCors()).isNotSameAs(fe.httpCors());
    }

    @Test
    void sameOriginsShareOnePolicyObject() {
        DemoFrontEnd fe = new DemoFrontEnd(DemoFrontEndConfig.ofDefaults());

        assertThat(fe.wsCors()).isSameAs(fe.httpCors());
        assertThat(fe.serverManifest().buildId()).isEqualTo("coldstart-demo-0.1.0");
        assertThat(fe.serverManifest().assets()).hasSize(3);
    }

    @Test
    void refusesAnyOriginWithCredentialsAndBadValues() {
        DemoFrontEndConfig star = DemoConfig.parse("--cors-origins", "*", "--cors-credentials").frontEnd();
        assertThatThrownBy(() -> new DemoFrontEnd(star)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("allowCredentials must be false when allowedOrigins is \"*\"");
        assertThatThrownBy(() -> DemoConfig.parse("--graphql", "catalog")).isInstanceOf(ConfigurationException.class)
                .hasMessage("--graphql must be NAME=URL, but was catalog");
        assertThatThrownBy(() -> DemoConfig.parse("--graphql-optional", "nope")).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("graphQlOptional must name a configured GraphQL service [], but was nope");
        assertThatThrownBy(() -> DemoConfig.parse("--gate-queue", "0")).isInstanceOf(ConfigurationException.class)
                .hasMessage("gateQueue must be greater than 0, but was 0");
        assertThat(DemoConfig.USAGE).contains("--gate-queue N", "--ws-origins LIST", "--graphql-optional NAME");
        assertThat(List.of(DemoConfig.USAGE.split("\n"))).contains("  --help                print this text");
    }
}
