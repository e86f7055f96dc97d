package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.NonRetryableException;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CS-25: the JSON format, the comparison, and the check as a component against a real HTTP origin. */
class BuildManifestTest {
    private static final BuildManifest SERVER = BuildManifest.of("2025.05.01-42", Map.of(
            "assets/app.js", "sha256-AAA", "assets/app.css", "sha256-CCC", "assets/vendor.js", "sha256-VVV"));
    private static final StartPolicy FAST = StartPolicy.of(Duration.ofSeconds(5), RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(50))
            .circuitBreakerFailureThreshold(0).build());

    @Test
    void parsesTheDocumentedFormatAndWritesItBack() {
        BuildManifest m = BuildManifest.parse("{\"buildId\": \"2025.05.01-42\", \"generator\": \"vite\", \"assets\": "
                + "{\"assets/vendor.js\": \"sha256-VVV\", \"assets/app.js\": \"sha256-AAA\", \"assets/app.css\": \"sha256-CCC\"}}",
                "test");

        assertThat(m).isEqualTo(SERVER);
        assertThat(m.assets().keySet()).containsExactly("assets/app.css", "assets/app.js", "assets/vendor.js");
        assertThat(BuildManifest.parse(m.toJson(), "round trip")).isEqualTo(m);
    }

    @Test
    void invalidDocumentsAreRefusedNamingTheSourceAndTheField() {
        assertThatThrownBy(() -> BuildManifest.parse("{\"assets\": {}}", "cdn/build-manifest.json"))
                .isInstanceOf(NonRetryableException.class)
                .hasMessageStartingWith("build manifest cdn/build-manifest.json is not valid: \"buildId\" must be a "
                        + "non-blank string, but was null");
        assertThatThrownBy(() -> BuildManifest.parse("{\"buildId\": \"1\", \"assets\": [\"app.js\"]}", "m.json"))
                .isInstanceOf(NonRetryableException.class)
                .hasMessageContaining("\"assets\" must be an object of asset path to hash, but was an array");
        assertThatThrownBy(() -> BuildManifest.parse("{\"buildId\": \"1\", \"assets\": {\"app.js\": 7}}", "m.json"))
                .isInstanceOf(NonRetryableException.class)
                .hasMessageContaining("asset \"app.js\" must have a non-blank hash string, but had a number");
        assertThatThrownBy(() -> BuildManifest.parse("{\"buildId\": \"1\", ", "m.json"))
                .isInstanceOf(NonRetryableException.class).hasMessageContaining("invalid JSON at offset");
    }

    @Test
    void firstDifferingAssetIsTheFirstInPathOrder() {
        BuildManifest client = BuildManifest.of("2025.04.30-41", Map.of(
                "assets/app.js", "sha256-BBB", "assets/app.css", "sha256-CCC", "assets/vendor.js", "sha256-WWW"));
        BuildManifest fewer = BuildManifest.of("2025.05.01-42", Map.of("assets/app.js", "sha256-AAA"));

        assertThat(SERVER.firstDifferingAsset(client)).hasValue("assets/app.js");
        assertThat(SERVER.firstDifferingAsset(fewer)).hasValue("assets/app.css");
        assertThat(SERVER.firstDifferingAsset(SERVER)).isEmpty();
    }

    @Test
    void aMatchingClientManifestPasses() throws Exception {
        try (TestOrigin cdn = TestOrigin.start("cdn")) {
            cdn.serve("/build-manifest.json", "application/json", SERVER.toJson());
            BuildManifestCheck check = BuildManifestCheck.builder().server(SERVER)
                    .clientFromUri(cdn.uri("/build-manifest.json"), Duration.ofSeconds(2)).build();
            try (StartupOrchestrator o = StartupOrchestrator.builder().serviceName("ssr").component(check, FAST).build()) {
                o.start();
                assertThat(o.isReady()).isTrue();
                assertThat(check.probe().isUp()).isTrue();
            }
        }
    }

    @Test
    void aClientManifestOfAnotherBuildKeepsReadyOffNamingBothBuildsAndTheFirstDifferingAsset() throws Exception {
        BuildManifest client = BuildManifest.of("2025.04.30-41", Map.of(
                "assets/app.js", "sha256-BBB", "assets/app.css", "sha256-CCC", "assets/vendor.js", "sha256-VVV"));
        try (TestOrigin cdn = TestOrigin.start("cdn")) {
            cdn.serve("/build-manifest.json", "application/json", client.toJson());
            BuildManifestCheck check = BuildManifestCheck.builder().server(SERVER)
                    .clientFromUri(cdn.uri("/build-manifest.json"), Duration.ofSeconds(2)).build();

            assertThatThrownBy(check::start)
                    .isInstanceOf(BuildManifestMismatchException.class)
                    .hasMessageContaining("server build '2025.05.01-42', client build '2025.04.30-41'")
                    .hasMessageContaining("first differing asset 'assets/app.js' (server sha256-AAA, client sha256-BBB)")
                    .satisfies(e -> {
                        BuildManifestMismatchException m = (BuildManifestMismatchException) e;
                        assertThat(m.serverBuildId()).isEqualTo("2025.05.01-42");
                        assertThat(m.clientBuildId()).isEqualTo("2025.04.30-41");
                        assertThat(m.firstDifferingAsset()).isEqualTo("assets/app.js");
                    });

            try (StartupOrchestrator o = StartupOrchestrator.builder().serviceName("ssr").component(check, FAST).build()) {
                assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class);
                assertThat(o.isReady()).isFalse();
                assertThat(o.report().component("build-manifest").attempts()).as("never retried").isEqualTo(1);
            }
        }
    }

    @Test
    void onlyTheBuildIdDifferingIsAMismatchToo() {
        BuildManifestCheck check = BuildManifestCheck.builder().server(SERVER)
                .client(() -> BuildManifest.of("rebuilt-43", SERVER.assets()), "memory").build();

        assertThatThrownBy(check::start)
                .isInstanceOf(BuildManifestMismatchException.class)
                .hasMessageContaining("every asset hash matches, only the build ids differ")
                .satisfies(e -> assertThat(((BuildManifestMismatchException) e).firstDifferingAsset()).isNull());
    }

    @Test
    void aClientManifestNotThereYetIsRetried() throws Exception {
        try (TestOrigin cdn = TestOrigin.start("cdn")) {
            BuildManifestCheck check = BuildManifestCheck.builder().server(SERVER)
                    .clientFromUri(cdn.uri("/build-manifest.json"), Duration.ofSeconds(2)).build();
            assertThatThrownBy(check::start).isInstanceOf(IOException.class).hasMessageContaining("answered 404");
            cdn.serve("/build-manifest.json", "application/json", SERVER.toJson());
            check.start();
            assertThat(check.probe().isUp()).isTrue();
        }
    }
}
