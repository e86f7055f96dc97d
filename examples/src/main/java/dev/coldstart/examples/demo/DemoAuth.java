package dev.coldstart.examples.demo;

import dev.coldstart.auth.ClientCredentialsConfig;
import dev.coldstart.auth.ClientCredentialsTokens;
import dev.coldstart.auth.IdentityProvider;
import dev.coldstart.auth.IdentityProviderConfig;
import dev.coldstart.auth.KeySetStore;
import dev.coldstart.auth.RedisSessionStoreConfig;
import dev.coldstart.auth.SessionStore;
import dev.coldstart.auth.SigningKeys;
import dev.coldstart.auth.SigningKeysConfig;
import dev.coldstart.core.Json;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.TokenRejectedException;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.core.VerifiedToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's authentication, present when {@link DemoAuthConfig#enabled()}: the identity provider
 * (discovery and JWKS fetched with retry and cached before READY; a partner provider optional),
 * the session store (Redis with the demo's Redis, else in memory), the demo's own rotating signing
 * keys, and client-credentials tokens when the demo is a caller. Serves {@value #ME_PATH}, which
 * requires a bearer token verified through the core {@link TokenVerifier}, and the demo's public
 * keys at {@value #JWKS_PATH}. Thread-safe.
 */
public final class DemoAuth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoAuth.class);

    /** Name of the required identity provider's component. */
    public static final String PROVIDER = "demo-idp";
    /** Name of the optional partner provider's component. */
    public static final String PARTNER_PROVIDER = "demo-partner-idp";
    /** Name of the session store's component. */
    public static final String SESSIONS = "demo-sessions";
    /** Name of the client-credentials component. */
    public static final String CLIENT = "demo-client";
    /** The endpoint that answers who the bearer of a valid token is. */
    public static final String ME_PATH = "/api/me";
    /** Where the demo publishes the public half of its own signing keys. */
    public static final String JWKS_PATH = "/api/auth/jwks.json";

    /**
     * Retries of the auth components: 100 ms doubling to 1 s with full jitter, so a provider that
     * comes back is seen within about a second, and each kind of failure is retried until the
     * start deadline (CS-16); a wrong issuer is a misconfiguration and fails at once.
     */
    static final RetryPolicy AUTH_RETRY = RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofSeconds(1))
            .build();

    private final DemoAuthConfig config;
    private final IdentityProvider primary;
    private final IdentityProvider partner;
    private final TokenVerifier verifier;
    private final SessionStore sessions;
    private final SigningKeys signingKeys;
    private final ClientCredentialsTokens tokens;

    /**
     * Builds the parts; nothing starts and nothing is fetched.
     *
     * @param config the settings; must be {@link DemoAuthConfig#enabled()}
     * @param redisUrl the demo's Redis for the session store, or null for an in-memory one
     * @param redisKeyPrefix the demo's Redis key prefix
     */
    DemoAuth(DemoAuthConfig config, String redisUrl, String redisKeyPrefix) {
        this.config = config;
        KeySetStore keySets = config.keySetDirectory() == null ? KeySetStore.none()
                : KeySetStore.file(config.keySetDirectory());
        this.primary = IdentityProvider.create(IdentityProviderConfig.builder(PROVIDER, config.issuer())
                .audiences(config.audience()).requestTimeout(config.requestTimeout()).keySetStore(keySets).build());
        if (config.secondaryIssuer() == null) {
            this.partner = null;
            this.verifier = primary;
        } else {
            this.partner = IdentityProvider.create(IdentityProviderConfig.builder(PARTNER_PROVIDER,
                    config.secondaryIssuer()).audiences(config.audience()).requestTimeout(config.requestTimeout())
                    .keySetStore(keySets).optional().build());
            this.verifier = IdentityProvider.byIssuer(primary, partner);
        }
        this.sessions = redisUrl == null ? SessionStore.inMemory() : SessionStore.redis(
                RedisSessionStoreConfig.builder(URI.create(redisUrl)).name(SESSIONS)
                        .keyPrefix(redisKeyPrefix + "sessions:").build());
        this.signingKeys = SigningKeys.create(SigningKeysConfig.builder()
                .publishLead(config.signingKeyPublishLead()).build());
        this.tokens = config.clientId() == null ? null : ClientCredentialsTokens.create(ClientCredentialsConfig
                .builder(CLIENT, config.tokenEndpoint(), config.clientId(), config.clientSecret())
                .requestTimeout(config.requestTimeout()).build());
    }

    /**
     * Adds the auth components: the providers (JWKS warm-up before READY), the session store and
     * the client credentials.
     *
     * @param components the demo's orchestrator builder
     */
    void addTo(StartupOrchestrator.Builder components) {
        StartPolicy policy = StartPolicy.of(config.startTimeout(), AUTH_RETRY);
        primary.components().forEach(c -> components.component(c, policy));
        if (partner != null) {
            partner.components().forEach(c -> components.component(c, policy));
        }
        components.component(sessions.component(), policy);
        if (tokens != null) {
            components.component(tokens.component(), policy);
        }
    }

    /**
     * The handler of {@value #ME_PATH} and {@value #JWKS_PATH}; other paths fall through.
     *
     * @return the handler
     */
    Handler handler() {
        return new AuthHandler();
    }

    /**
     * The verifier of bearer tokens: the required provider, or both providers routed by issuer.
     *
     * @return the verifier; thread-safe
     */
    public TokenVerifier verifier() {
        return verifier;
    }

    /**
     * The required identity provider.
     *
     * @return the provider
     */
    public IdentityProvider identityProvider() {
        return primary;
    }

    /**
     * The session store.
     *
     * @return the store; Redis with the demo's Redis, else in memory
     */
    public SessionStore sessionStore() {
        return sessions;
    }

    /**
     * The demo's own signing keys, published at {@value #JWKS_PATH} before they sign.
     *
     * @return the keys
     */
    public SigningKeys signingKeys() {
        return signingKeys;
    }

    /**
     * Sends a request as the demo with a client-credentials bearer token; on {@code 401} once more
     * with a fresh token.
     *
     * @param client the HTTP client
     * @param request the request
     * @param handler the body handler
     * @param <T> the body type
     * @return the last response
     * @throws IllegalStateException if no client credentials are configured
     * @throws IOException if sending failed
     * @throws InterruptedException if interrupted
     */
    public <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        if (tokens == null) {
            throw new IllegalStateException("demo-auth - no client credentials: start the demo with --oidc-client-id "
                    + "and --oidc-token-endpoint to call other services");
        }
        return tokens.send(client, request, handler);
    }

    /** Closes the providers, the session store and the token client. Idempotent. */
    @Override
    public void close() {
        primary.close();
        if (partner != null) {
            partner.close();
        }
        sessions.close();
        if (tokens != null) {
            tokens.close();
        }
    }

    @Override
    public String toString() {
        return "DemoAuth{" + config + '}';
    }

    private final class AuthHandler extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (path.equals(JWKS_PATH)) {
                write(response, callback, HttpStatus.OK_200, signingKeys.jwksJson());
                return true;
            }
            if (!path.equals(ME_PATH)) {
                return false;
            }
            String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"coldstart-demo\"");
                write(response, callback, HttpStatus.UNAUTHORIZED_401, "{\"error\":\"bearer token required\"}");
                return true;
            }
            String token = header.substring(7).trim();
            // An unknown key makes the verifier fetch the JWKS: run it off the selector thread.
            request.getContext().execute(() -> {
                try {
                    VerifiedToken t = verifier.verify(token);
                    write(response, callback, HttpStatus.OK_200, Json.writer().beginObject()
                            .field("subject", t.subject())
                            .field("expiresAt", String.valueOf(t.expiresAt()))
                            .endObject().toString());
                } catch (TokenRejectedException e) {
                    // The reason names the check that failed, never the token or key material.
                    log.debug("demo-auth - {} refused a token: {}", ME_PATH, e.getMessage());
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE,
                            "Bearer realm=\"coldstart-demo\", error=\"invalid_token\"");
                    write(response, callback, HttpStatus.UNAUTHORIZED_401, "{\"error\":\"invalid token\"}");
                } catch (RuntimeException e) {
                    log.warn("demo-auth - {} could not verify a token: {}", ME_PATH, e.toString());
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                    write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                            "{\"error\":\"identity provider unavailable\"}");
                }
            });
            return true;
        }
    }

    private static void write(Response response, Callback callback, int status, String json) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, json, callback);
    }
}
