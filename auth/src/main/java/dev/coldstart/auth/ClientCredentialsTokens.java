package dev.coldstart.auth;

import dev.coldstart.auth.internal.DefaultClientCredentialsTokens;
import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Predicate;

/**
 * Service-to-service access tokens from the OAuth 2.0 client-credentials grant (RFC 6749, 4.4),
 * for a service that calls another one.
 *
 * <ul>
 *   <li>Obtained with retry: a token request that fails (provider slow, down, 5xx) is retried with
 *       exponential backoff and full jitter until {@link ClientCredentialsConfig#fetchTimeout()};
 *       {@link #component()} makes the first token a start-up dependency, retried by the
 *       orchestrator until its deadline, so the service is READY only with a token in hand.</li>
 *   <li>Refreshed ahead of expiry, single-flight: once a token is within
 *       {@link ClientCredentialsConfig#refreshAhead()} of its expiry (at most half its lifetime),
 *       callers keep getting it while one background request fetches the next; concurrent callers
 *       never cause more than one request.</li>
 *   <li>A {@code 401} gets one retry with a fresh token ({@link #send}, {@link #call}): the
 *       callee may have dropped the key that signed the cached token.</li>
 * </ul>
 *
 * <p>Thread-safe. Tokens and the client secret never appear in logs or messages.
 *
 * <pre>{@code
 * ClientCredentialsTokens tokens = ClientCredentialsTokens.create(ClientCredentialsConfig.builder("orders-client",
 *         URI.create("https://sso.example.com/realms/shop/protocol/openid-connect/token"), "orders", secret).build());
 * HttpResponse<String> r = tokens.send(http, HttpRequest.newBuilder(billingUri).build(), BodyHandlers.ofString());
 * }</pre>
 */
public interface ClientCredentialsTokens extends AutoCloseable {

    /**
     * Creates the token source; nothing is requested until a token is needed or the component starts.
     *
     * @param config the configuration; not null
     * @return a new token source
     */
    static ClientCredentialsTokens create(ClientCredentialsConfig config) {
        return new DefaultClientCredentialsTokens(Checks.notNull(config, "config"));
    }

    /** A call that uses an access token. */
    @FunctionalInterface
    interface AuthorizedCall<T> {
        /**
         * Makes the call.
         *
         * @param accessToken the token to send as {@code Authorization: Bearer <token>}
         * @return the call's result
         * @throws Exception any failure
         */
        T call(String accessToken) throws Exception;
    }

    /**
     * A token valid now: the cached one, or a fresh one when none is cached or it is about to
     * expire (waiting for the single request in flight). Starts a background refresh when the
     * cached token is within the refresh-ahead window.
     *
     * @return a token
     * @throws IdentityProviderException if no token could be obtained within the fetch timeout
     *     (the last failure, typed)
     */
    AccessToken token();

    /**
     * Drops a token the callee refused, so that the next {@link #token()} fetches a fresh one.
     * Does nothing if another token has replaced it already.
     *
     * @param refused the refused token; not null
     */
    void invalidate(AccessToken refused);

    /**
     * Sends a request with a bearer token; on {@code 401}, drops the token and sends once more
     * with a fresh one.
     *
     * @param client the HTTP client; not null
     * @param request the request, without an Authorization header (one present is replaced)
     * @param handler the body handler
     * @param <T> the body type
     * @return the last response
     * @throws IOException if sending failed
     * @throws InterruptedException if interrupted
     * @throws IdentityProviderException if no token could be obtained
     */
    <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException;

    /**
     * Makes a call with a token; when its result says "unauthorized", drops the token and calls
     * once more with a fresh one.
     *
     * @param call the call
     * @param unauthorized tells whether a result means {@code 401}
     * @param <T> the result type
     * @return the last result
     * @throws Exception what the call throws
     */
    <T> T call(AuthorizedCall<T> call, Predicate<? super T> unauthorized) throws Exception;

    /**
     * The start-up component: READY only once a first token was obtained; its probe is up while a
     * usable token is held or can be fetched.
     *
     * @return the component, named after {@link ClientCredentialsConfig#name()}
     */
    Component component();

    /**
     * Token requests sent so far (each retry counts).
     *
     * @return the count
     */
    long requests();

    /**
     * Stops background refreshes.
     */
    @Override
    void close();
}
