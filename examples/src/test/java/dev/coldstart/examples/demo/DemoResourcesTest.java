package dev.coldstart.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.resources.FileDescriptorBudget;
import dev.coldstart.resources.FileDescriptorUsage;
import dev.coldstart.resources.ResourceBudgetException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's resource options and guards: budget, scale-down, shedding on the request path. */
class DemoResourcesTest {

    @Test
    void parsesEveryResourceOption() {
        DemoResourcesConfig c = DemoConfig.parse("--http-max-connections", "50", "--fd-headroom", "32", "--fd-scale-down",
                "--data-dir", "/tmp/demo-data").resources();

        assertThat(c.httpMaxConnections()).isEqualTo(50);
        assertThat(c.fileDescriptorHeadroom()).isEqualTo(32);
        assertThat(c.onFileDescriptorBudgetExceeded()).isEqualTo(FileDescriptorBudget.OnExceeded.SCALE_DOWN);
        assertThat(c.dataDirectory()).isEqualTo(Path.of("/tmp/demo-data"));
        assertThat(DemoConfig.parse().resources().onFileDescriptorBudgetExceeded())
                .isEqualTo(FileDescriptorBudget.OnExceeded.FAIL_FAST);
        assertThat(DemoConfig.parse().resources().dataDirectory()).isNull();
    }

    @Test
    void failsFastNamingBudgetAndLimitWhenThePoolAndHttpExceedTheOpenFilesLimit() {
        int limit = (int) FileDescriptorUsage.current().max();
        DemoResources resources = new DemoResources(DemoResourcesConfig.builder().httpMaxConnections(limit).build(),
                DemoService.POOL, 5);

        assertThat(resources.poolSize()).isEqualTo(5);
        assertThatThrownBy(() -> resources.preflight().check())
                .isInstanceOfSatisfying(ResourceBudgetException.class, e -> {
                    assertThat(e.limit()).isEqualTo(limit);
                    assertThat(e.required()).isGreaterThan(limit);
                    assertThat(e.getMessage()).contains(Long.toString(e.required())).contains(Integer.toString(limit));
                });
    }

    @Test
    void scalesThePoolDownInProportionWhenConfigured() {
        int limit = (int) FileDescriptorUsage.current().max();
        DemoResources resources = new DemoResources(DemoResourcesConfig.builder().httpMaxConnections(limit)
                .onFileDescriptorBudgetExceeded(FileDescriptorBudget.OnExceeded.SCALE_DOWN).build(), DemoService.POOL, limit);

        assertThat(resources.poolSize()).isBetween(1, limit / 2);
        assertThat(resources.preflight().plan().scaledDown()).isTrue();
        assertThat(resources.preflight().plan().grantedTotal()).isLessThanOrEqualTo(limit);
    }

    @Test
    void shedsApiRequestsAndWebSocketUpgradesWith503AndRetryAfterWhileTheProbesAnswer() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (DemoService demo = DemoService.create(DemoConfig.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:5432/test")
                .httpPort(0).build()).startHttp()) {
            URI base = URI.create("http://127.0.0.1:" + demo.http().port());
            demo.resources().shedder().shed("test", "raised by the test");

            HttpResponse<String> api = http.send(HttpRequest.newBuilder(base.resolve("/api/currencies"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ws = http.send(HttpRequest.newBuilder(base.resolve("/ws/echo"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(base.resolve("/health/live"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(api.body()).contains("raised by the test");
            assertThat(ws.statusCode()).isEqualTo(503);
            assertThat(ws.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(live.statusCode()).isEqualTo(200);
        }
    }
}
