package dev.coldstart.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {

    @Test
    void allowsListedOriginsInAnyCaseAndWithTheirDefaultPort() {
        CorsPolicy p = CorsPolicy.builder().allowedOrigins("https://Shop.Example.com", "http://127.0.0.1:5173").build();

        assertThat(p.allowedOrigins()).containsExactly("https://shop.example.com", "http://127.0.0.1:5173");
        assertThat(p.allowsOrigin("https://shop.example.com")).isTrue();
        assertThat(p.allowsOrigin("HTTPS://SHOP.EXAMPLE.COM:443")).isTrue();
        assertThat(p.allowsOrigin("http://127.0.0.1:5173")).isTrue();
        assertThat(p.allowsOrigin("http://127.0.0.1:5174")).isFalse();
        assertThat(p.allowsOrigin("http://shop.example.com")).isFalse();
        assertThat(p.allowsOrigin("null")).isFalse();
        assertThat(p.allowsOrigin(null)).isFalse();
        assertThat(p.allowsAnyOrigin()).isFalse();
    }

    @Test
    void anyOriginAllowsEveryOriginWithoutCredentials() {
        CorsPolicy p = CorsPolicy.builder().allowedOrigins("*").build();

        assertThat(p.allowsAnyOrigin()).isTrue();
        assertThat(p.allowsOrigin("https://anything.example")).isTrue();
        assertThat(p.allowCredentials()).isFalse();
    }

    @Test
    void refusesAnyOriginWithCredentialsNamingTheRule() {
        assertThatThrownBy(() -> CorsPolicy.builder().allowedOrigins("*").allowCredentials(true).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("allowCredentials must be false when allowedOrigins is \"*\"")
                .hasMessageContaining("but was true");
    }

    @Test
    void refusesWhatIsNotAnOrigin() {
        assertThatThrownBy(() -> CorsPolicy.builder().allowedOrigins("https://shop.example.com/"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("but was \"https://shop.example.com/\"");
        assertThatThrownBy(() -> CorsPolicy.builder().allowedOrigins("shop.example.com"))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CorsPolicy.builder().allowedOrigins("ftp://shop.example.com"))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CorsPolicy.builder().allowedOrigins("*", "https://a.example").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("allowedOrigins must be either \"*\" or a list of origins, but was [*, https://a.example]");
        assertThatThrownBy(() -> CorsPolicy.builder().build())
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("allowedOrigins must not be empty, but was []");
        assertThatThrownBy(() -> CorsPolicy.builder().allowedMethods("GET POST"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("allowedMethods must hold HTTP tokens such as Content-Type, but was \"GET POST\"");
        assertThatThrownBy(() -> CorsPolicy.builder().maxAge(Duration.ofSeconds(-1)))
                .isInstanceOf(ConfigurationException.class).hasMessage("maxAge must be greater than or equal to 0, but was PT-1S");
    }

    @Test
    void methodsAreCaseSensitiveAndHeadersAreNot() {
        CorsPolicy p = CorsPolicy.builder().allowedOrigins("https://a.example").allowedMethods("GET", "PUT")
                .allowedHeaders("X-Request-Id").build();

        assertThat(p.allowsMethod("PUT")).isTrue();
        assertThat(p.allowsMethod("put")).isFalse();
        assertThat(p.allowsMethod("DELETE")).isFalse();
        assertThat(p.allowsHeader("x-request-id")).isTrue();
        assertThat(p.allowsHeader("Content-Type")).isFalse();
    }

    @Test
    void equalPoliciesAreEqualAndToBuilderCopies() {
        CorsPolicy a = CorsPolicy.builder().allowedOrigins("https://a.example").allowCredentials(true)
                .maxAge(Duration.ofMinutes(5)).exposedHeaders("ETag").build();
        CorsPolicy b = a.toBuilder().build();

        assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(b.maxAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.exposedHeaders()).containsExactly("ETag");
        assertThat(a.toBuilder().allowedOrigins("https://b.example").build()).isNotEqualTo(a);
        assertThat(CorsPolicy.builder().allowedOrigins("https://a.example").build().allowedMethods())
                .containsExactlyElementsOf(CorsPolicy.DEFAULT_ALLOWED_METHODS);
    }
}
