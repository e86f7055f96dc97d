package dev.coldstart.examples.demo;

import dev.coldstart.coordination.AssetOrigins;
import dev.coldstart.coordination.BuildManifest;
import dev.coldstart.coordination.BuildManifestCheck;
import dev.coldstart.coordination.CorsCheck;
import dev.coldstart.coordination.CorsHandler;
import dev.coldstart.coordination.GraphQlSchemas;
import dev.coldstart.coordination.RequestGate;
import dev.coldstart.core.Component;
import dev.coldstart.core.CorsPolicy;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
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
 * The demo's front-end and API integration (scenarios CS-21 to CS-25), wired from
 * coldstart-coordination:
 * <ul>
 *   <li>{@code /api/*} sits behind one {@link CorsPolicy} ({@link CorsHandler}) and a
 *       {@link RequestGate}: requests that arrive before READY wait in a bounded queue and are served
 *       in arrival order once READY, or get 503 with {@code Retry-After}.</li>
 *   <li>{@code /ws/echo}, a WebSocket echo, sits behind the WebSocket's policy: the same object as
 *       the API's unless {@code --ws-origins} sets other origins, which {@code cors-check} then
 *       refuses at start-up, listing the mismatch.</li>
 *   <li>Components: {@code cors-check}, {@code build-manifest} (the client's manifest against
 *       {@value #SERVER_MANIFEST}), the asset origins' two components with {@code --asset-origins},
 *       the GraphQL schemas' components with {@code --graphql}, and the backend of
 *       {@code /api/backend} when set from code.</li>
 * </ul>
 * Thread-safe once attached.
 */
public final class DemoFrontEnd implements AutoCloseable {
    /** The server's build manifest on the class path: the client assets this demo renders pages for. */
    public static final String SERVER_MANIFEST = "demo/build-manifest.json";
    /** The path of the WebSocket echo endpoint. */
    public static final String WEBSOCKET_PATH = "/ws/echo";
    /** The path of the endpoint that calls the backend set from code. */
    public static final String BACKEND_PATH = "/api/backend";

    /**
     * Retries of the front-end components: 50 ms doubling to 250 ms and no circuit breaker
     * (threshold 0), so a backend or GraphQL service that comes up is seen within a quarter of a
     * second; the checks are cheap.
     */
    static final RetryPolicy FRONT_END_RETRY = RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(50))
            .maxBackoff(Duration.ofMillis(250))
            .circuitBreakerFailureThreshold(0)
            .build();

    private final DemoFrontEndConfig config;
    private final CorsPolicy httpCors;
    private final CorsPolicy wsCors;
    private final BuildManifest serverManifest;
    private final AssetOrigins assets;
    private final GraphQlSchemas schemas;
    private final List<Component> components = new ArrayList<>();
    private RequestGate gate;

    /**
     * Builds the policies and the start-up checks; nothing starts.
     *
     * @param config the settings
     * @throws dev.coldstart.core.ConfigurationException if an origin list is invalid or allows
     *     {@code *} with credentials
     */
    DemoFrontEnd(DemoFrontEndConfig config) {
        this.config = config;
        this.httpCors = policy(config.corsOrigins(), config.corsCredentials());
        this.wsCors = config.sharedCors() ? httpCors : policy(config.wsOrigins(), config.corsCredentials());
        this.serverManifest = BuildManifest.fromClasspath(SERVER_MANIFEST);
        if (config.backend() != null) {
            components.add(config.backend());
        }
        components.add(CorsCheck.builder().endpoint("http-api", httpCors).endpoint("websocket", wsCors).build());
        BuildManifestCheck.Builder manifest = BuildManifestCheck.builder().server(serverManifest);
        String client = config.clientManifest();
        if (client == null) {
            // The client assets packaged with the demo come from the same build as the server.
            manifest.clientFromClasspath(SERVER_MANIFEST);
        } else if (client.startsWith("http://") || client.startsWith("https://")) {
            manifest.clientFromUri(URI.create(client), Duration.ofSeconds(2));
        } else {
            manifest.clientFromFile(Path.of(client));
        }
        components.add(manifest.build());
        if (config.assetOrigins().isEmpty()) {
            assets = null;
        } else {
            AssetOrigins.Builder b = AssetOrigins.builder().checkPath(config.assetCheckPath())
                    .checkInterval(config.assetCheckInterval()).checkTimeout(Duration.ofSeconds(1))
                    .recoverAfter(config.assetRecoverAfter());
            config.assetOrigins().forEach(b::origin);
            assets = b.build();
            components.addAll(assets.components());
        }
        if (config.graphQlServices().isEmpty()) {
            schemas = null;
        } else {
            GraphQlSchemas.Builder b = GraphQlSchemas.builder().requestTimeout(Duration.ofSeconds(2));
            config.graphQlServices().forEach(b::service);
            schemas = b.build();
            components.addAll(schemas.components());
        }
    }

    private static CorsPolicy policy(List<String> origins, boolean credentials) {
        return CorsPolicy.builder().allowedOrigins(origins).allowCredentials(credentials)
                .allowedMethods("GET", "HEAD", "POST", "PUT", "DELETE")
                .allowedHeaders("Content-Type", "Authorization", "X-Request-Id")
                .exposedHeaders("Retry-After")
                .build();
    }

    /**
     * Adds the front-end components to the demo's orchestrator.
     *
     * @param orchestrator the builder
     * @param startTimeout the start deadline of each
     */
    void addTo(StartupOrchestrator.Builder orchestrator, Duration startTimeout) {
        StartPolicy policy = StartPolicy.of(startTimeout, FRONT_END_RETRY);
        components.forEach(c -> orchestrator.component(c, policy));
    }

    /**
     * Creates the request gate on the built orchestrator: it reads its readiness and is released
     * when it turns READY.
     *
     * @param orchestrator the demo's orchestrator
     */
    void attach(StartupOrchestrator orchestrator) {
        gate = RequestGate.builder().name("demo-gate").readiness(orchestrator::isReady)
                .maxQueued(config.gateQueue()).maxWait(config.gateWait()).build()
                .releaseOn(orchestrator);
    }

    /**
     * The handlers to serve after the probes: {@code /api/*} (the given API and the backend endpoint)
     * behind the API's CORS policy and the gate, {@code /ws/*} behind the WebSocket's policy.
     *
     * @param api the demo's API
     * @return one handler
     */
    Handler wrap(Handler api) {
        Handler gated = gate.handler(new Handler.Sequence(new BackendEndpoint(config.backendCall()), api));
        WebSocketUpgradeHandler webSocket = new WebSocketUpgradeHandler();
        webSocket.addMapping(WEBSOCKET_PATH, WebSocketNegotiator.from((req, resp, cb) -> new Object(),
                (pojo, req, resp) -> new EchoFrames()));
        return new Handler.Sequence(new Prefix("/api/", new CorsHandler(httpCors, gated)),
                new Prefix("/ws/", new CorsHandler(wsCors, webSocket)));
    }

    /**
     * The request gate in front of {@code /api/*}.
     *
     * @return the gate; null before {@link #attach(StartupOrchestrator)}
     */
    public RequestGate gate() {
        return gate;
    }

    /**
     * The API's CORS policy.
     *
     * @return the policy
     */
    public CorsPolicy httpCors() {
        return httpCors;
    }

    /**
     * The WebSocket endpoint's CORS policy: the same object as {@link #httpCors()} unless other
     * origins were set.
     *
     * @return the policy
     */
    public CorsPolicy wsCors() {
        return wsCors;
    }

    /**
     * The server's build manifest.
     *
     * @return the manifest packaged as {@value #SERVER_MANIFEST}
     */
    public BuildManifest serverManifest() {
        return serverManifest;
    }

    /**
     * The asset origins.
     *
     * @return the resolver, or null without {@code --asset-origins}
     */
    public AssetOrigins assets() {
        return assets;
    }

    /**
     * The downstream GraphQL schemas.
     *
     * @return the schemas, or null without {@code --graphql}
     */
    public GraphQlSchemas schemas() {
        return schemas;
    }

    /** Refuses held requests and stops the gate's timer; the components stop with the orchestrator. */
    @Override
    public void close() {
        if (gate != null) {
            gate.close();
        }
    }

    /** Passes requests under a path prefix to its handler, and no others. */
    private static final class Prefix extends Handler.Wrapper {
        private final String prefix;

        Prefix(String prefix, Handler next) {
            super(next);
            this.prefix = prefix;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            return Request.getPathInContext(request).startsWith(prefix) && super.handle(request, response, callback);
        }
    }

    /** {@code GET /api/backend?id=ID}: the backend's answer, or 404 when no backend is set. */
    private static final class BackendEndpoint extends Handler.Abstract.NonBlocking {
        private final UnaryOperator<String> call;

        BackendEndpoint(UnaryOperator<String> call) {
            this.call = call;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (call == null || !BACKEND_PATH.equals(Request.getPathInContext(request))) {
                return false;
            }
            String body;
            try {
                body = call.apply(Request.extractQueryParameters(request).getValue("id"));
                response.setStatus(HttpStatus.OK_200);
            } catch (RuntimeException e) {
                body = String.valueOf(e.getMessage());
                response.setStatus(HttpStatus.BAD_GATEWAY_502);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return true;
        }
    }

    /** Echoes text frames; what a browser page of the demo would talk to. */
    private static final class EchoFrames implements FrameHandler {
        private CoreSession session;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            callback.succeeded();
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (frame.getOpCode() != OpCode.TEXT) {
                callback.succeeded();
                session.demand();
                return;
            }
            session.sendFrame(new Frame(OpCode.TEXT, frame.getPayloadAsUTF8()), Callback.from(() -> {
                callback.succeeded();
                session.demand();
            }, callback::failed), false);
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
