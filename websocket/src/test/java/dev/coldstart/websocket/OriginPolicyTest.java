package dev.coldstart.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    @Test
    void allowsListedOriginsAfterNormalisingCaseAndDefaultPorts() {
        OriginPolicy p = OriginPolicy.builder().allowOrigin("HTTPS://App.Example.com:443", "http://localhost:3000").build();
        assertThat(p.allows("https://app.example.com")).isTrue();
        assertThat(p.allows("https://APP.example.com:443")).isTrue();
        assertThat(p.allows("http://localhost:3000")).isTrue();
        assertThat(p.allowedOrigins()).containsExactlyInAnyOrder("https://app.example.com", "http://localhost:3000");
    }

    @Test
    void refusesOtherOriginsLookalikesOpaqueAndMissingOriginsByDefault() {
        OriginPolicy p = OriginPolicy.builder().allowOrigin("https://app.example.com").build();
        assertThat(p.allows("https://evil.example")).isFalse();
        assertThat(p.allows("https://app.example.com.evil.example")).isFalse();
        assertThat(p.allows("http://app.example.com")).isFalse();
        assertThat(p.allows("https://app.example.com:8443")).isFalse();
        assertThat(p.allows("null")).isFalse();
        assertThat(p.allows(null)).isFalse();
        assertThat(p.allows("not a url")).isFalse();
    }

    @Test
    void missingOriginIsAllowedOnlyWhenAskedFor() {
        OriginPolicy p = OriginPolicy.builder().allowMissingOrigin(true).build();
        assertThat(p.allows(null)).isTrue();
        assertThat(p.allows("https://app.example.com")).isFalse();
    }

    @Test
    void anyOriginAllowsEveryRealOriginButNotTheOpaqueOne() {
        OriginPolicy p = OriginPolicy.builder().allowAnyOrigin().build();
        assertThat(p.allows("https://whatever.example")).isTrue();
        assertThat(p.allows("null")).isFalse();
    }

    @Test
    void rejectsAWildcardOriginWithCredentialsAtBuild() {
        assertThatThrownBy(() -> OriginPolicy.builder().allowAnyOrigin().allowCredentials(true).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("allowCredentials must be false when any origin is allowed")
                .hasMessageContaining("but was true");
    }

    @Test
    void rejectsAnEmptyAllowListAndMalformedOrigins() {
        assertThatThrownBy(() -> OriginPolicy.builder().build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("allowedOrigins must not be empty unless allowAnyOrigin() or allowMissingOrigin(true) is set, but was []");
        assertThatThrownBy(() -> OriginPolicy.builder().allowOrigin("https://app.example.com/path"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("origin must be scheme://host[:port] without path");
        assertThatThrownBy(() -> OriginPolicy.builder().allowOrigin("*"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("use allowAnyOrigin()");
    }
}
