package dev.coldstart.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.testkit.ColdstartScenarios;
import dev.coldstart.testkit.RealPostgres;
import dev.coldstart.testkit.TestDatabase;
import dev.coldstart.testkit.fault.ChildJvm;
import dev.coldstart.testkit.fault.ChildJvmConfig;
import dev.coldstart.testkit.fault.TcpFault;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo's {@code --report-html} file of a real start whose database appears a few seconds late:
 * the pool's failed attempts, their error and the backoffs are drawn, and the critical path runs
 * through the three database components. The file stays in {@code target/coldstart/} so that
 * {@code docs/screenshot.sh} can open it in headless Chromium.
 */
@ColdstartScenarios
class DemoReportHtmlIT {

    /** Where the timeline of the late-database start is left for {@code docs/screenshot.sh}. */
    static final Path TIMELINE = Path.of("target", "coldstart", "demo-late-database.html");

    @RealPostgres
    static TestDatabase db;

    @Test
    void writesTheTimelineOfAStartWhoseDatabaseCameUpLate() throws Exception {
        Files.createDirectories(TIMELINE.getParent());
        Files.deleteIfExists(TIMELINE);
        try (TcpFaultProxy proxy = TcpFaultProxy.start(db.server().host(), db.server().port())) {
            proxy.setFault(TcpFault.refuse());
            try (ChildJvm demo = ChildJvm.start(ChildJvmConfig.builder(DemoService.class)
                    .name("demo-report-html")
                    .maxHeapBytes(256L * 1024 * 1024)
                    .args("--jdbc-url", db.jdbcUrl(proxy.host(), proxy.port()), "--jdbc-user", db.user(),
                            "--jdbc-password", db.password(), "--http-port", "0", "--exit-when-ready",
                            "--report-html", TIMELINE.toAbsolutePath().toString())
                    .build())) {
                demo.awaitLine(Pattern.compile("demo-db - attempt 2 failed"), Duration.ofSeconds(30));
                proxy.setFault(TcpFault.none());

                assertThat(demo.awaitExit(Duration.ofSeconds(60))).as("exit code; output:%n%s", demo.output()).isZero();
            }
        }

        String html = Files.readString(TIMELINE);
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).containsPattern("READY after <b class=\"ttr\">\\d+\\.\\d{3} s</b>");
        // Other components of the demo may follow the database chain; the chain itself is what the late database delayed.
        assertThat(html).contains("critical path: <span class=\"cp\">fd-preflight \u2192 demo-db \u2192 demo-migrations \u2192 demo-seed");
        assertThat(count(html, "<g class=\"row")).as("one row per component").isGreaterThanOrEqualTo(3);
        assertThat(count(html, "<rect class=\"attempt failed\"")).as("failed attempts of demo-db").isGreaterThanOrEqualTo(2);
        assertThat(count(html, "<rect class=\"backoff\"")).as("backoffs of demo-db").isGreaterThanOrEqualTo(2);
        assertThat(html).containsPattern("<title>attempt 1 failed: [^<]*(refused|Connection)");
        assertThat(count(html, "<rect class=\"healthy\"")).as("healthy bars").isGreaterThanOrEqualTo(3);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
