package dev.coldstart.testkit.internal.scenario;

import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.AuthEnvironment;
import dev.coldstart.testkit.AuthScenarios;
import dev.coldstart.testkit.AuthService;
import dev.coldstart.testkit.ScenarioContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** Building environments and instances for the auth scenarios, with cleanup that runs even on failure. */
final class AuthScenarioSupport {
    private AuthScenarioSupport() {
    }

    static AuthEnvironment env(ScenarioContext ctx, String name, AuthEnvironment.Role role, ScenarioIdp idp,
            String secondaryIssuer, Duration startTimeout, Duration requestTimeout, Duration signingLead) {
        Path dir;
        try {
            dir = Files.createTempDirectory("coldstart-auth-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.closeAfter(() -> deleteTree(dir));
        return new AuthEnvironment(name, role, idp.issuer(), secondaryIssuer, ScenarioIdp.AUDIENCE, idp.tokenEndpoint(),
                ScenarioIdp.CLIENT_ID, ScenarioIdp.CLIENT_SECRET, ctx.redis().uri(), ctx.redis().prefix() + name + ":",
                dir, startTimeout, requestTimeout, signingLead);
    }

    /** Creates an instance and registers its stop and close. */
    static AuthService service(ScenarioContext ctx, AuthScenarios scenarios, AuthEnvironment env) throws Exception {
        AuthService s = scenarios.authService(env);
        if (s == null || s.orchestrator() == null) {
            throw new IllegalStateException("authService(" + env.serviceName() + ") returned no service or no "
                    + "orchestrator; return your service's not-yet-started orchestrator");
        }
        StartupOrchestrator o = s.orchestrator();
        ctx.closeAfter(() -> {
            try {
                o.stop();
            } finally {
                s.close();
            }
        });
        return s;
    }

    static ScenarioIdp idp(ScenarioContext ctx, String realm) {
        return ctx.closeAfter(new ScenarioIdp(realm));
    }

    /** The failed component with the most attempts, the one that kept the service from READY. */
    static ComponentReport failed(StartupReport report) {
        return report.components().stream().filter(c -> c.state().name().equals("FAILED"))
                .max(Comparator.comparingInt(ComponentReport::attempts)).orElse(null);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
