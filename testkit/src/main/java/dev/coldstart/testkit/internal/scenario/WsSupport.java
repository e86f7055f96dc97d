package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.TestRedis;
import dev.coldstart.testkit.WebSocketEnvironment;
import dev.coldstart.testkit.WebSocketScenarios;
import dev.coldstart.testkit.WebSocketService;
import dev.coldstart.websocket.ClientTransport;
import dev.coldstart.websocket.ReconnectingClient;
import dev.coldstart.websocket.WebSocketServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;

/** What the WebSocket scenarios share: building and starting the user's server, clients, heap. */
final class WsSupport {
    static final String HOST = "127.0.0.1";

    private WsSupport() {
    }

    /** An environment binding any free port, with an in-memory log. */
    static WebSocketEnvironment env(ScenarioContext ctx) {
        return new WebSocketEnvironment(ctx.id(), HOST, 0, null, null);
    }

    /** An environment with a Redis log under the scenario's key prefix. */
    static WebSocketEnvironment redisEnv(ScenarioContext ctx, int port) {
        TestRedis redis = ctx.redis();
        return new WebSocketEnvironment(ctx.id(), HOST, port, redis.uri(), redis.prefix());
    }

    /** Asks the user for a service and checks it fits the environment. */
    static WebSocketService service(WebSocketScenarios scenarios, WebSocketEnvironment env) throws Exception {
        WebSocketService s = scenarios.webSocketService(env);
        assertThat(s).as("%s: webSocketService(env) returned null", env.scenarioId()).isNotNull();
        WebSocketServer server = s.server();
        if (server.config().auth().required()) {
            assertThat(s.validToken()).as("%s: the server requires a token; give WebSocketService a validToken", env.scenarioId())
                    .isNotNull();
        }
        return s;
    }

    /** A running server: its components started by a real orchestrator, stopped after the test or on {@link #close()}. */
    static final class Running implements AutoCloseable {
        final WebSocketService service;
        final StartupOrchestrator orchestrator;
        final StartupReport report;

        Running(WebSocketService service, StartupOrchestrator orchestrator, StartupReport report) {
            this.service = service;
            this.orchestrator = orchestrator;
            this.report = report;
        }

        WebSocketServer server() {
            return service.server();
        }

        URI uri() {
            return service.server().uri();
        }

        @Override
        public void close() {
            orchestrator.stop();
        }
    }

    static Running start(ScenarioContext ctx, WebSocketService service) {
        WebSocketServer server = service.server();
        StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName(ctx.id() + "-ws")
                .components(server.components()).build();
        ctx.closeAfter(orchestrator::stop);
        StartupReport report = orchestrator.start();
        ctx.report(report);
        return new Running(service, orchestrator, report);
    }

    static ClientTransport transport(ScenarioContext ctx, String name, int threads) {
        return ctx.closeAfter(ClientTransport.builder().name(name).threads(threads).build());
    }

    /** A client as a legitimate browser page of the service would make it: allowed origin, valid token. */
    static ReconnectingClient.Builder client(ClientTransport transport, WebSocketService service, URI uri) {
        ReconnectingClient.Builder b = ReconnectingClient.builder(transport, uri);
        if (service.allowedOrigin() != null) {
            b.origin(service.allowedOrigin());
        }
        if (service.validToken() != null) {
            b.bearerToken(service.validToken());
        }
        return b;
    }

    /** Used heap after a full collection request, in bytes; best effort (System.gc() is a hint). */
    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
