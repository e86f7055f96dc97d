package dev.coldstart.websocket;

import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import java.net.URI;

/** A {@link WebSocketServer} started through a real {@link StartupOrchestrator}, stopped on close. */
final class RunningServer implements AutoCloseable {
    final WebSocketServer server;
    final StartupOrchestrator orchestrator;
    final StartupReport report;

    private RunningServer(WebSocketServer server, StartupOrchestrator orchestrator, StartupReport report) {
        this.server = server;
        this.orchestrator = orchestrator;
        this.report = report;
    }

    static RunningServer start(WebSocketServerConfig config) {
        WebSocketServer server = WebSocketServer.of(config);
        StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName("ws-test")
                .components(server.components()).build();
        StartupReport report = orchestrator.start();
        return new RunningServer(server, orchestrator, report);
    }

    static WebSocketServerConfig.Builder localConfig() {
        return WebSocketServerConfig.builder().host("127.0.0.1");
    }

    URI uri() {
        return server.uri();
    }

    @Override
    public void close() {
        orchestrator.stop();
    }
}
