package dev.coldstart.testkit;

import dev.coldstart.coordination.AssetOrigins;
import dev.coldstart.coordination.BuildManifest;
import dev.coldstart.coordination.BuildManifestCheck;
import dev.coldstart.coordination.CorsCheck;
import dev.coldstart.coordination.CorsHandler;
import dev.coldstart.coordination.GraphQlSchemas;
import dev.coldstart.coordination.PortAllocator;
import dev.coldstart.coordination.ProbeEndpoint;
import dev.coldstart.coordination.RequestGate;
import dev.coldstart.core.Component;
import dev.coldstart.core.CorsPolicy;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * Our own proof: the five API integration scenarios against a service wired from
 * coldstart-coordination's mechanisms as a user would wire theirs: a {@link RequestGate} in front of
 * the API, one {@link CorsPolicy} object applied by {@link CorsHandler} to the API and to a Jetty
 * WebSocket endpoint and validated by {@link CorsCheck}, {@link AssetOrigins},
 * {@link GraphQlSchemas} and a {@link BuildManifestCheck}, all as components of one orchestrator.
 */
class ReferenceApiIntegrationScenariosIT implements ApiIntegrationScenarios {
    static final BuildManifest SERVER_MANIFEST = BuildManifest.of("reference-2025.05.01", Map.of(
            "assets/app.css", "sha256-Y3NzLXJlZmVyZW5jZQ==",
            "assets/app.js", "sha256-anMtcmVmZXJlbmNl",
            "assets/vendor.js", "sha256-dmVuZG9yLXJlZmVyZW5jZQ=="));

    @Override
    public ApiIntegrationService apiIntegrationService(ApiIntegrationEnvironment env) {
        return new ReferenceService(env);
    }

    /** The "user's service". */
    private static final class ReferenceService implements ApiIntegrationService {
        private final CorsPolicy httpCors;
        private final CorsPolicy webSocketCors;
        private final AssetOrigins assets;
        private final GraphQlSchemas schemas;
        private final StartupOrchestrator orchestrator;
        private final RequestGate gate;
        private final ProbeEndpoint http;

        ReferenceService(ApiIntegrationEnvironment env) {
            httpCors = cors(env.httpAllowedOrigins(), env.allowCredentials());
            webSocketCors = env.sharedCorsPolicy() ? httpCors : cors(env.webSocketAllowedOrigins(), env.allowCredentials());
            StartPolicy policy = StartPolicy.of(env.startTimeout(), RetryPolicy.builder()
                    .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(100))
                    .circuitBreakerFailureThreshold(0).build());
            StartupOrchestrator.Builder components = StartupOrchestrator.builder().serviceName(env.instanceName())
                    .defaultStartPolicy(policy)
                    .component(env.backend().component())
                    .component(CorsCheck.builder().endpoint("http-api", httpCors).endpoint("websocket", webSocketCors).build());
            if (env.assetOrigins().isEmpty()) {
                assets = null;
            } else {
                AssetOrigins.Builder b = AssetOrigins.builder().checkPath(env.assetCheckPath())
                        .checkInterval(env.assetCheckInterval()).checkTimeout(Duration.ofSeconds(1))
                        .recoverAfter(env.assetRecoverAfter());
                env.assetOrigins().forEach(b::origin);
                assets = b.build();
                components.components(assets.components());
            }
            if (env.graphQlServices().isEmpty()) {
                schemas = null;
            } else {
                GraphQlSchemas.Builder b = GraphQlSchemas.builder().requestTimeout(Duration.ofSeconds(1));
                env.graphQlServices().forEach(b::service);
                schemas = b.build();
                components.components(schemas.components());
            }
            BuildManifestCheck.Builder manifest = BuildManifestCheck.builder().server(SERVER_MANIFEST);
            if (env.clientManifestUri() != null) {
                manifest.clientFromUri(env.clientManifestUri(), Duration.ofSeconds(1));
            } else {
                manifest.client(() -> SERVER_MANIFEST, "the packaged client assets");
            }
            components.component(manifest.build());
            orchestrator = components.build();
            gate = RequestGate.builder().name(env.instanceName() + "-gate").readiness(orchestrator::isReady)
                    .maxQueued(env.requestQueueCapacity()).maxWait(env.requestDeadline()).build()
                    .releaseOn(orchestrator);

