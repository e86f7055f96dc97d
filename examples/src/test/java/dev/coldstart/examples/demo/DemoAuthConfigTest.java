package dev.coldstart.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's OIDC options, as the README lists them. */
class DemoAuthConfigTest {

    @Test
    void isOffWithoutAnIssuer() {
        DemoAuthConfig c = DemoConfig.parse("--http-port", "0").auth();

        assertThat(c.enabled()).isFalse();
        assertThat(c.issuer()).isNull();
    }

    @Test
    void parsesEveryOidcOption() {
        DemoAuthConfig c = DemoConfig.parse("--oidc-issuer", "https://sso.example.com/realms/shop",
                "--oidc-audience", "shop-api", "--oidc-partner-issuer", "https://login.partner.example/t7",
                "--oidc-key-cache", "/var/lib/demo/jwks", "--oidc-start-timeout", "12",
                "--oidc-token-endpoint", "https://sso.example.com/realms/shop/protocol/openid-connect/token").auth();

        assertThat(c.enabled()).isTrue();
        assertThat(c.issuer()).isEqualTo("https://sso.example.com/realms/shop");
        assertThat(c.audience()).isEqualTo("shop-api");
        assertThat(c.secondaryIssuer()).isEqualTo("https://login.partner.example/t7");
        assertThat(c.keySetDirectory()).isEqualTo(Path.of("/var/lib/demo/jwks"));
        assertThat(c.startTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(c.tokenEndpoint()).isEqualTo(URI.create("https://sso.example.com/realms/shop/protocol/openid-connect/token"));
        assertThat(c.clientId()).isNull();
    }

    @Test
    void takesTheClientSecretFromTheEnvironmentAndNeverPrintsIt() {
        DemoAuthConfig.Builder b = DemoAuthConfig.builder().issuer("https://sso.example.com/realms/shop")
                .tokenEndpoint(URI.create("https://sso.example.com/realms/shop/protocol/openid-connect/token"));
        int used = DemoAuthConfig.parseOption(b, new String[] {"--oidc-client-id", "demo"}, 0,
                Map.of(DemoAuthConfig.CLIENT_SECRET_ENV, "s3cr3t-value"));
        DemoAuthConfig c = b.build();

        assertThat(used).isEqualTo(2);
        assertThat(c.clientId()).isEqualTo("demo");
        assertThat(c.clientSecret()).isEqualTo("s3cr3t-value");
        assertThat(c.toString()).doesNotContain("s3cr3t-value").contains("clientSecret=***");
    }

    @Test
    void refusesAClientIdWithoutItsSecret() {
        assertThatThrownBy(() -> DemoAuthConfig.parseOption(DemoAuthConfig.builder(),
                new String[] {"--oidc-client-id", "demo"}, 0, Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(DemoAuthConfig.CLIENT_SECRET_ENV);
    }

    @Test
    void refusesClientCredentialsWithoutTokenEndpointAndAPartnerWithoutIssuer() {
        assertThatThrownBy(() -> DemoAuthConfig.builder().issuer("https://sso.example.com/realms/shop")
                .clientCredentials("demo", "secret").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("tokenEndpoint must be set");
        assertThatThrownBy(() -> DemoAuthConfig.builder().secondaryIssuer("https://login.partner.example/t7").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("issuer must be set");
        assertThatThrownBy(() -> DemoConfig.parse("--oidc-issuer", "sso.example.com"))
                .hasMessageContaining("issuer must be an absolute http(s) URL, but was sso.example.com");
    }
}
