package dev.coldstart.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportHtmlTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    private static TransitionRecord t(ComponentState from, ComponentState to, long millis) {
        return new TransitionRecord(from, to, at(millis));
    }

    /** db fails once, backs off 1 s, then starts; migrations wait for it; cache is optional and degraded. */
    private static StartupReport sample(String oddName, String oddError) {
        ComponentReport db = new ComponentReport("db", true, List.of(), ComponentState.RUNNING, 2,
                List.of(new AttemptRecord(1, at(0), at(500), "Connection to 127.0.0.1:5432 refused", Duration.ofSeconds(1)),
                        new AttemptRecord(2, at(1500), at(1800), null, null)),
                List.of(t(ComponentState.NEW, ComponentState.WAITING, 0), t(ComponentState.WAITING, ComponentState.STARTING, 0),
                        t(ComponentState.STARTING, ComponentState.BACKOFF, 500),
                        t(ComponentState.BACKOFF, ComponentState.STARTING, 1500),
                        t(ComponentState.STARTING, ComponentState.RUNNING, 1800)),
                at(0), at(0), at(1800), "Connection to 127.0.0.1:5432 refused");
        ComponentReport migrations = new ComponentReport("migrations", true, List.of("db"), ComponentState.RUNNING, 1,
                List.of(new AttemptRecord(1, at(1800), at(3000), null, null)),
                List.of(t(ComponentState.NEW, ComponentState.WAITING, 0), t(ComponentState.WAITING, ComponentState.STARTING, 1800),
                        t(ComponentState.STARTING, ComponentState.RUNNING, 3000)),
                at(0), at(1800), at(3000), null);
        ComponentReport cache = new ComponentReport("cache", false, List.of(), ComponentState.DEGRADED, 1,
                List.of(new AttemptRecord(1, at(0), at(200), "redis down", null)),
                List.of(t(ComponentState.NEW, ComponentState.WAITING, 0), t(ComponentState.WAITING, ComponentState.STARTING, 0),
                        t(ComponentState.STARTING, ComponentState.DEGRADED, 200)),
                at(0), at(0), null, "redis down");
        ComponentReport odd = new ComponentReport(oddName, true, List.of("db"), ComponentState.RUNNING, 2,
                List.of(new AttemptRecord(1, at(1800), at(1900), oddError, Duration.ofMillis(100)),
                        new AttemptRecord(2, at(2000), at(2100), null, null)),
                List.of(t(ComponentState.NEW, ComponentState.WAITING, 0), t(ComponentState.WAITING, ComponentState.STARTING, 1800),
                        t(ComponentState.STARTING, ComponentState.BACKOFF, 1900),
                        t(ComponentState.BACKOFF, ComponentState.STARTING, 2000),
                        t(ComponentState.STARTING, ComponentState.RUNNING, 2100)),
                at(0), at(1800), at(2100), oddError);
        return new StartupReport(ServiceState.READY, T0, at(3000), List.of(db, migrations, cache, odd));
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    @Test
    void escapesTheFiveMarkupCharactersAndControlCharacters() {
        assertThat(ReportHtml.escape("<a href=\"x\">Tom & Jerry's</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
        assertThat(ReportHtml.escape("line1\nline2\ttab\u0000nul\u001besc")).isEqualTo("line1\nline2\ttab\uFFFDnul\uFFFDesc");
        assertThat(ReportHtml.escape(null)).isEmpty();
    }

    @Test
    void rendersComponentNamesAndErrorsThatContainMarkupAsText() {
        String name = "<script>alert('name')</script>";
        String error = "bad \"token\" & <img src=x onerror=alert(1)>";
        String html = sample(name, error).toHtml();

        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img").doesNotContain("alert('name')");
        assertThat(count(html, "<script>")).as("only the renderer's own script element").isEqualTo(1);
        assertThat(html).contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;");
        assertThat(html).contains("bad &quot;token&quot; &amp; &lt;img src=x onerror=alert(1)&gt;");
        // Attribute values stay quoted and closed: no escaped name can open a new attribute.
        assertThat(html).doesNotContainPattern("onerror=alert\\(1\\)>");
    }

    @Test
    void drawsOneRowPerComponentWithWaitsAttemptsFailuresBackoffsAndHealthyTime() {
        String html = sample("odd", "odd failed").toHtml();

        assertThat(count(html, "<g class=\"row")).isEqualTo(4);
        assertThat(count(html, "<rect class=\"attempt failed\"")).as("failed attempts: db, cache, odd").isEqualTo(3);
        assertThat(count(html, "<rect class=\"attempt\"")).as("successful attempts: db, migrations, odd").isEqualTo(3);
        assertThat(count(html, "<rect class=\"backoff\"")).as("backoffs: db, odd (cache was not retried)").isEqualTo(2);
        assertThat(count(html, "<rect class=\"healthy\"")).isEqualTo(3);
        assertThat(count(html, "<rect class=\"degraded\"")).isEqualTo(1);
        assertThat(count(html, "<rect class=\"wait\"")).as("components that waited: migrations, odd").isEqualTo(2);
        assertThat(html).contains("<title>attempt 1 failed: Connection to 127.0.0.1:5432 refused\n+0.000 s \u2192 +0.500 s (0.500 s)</title>");
        assertThat(html).contains("<title>backoff before attempt 2 (scheduled 1.000 s)\n+0.500 s \u2192 +1.500 s (1.000 s)</title>");
        assertThat(html).contains("<title>waiting for db\n+0.000 s \u2192 +1.800 s (1.800 s)</title>");
        assertThat(html).contains("depends on: db").contains("depends on: nothing");
        assertThat(html).contains("READY after <b class=\"ttr\">3.000 s</b>").contains(">READY 3.000 s</text>");
        assertThat(html).contains("<title>coldstart startup: READY after 3.000 s</title>");
    }

    @Test
    void hoverScriptUsesRowIndicesOfTheDependencies() {
        String html = sample("odd", "e").toHtml();

        Matcher m = Pattern.compile("<g class=\"row[^\"]*\" data-i=\"(\\d+)\" data-deps=\"([^\"]*)\">").matcher(html);
        StringBuilder seen = new StringBuilder();
        while (m.find()) {
            seen.append(m.group(1)).append(':').append(m.group(2)).append(';');
        }
        assertThat(seen.toString()).isEqualTo("0:;1:0;2:;3:0;");
    }

    @Test
    void criticalPathFollowsTheDependencyThatBecameHealthyLast() {
        StartupReport report = sample("odd", "e");

        assertThat(report.criticalPath()).containsExactly("db", "migrations");
        String html = report.toHtml();
        assertThat(html).contains("critical path: <span class=\"cp\">db \u2192 migrations</span>");
        assertThat(count(html, "<g class=\"row critical\"") + count(html, "<g class=\"row alt critical\"")).isEqualTo(2);
    }

    @Test
    void criticalPathOfAFailedStartEndsAtTheFailedComponent() {
        ComponentReport db = new ComponentReport("db", true, List.of(), ComponentState.RUNNING, 1,
                List.of(new AttemptRecord(1, at(0), at(100), null, null)), List.of(), at(0), at(0), at(100), null);
        ComponentReport late = new ComponentReport("late", true, List.of(), ComponentState.RUNNING, 1,
                List.of(new AttemptRecord(1, at(0), at(900), null, null)), List.of(), at(0), at(0), at(900), null);
        ComponentReport migrations = new ComponentReport("migrations", true, List.of("db"), ComponentState.FAILED, 1,
                List.of(new AttemptRecord(1, at(100), at(300), "checksum mismatch for V2", null)),
                List.of(t(ComponentState.STARTING, ComponentState.FAILED, 300)), at(0), at(100), null, "checksum mismatch for V2");
        StartupReport report = new StartupReport(ServiceState.FAILED, T0, null, List.of(db, late, migrations));

        assertThat(report.criticalPath()).containsExactly("db", "migrations");
        String html = report.toHtml();
        assertThat(html).contains("not READY").contains("<g class=\"cross\"><title>FAILED: checksum mismatch for V2</title>");
        assertThat(html).doesNotContain("class=\"ready\"");
    }

    @Test
    void rendersAReportTakenBeforeStart() {
        StartupReport report = new StartupReport(ServiceState.NEW, null, null,
                List.of(new ComponentReport("db", true, List.of(), ComponentState.NEW, 0, List.of(), List.of(),
                        null, null, null, null)));

        String html = report.toHtml();
        assertThat(report.criticalPath()).isEmpty();
        assertThat(html).contains("Nothing has started yet").contains("<td>db</td>").endsWith("</html>\n");
    }

    @Test
    void rejectsANullReport() {
        assertThatThrownBy(() -> ReportHtml.render(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("report");
    }

    @Test
    void fetchesNothingFromTheNetwork() {
        String html = sample("odd", "e").toHtml();

        // The only URL is the SVG namespace name, which browsers never fetch.
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://", "https://", "src=", "@import");
    }

    @Test
    void drawsARealStartWithRetries() {
        AtomicInteger calls = new AtomicInteger();
        Component flaky = Component.builder("flaky-db").onStart(() -> {
            if (calls.incrementAndGet() <= 2) {
                throw new java.net.ConnectException("Connection refused (attempt " + calls.get() + ")");
            }
        }).build();
        Component app = Component.builder("app").dependsOn("flaky-db").build();
        StartPolicy fast = StartPolicy.of(Duration.ofSeconds(10), RetryPolicy.builder().initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(40)).circuitBreakerFailureThreshold(0).build());
        try (StartupOrchestrator o = StartupOrchestrator.builder().defaultStartPolicy(fast).component(flaky).component(app).build()) {
            StartupReport report = o.start();

            String html = report.toHtml();
            assertThat(report.criticalPath()).containsExactly("flaky-db", "app");
            assertThat(count(html, "<rect class=\"attempt failed\"")).isEqualTo(2);
            assertThat(count(html, "<rect class=\"backoff\"")).isEqualTo(2);
            assertThat(html).contains("Connection refused (attempt 1)").contains("Connection refused (attempt 2)");
        }
    }
}