            WebSocketUpgradeHandler webSocket = new WebSocketUpgradeHandler();
            webSocket.addMapping("/ws/echo", WebSocketNegotiator.from((req, resp, cb) -> new Object(),
                    (pojo, req, resp) -> new EchoFrameHandler()));
            http = ProbeEndpoint.builder().name(env.instanceName() + "-http")
                    .portAllocator(PortAllocator.builder().bindAddress(InetAddress.getLoopbackAddress()).build())
                    .availability(orchestrator::availability)
                    // Each endpoint behind its own policy; the same object when the origins are equal.
                    .handler(new PrefixHandler("/api/", new CorsHandler(httpCors, gate.handler(new BackendHandler(env.backend())))))
                    .handler(new PrefixHandler("/ws/", new CorsHandler(webSocketCors, webSocket)))
                    .build()
                    .start();
        }

        private static CorsPolicy cors(java.util.List<String> origins, boolean credentials) {
            return CorsPolicy.builder().allowedOrigins(origins).allowCredentials(credentials)
                    .allowedMethods("GET", "POST", "PUT").allowedHeaders("Content-Type", "Authorization").build();
        }

        @Override
        public StartupOrchestrator orchestrator() {
            return orchestrator;
        }

        @Override
        public URI baseUri() {
            return http.uri();
        }

        @Override
        public int queuedRequests() {
            return gate.queued();
        }

        @Override
        public CorsPolicy httpCorsPolicy() {
            return httpCors;
        }

        @Override
        public CorsPolicy webSocketCorsPolicy() {
            return webSocketCors;
        }

        @Override
        public URI webSocketUri() {
            return URI.create("ws://127.0.0.1:" + http.port() + "/ws/echo");
        }

        @Override
        public URI resolveAsset(String assetPath) {
            return assets == null ? null : assets.resolve(assetPath);
        }

        @Override
        public String mergedGraphQlSchema() {
            return schemas == null ? null : schemas.sdl();
        }

        @Override
        public BuildManifest serverBuildManifest() {
            return SERVER_MANIFEST;
        }

        @Override
        public void close() {
            orchestrator.stop();
            gate.close();
            http.stop();
        }
    }

    /** Passes requests under a path prefix to its handler, and no others. */
    private static final class PrefixHandler extends Handler.Wrapper {
        private final String prefix;

        PrefixHandler(String prefix, Handler next) {
            super(next);
            this.prefix = prefix;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            return Request.getPathInContext(request).startsWith(prefix) && super.handle(request, response, callback);
        }
    }

    /** {@code GET /api/backend?id=N}: the backend call, answered with its result. */
    private static final class BackendHandler extends Handler.Abstract.NonBlocking {
        private final GatewayBackend backend;

        BackendHandler(GatewayBackend backend) {
            this.backend = backend;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!"/api/backend".equals(Request.getPathInContext(request))) {
                return false;
            }
            String body;
            try {
                body = backend.call(Request.extractQueryParameters(request).getValue("id"));
                response.setStatus(200);
            } catch (IllegalStateException e) {
                body = e.getMessage();
                response.setStatus(500);
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }

    /** Echoes text frames. */
    private static final class EchoFrameHandler implements FrameHandler {
        private CoreSession session;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            this.session = coreSession;
            callback.succeeded();
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (frame.getOpCode() == OpCode.TEXT) {
                session.sendFrame(new Frame(OpCode.TEXT, frame.getPayloadAsUTF8()), Callback.from(() -> {
                    callback.succeeded();
                    session.demand();
                }, callback::failed), false);
                return;
            }
            callback.succeeded();
            session.demand();
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            callback.succeeded();
        }
    }
}
