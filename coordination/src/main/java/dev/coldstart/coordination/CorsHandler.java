package dev.coldstart.coordination;

import dev.coldstart.core.Checks;
import dev.coldstart.core.CorsPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link CorsPolicy} to the requests of a Jetty 12 server: answers CORS preflights,
 * adds the CORS headers to cross-origin requests it lets through, and refuses origins the policy
 * does not allow, WebSocket upgrades included. Put one policy object in front of the HTTP API and
 * the WebSocket upgrade handler, so both admit the same origins (scenario CS-22).
 *
 * <p>What it answers, following the Fetch standard's CORS protocol (fetch.spec.whatwg.org):
 * <ul>
 *   <li>No {@code Origin} header (same-origin navigation, server-to-server calls): passed on
 *       untouched. CORS is a browser protocol; it does not authenticate callers.</li>
 *   <li>Preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}):
 *       answered here, never passed on. Allowed origin, method and headers: {@code 204} with
 *       {@code Access-Control-Allow-Origin} (the origin itself, or {@code *} when the policy allows
 *       any origin without credentials), {@code -Allow-Methods}, {@code -Allow-Headers} (the
 *       policy's list), {@code -Allow-Credentials: true} when credentials are allowed,
 *       {@code -Max-Age} in seconds, and {@code Vary: Origin, Access-Control-Request-Method,
 *       Access-Control-Request-Headers}. Otherwise {@code 403} with the {@code Vary} header only,
 *       so the browser blocks the request (as Spring's {@code DefaultCorsProcessor} does).</li>
 *   <li>Other requests with an allowed {@code Origin} (WebSocket upgrades included): passed on, with
 *       {@code Access-Control-Allow-Origin}, {@code -Allow-Credentials}, {@code -Expose-Headers} and
 *       {@code Vary: Origin} added to the answer.</li>
 *   <li>Other requests with an origin the policy does not allow: {@code 403} with
 *       {@code Vary: Origin}; a WebSocket upgrade from such an origin is never accepted.</li>
 * </ul>
 *
 * <p>Reads only the immutable policy: no lock, no allocation beyond the headers it writes.
 * Thread-safe.
 */
public final class CorsHandler extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(CorsHandler.class);
    private static final String PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    private static final byte[] FORBIDDEN_BODY =
            "{\"error\":\"origin not allowed\"}".getBytes(StandardCharsets.UTF_8);

    private final CorsPolicy policy;
    private final String allowMethods;
    private final String allowHeaders;
    private final String exposeHeaders;
    private final String maxAgeSeconds;

    /**
     * Creates the handler; set the protected handler with {@link #setHandler(Handler)}.
     *
     * @param policy the policy; not null
     */
    public CorsHandler(CorsPolicy policy) {
        this(policy, null);
    }

    /**
     * Creates the handler in front of another.
     *
     * @param policy the policy; not null
     * @param next the handler to protect; may be null and set later
     */
    public CorsHandler(CorsPolicy policy, Handler next) {
        super(next);
        this.policy = Checks.notNull(policy, "policy");
        this.allowMethods = String.join(", ", policy.allowedMethods());
        this.allowHeaders = String.join(", ", policy.allowedHeaders());
        this.exposeHeaders = String.join(", ", policy.exposedHeaders());
        this.maxAgeSeconds = Long.toString(policy.maxAge().getSeconds());
    }

    /**
     * The policy this handler applies.
     *
     * @return the policy
     */
    public CorsPolicy policy() {
        return policy;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields headers = request.getHeaders();
        String origin = headers.get(HttpHeader.ORIGIN);
        if (origin == null) {
            Handler next = getHandler();
            return next != null && next.handle(request, response, callback);
        }
        boolean allowed = policy.allowsOrigin(origin);
        String requestedMethod = headers.get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
        if (HttpMethod.OPTIONS.is(request.getMethod()) && requestedMethod != null) {
            preflight(origin, allowed, requestedMethod, headers.get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS),
                    response, callback);
            return true;
        }
        HttpFields.Mutable out = response.getHeaders();
        out.add(HttpHeader.VARY, "Origin");
        if (!allowed) {
            log.debug("cors - refused {} {} from origin {}", request.getMethod(), Request.getPathInContext(request), origin);
            forbidden(response, callback);
            return true;
        }
        putAllowOrigin(out, origin);
        if (!exposeHeaders.isEmpty()) {
            out.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
        }
        Handler next = getHandler();
        return next != null && next.handle(request, response, callback);
    }

    private void preflight(String origin, boolean allowed, String method, String requestHeaders, Response response,
            Callback callback) {
        HttpFields.Mutable out = response.getHeaders();
        out.put(HttpHeader.VARY, PREFLIGHT_VARY);
        if (!allowed || !policy.allowsMethod(method.trim()) || !headersAllowed(requestHeaders)) {
            log.debug("cors - refused a preflight from {} for {} with headers {}", origin, method, requestHeaders);
            forbidden(response, callback);
            return;
        }
        putAllowOrigin(out, origin);
        out.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, allowMethods);
        if (!allowHeaders.isEmpty()) {
            out.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
        }
        out.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, maxAgeSeconds);
        out.put(HttpHeader.CONTENT_LENGTH, 0L);
        response.setStatus(HttpStatus.NO_CONTENT_204);
        response.write(true, null, callback);
    }

    private void putAllowOrigin(HttpFields.Mutable out, String origin) {
        // "*" only when any origin is allowed and no credentials: the Fetch standard forbids it otherwise.
        out.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, policy.allowsAnyOrigin() ? CorsPolicy.ANY_ORIGIN : origin);
        if (policy.allowCredentials()) {
            out.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    private boolean headersAllowed(String requestHeaders) {
        if (requestHeaders == null || requestHeaders.isBlank()) {
            return true;
        }
        for (String h : requestHeaders.split(",")) {
            if (!h.isBlank() && !policy.allowsHeader(h)) {
                return false;
            }
        }
        return true;
    }

    private static void forbidden(Response response, Callback callback) {
        response.setStatus(HttpStatus.FORBIDDEN_403);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, FORBIDDEN_BODY.length);
        response.write(true, ByteBuffer.wrap(FORBIDDEN_BODY), callback);
    }

    @Override
    public String toString() {
        return "CorsHandler{" + policy + '}';
    }
}
