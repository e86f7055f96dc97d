package dev.coldstart.testkit.internal.scenario;

import static org.awaitility.Awaitility.await;

import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.ApiIntegrationEnvironment;
import dev.coldstart.testkit.ApiIntegrationScenarios;
import dev.coldstart.testkit.ApiIntegrationService;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opentest4j.AssertionFailedError;

/** Helpers shared by the API integration scenarios. Not part of the testkit's API. */
final class ApiScenarioSupport {
    /** HTTP/1.1 so that every waiting request is a connection of its own, as browsers behind a gateway make them. */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ApiScenarioSupport() {
    }

    /** An environment with a fresh database and a unique instance name. */
    static ApiIntegrationEnvironment.Builder env(ScenarioContext ctx, String name, Duration startTimeout) {
        TestDatabase db = ctx.database();
        return ApiIntegrationEnvironment.builder()
                .instanceName(name + "-" + ScenarioSupport.tag())
                .jdbcUrl(db.jdbcUrl()).jdbcUser(db.user()).jdbcPassword(db.password())
                .startTimeout(startTimeout);
    }

    /** Builds an instance, fails clearly on null, and closes it after the scenario. */
    static ApiIntegrationService service(ScenarioContext ctx, ApiIntegrationScenarios scenarios, ApiIntegrationEnvironment env)
            throws Exception {
        ApiIntegrationService s = scenarios.apiIntegrationService(env);
        if (s == null) {
            throw new AssertionFailedError(ctx.id() + " - apiIntegrationService(env) returned null for " + env.instanceName());
        }
        return ctx.closeAfter(s);
    }

    /** A value the scenario needs from the service, or a failure naming the method to implement. */
    static <T> T required(ScenarioContext ctx, T value, String method) {
        if (value == null) {
            throw new AssertionFailedError(ctx.id() + " needs ApiIntegrationService." + method
                    + "; implement it in the service your apiIntegrationService(env) returns");
        }
        return value;
    }

    /** Waits until the service's liveness probe answers 200: its HTTP endpoint serves. */
    static void awaitLive(ApiIntegrationService s) {
        URI live = s.baseUri().resolve("/health/live");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> get(live, Duration.ofSeconds(2)).statusCode() == 200);
    }

    static HttpResponse<String> get(URI uri, Duration timeout) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> getAsync(URI uri, Duration timeout) {
        return HTTP.sendAsync(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts the service and waits for READY, failing with the report if it does not get there. */
    static StartupReport startReady(ScenarioContext ctx, ApiIntegrationService s, Duration within) throws Exception {
        CompletableFuture<StartupReport> f = s.orchestrator().startAsync();
        try {
            return f.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionFailedError(ctx.id() + " - the service was not READY within " + within + ":\n"
                    + s.orchestrator().report().toTable());
        } catch (ExecutionException e) {
            throw new AssertionFailedError(ctx.id() + " - the service failed to start: " + describe(e.getCause()), e.getCause());
        }
    }

    /** What a start that must fail did. */
    record FailedStart(Throwable failure, String text, boolean everReady, long millis, boolean refusedByFactory,
            StartupReport report) {

        /** The attempts of the component whose last error mentions a text, or -1 if none does. */
        int attemptsOfComponentMentioning(String text) {
            if (report == null) {
                return -1;
            }
            for (ComponentReport c : report.components()) {
                if (c.lastError() != null && c.lastError().contains(text)) {
                    return c.attempts();
                }
            }
            return -1;
        }
    }

    /**
     * Builds and starts a service that must not become READY, watching readiness every 5 ms until
     * the start fails; a configuration the factory refuses counts as a failed start.
     */
    static FailedStart startExpectingFailure(ScenarioContext ctx, ApiIntegrationScenarios scenarios,
            ApiIntegrationEnvironment env, Duration within) throws Exception {
        long begin = System.nanoTime();
        ApiIntegrationService s;
        try {
            s = service(ctx, scenarios, env);
        } catch (AssertionFailedError e) {
            throw e;
        } catch (Exception e) {
            return new FailedStart(e, describe(e), false, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), true,
                    null);
        }
        AtomicBoolean everReady = new AtomicBoolean();
        CompletableFuture<StartupReport> f = s.orchestrator().startAsync();
        await().atMost(within).pollInterval(Duration.ofMillis(5)).until(() -> {
            if (s.orchestrator().isReady()) {
                everReady.set(true);
            }
            return f.isDone();
        });
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        if (!f.isCompletedExceptionally()) {
            throw new AssertionFailedError(ctx.id() + " - the service became READY although its start had to fail:\n"
                    + f.get().toTable());
        }
        Throwable failure;
        try {
            f.get();
            failure = null;
        } catch (ExecutionException e) {
            failure = e.getCause();
        }
        StringBuilder text = new StringBuilder(describe(failure));
        StartupReport report = s.orchestrator().report();
        for (ComponentReport c : report.components()) {
            if (c.lastError() != null) {
                text.append("\n").append(c.name()).append(": ").append(c.lastError());
            }
        }
        return new FailedStart(failure, text.toString(), everReady.get(), millis, false, report);
    }

    /** The messages of an exception and its causes, one per line. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        List<Throwable> seen = new ArrayList<>();
        while (t != null && !seen.contains(t)) {
            seen.add(t);
            if (sb.length() > 0) {
                sb.append("\ncaused by ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            if (t instanceof StartupFailedException sfe) {
                for (ComponentReport c : sfe.report().components()) {
                    if (c.lastError() != null) {
                        sb.append("\n").append(c.name()).append(": ").append(c.lastError());
                    }
                }
            }
            t = t.getCause();
        }
        return sb.toString();
    }

    /** A figure-friendly one-liner of a long message. */
    static String oneLine(String s, int max) {
        String flat = s.replace('\n', ' ');
        return flat.length() <= max ? flat : flat.substring(0, max) + "...";
    }
}
