package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.CorsPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CS-22 with real preflight requests, and one policy object in front of both the HTTP API and a
 * real Jetty WebSocket upgrade.
 */
class CorsHandlerTest {
    private static final String SHOP = "https://shop.example.com";
    private static final String EVIL = "https://evil.example.net";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CorsPolicy policy = CorsPolicy.builder()
            .allowedOrigins(SHOP, "http://127.0.0.1:5173")
            .allowedMethods("GET", "POST", "PUT")
            .allowedHeaders("Content-Type", "Authorization", "X-Request-Id")
            .exposedHeaders("ETag")
            .allowCredentials(true)
            .maxAge(Duration.ofMinutes(10))
            .build();
    private Server server;
    private URI base;

    @BeforeEach
    void startServer() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        Handler api = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.ETAG, "\"v1\"");
                response.write(true, ByteBuffer.wrap("{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
                return true;
            }
        };
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container ->
                container.addMapping("/ws", (req, resp, cb) -> new Session.Listener.AutoDemanding() {
                }));
        ws.setHandler(api);
        // The same policy object guards the API and the upgrade.
        server.setHandler(new CorsHandler(policy, ws));
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stopServer() throws Exception {
        server.stop();
    }

    private HttpResponse<String> preflight(String origin, String method, String headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/orders")).timeout(Duration.ofSeconds(5))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method);
        if (headers != null) {
            b.header("Access-Control-Request-Headers", headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void preflightFromAnAllowedOriginAnswersThePolicy() throws Exception {
        HttpResponse<String> r = preflight(SHOP, "PUT", "content-type, x-request-id");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, PUT");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("Content-Type, Authorization, X-Request-Id");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(r.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(r.headers().allValues("Vary").toString()).contains("Origin");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void preflightFromAnotherOriginOrForAnotherMethodOrHeaderIsRefused() throws Exception {
        HttpResponse<String> origin = preflight(EVIL, "GET", null);
        HttpResponse<String> method = preflight(SHOP, "DELETE", null);
        HttpResponse<String> header = preflight(SHOP, "POST", "X-Debug");

        for (HttpResponse<String> r : java.util.List.of(origin, method, header)) {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
            assertThat(r.headers().allValues("Vary").toString()).contains("Origin");
        }
    }

    @Test
    void crossOriginRequestsGetTheCorsHeadersOrAreRefused() throws Exception {
        HttpResponse<String> allowed = client.send(HttpRequest.newBuilder(base.resolve("/api/orders"))
                .header("Origin", "http://127.0.0.1:5173").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(base.resolve("/api/orders"))
                .header("Origin", EVIL).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> sameOrigin = client.send(HttpRequest.newBuilder(base.resolve("/api/orders")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:5173");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).hasValue("ETag");
        assertThat(allowed.headers().firstValue("Vary")).hasValue("Origin");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(sameOrigin.statusCode()).isEqualTo(200);
        assertThat(sameOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void theWebSocketUpgradeAdmitsExactlyThePolicysOrigins() throws Exception {
        URI ws = URI.create("ws://127.0.0.1:" + base.getPort() + "/ws");
        WebSocket open = client.newWebSocketBuilder().header("Origin", SHOP)
                .buildAsync(ws, new WebSocket.Listener() {
                }).get(5, TimeUnit.SECONDS);
        open.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> client.newWebSocketBuilder().header("Origin", EVIL)
                .buildAsync(ws, new WebSocket.Listener() {
                }).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void anyOriginWithoutCredentialsAnswersAStar() throws Exception {
        server.stop();
        server.setHandler(new CorsHandler(CorsPolicy.builder().allowedOrigins("*").build(), new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(204);
                response.write(true, null, callback);
                return true;
            }
        }));
        server.start();
        base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());

        HttpResponse<String> r = preflight(EVIL, "GET", "content-type");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }
}
