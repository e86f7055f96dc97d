package dev.coldstart.auth;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.coldstart.auth.internal.DefaultIdentityProvider;
import dev.coldstart.auth.internal.IssuerRoutingVerifier;
import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.core.VerifiedToken;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * An OpenID Connect identity provider as seen by a resource server: discovery, the JWKS with
 * warm-up, rotation and single-flight refresh, and token verification.
 *
 * <p><b>Start-up.</b> {@link #components()} gives two components for the
 * {@link dev.coldstart.core.StartupOrchestrator}:
 * <ul>
 *   <li>{@code <name>} (required unless {@link IdentityProviderConfig#required()} is false): reads
 *       the discovery document and the JWKS before readiness goes up (warm-up), so the first
 *       tokens after READY need no fetch. Each attempt is one discovery plus one JWKS request; the
 *       orchestrator retries it with backoff until its start deadline. Failures are typed:
 *       {@link ProviderTimeoutException} (slow), {@link ProviderUnreachableException} (down),
 *       {@link ProviderStatusException} (500 and other statuses), {@link ProviderResponseException}
 *       (invalid JSON), {@link IssuerMismatchException} (wrong issuer; never retried). When the
 *       fetch fails and the {@link KeySetStore} holds a last-known-good set younger than
 *       {@link IdentityProviderConfig#maxKeySetAge()}, the component starts with it instead and
 *       the provider reports {@link ProviderHealth.Status#DEGRADED}. Its probe is up while a key
 *       set no older than the maximum age is held.</li>
 *   <li>{@code <name>-refresh} (always optional, depends on the first): up while the provider
 *       answers. While it does not, the probe tries a refresh, so the orchestrator's background
 *       retries double as reconnection, and the service shows as READY in degraded mode.</li>
 * </ul>
 *
 * <p><b>Keys.</b> A token whose {@code kid} is unknown triggers one refresh: concurrent
 * verifications share the one request in flight (single-flight), refreshes triggered this way are
 * at most one per {@link IdentityProviderConfig#unknownKeyRefreshInterval()}, and a {@code kid}
 * still unknown afterwards is refused without fetching for
 * {@link IdentityProviderConfig#unknownKeyCooldown()}. Keys stay valid while the provider
 * publishes them; background refreshes every {@link IdentityProviderConfig#refreshInterval()}
 * pick up keys published ahead of use and drop withdrawn ones.
 *
 * <p><b>Verification</b> ({@link #verify(String)}) refuses unsigned tokens ({@code alg: none}),
 * algorithms outside {@link IdentityProviderConfig#allowedAlgorithms()} (asymmetric only, so an
 * HMAC token made with the public key as secret is refused), bad signatures, wrong issuer or
 * audience, and {@code exp}/{@code nbf}/{@code iat} outside the clock skew. A verification that
 * needs no refresh reads a volatile snapshot: no lock, no network. Tokens and key material never
 * appear in logs or messages.
 *
 * <p>Why not Nimbus's {@code JWKSourceBuilder}: coldstart reuses Nimbus for the JOSE model
 * (parsing, {@code JWKSet}, the JWS verifiers) but keeps its own cache. Nimbus's caching source
 * makes waiting threads queue on a lock with a timeout; its rate limiter allows two fetches per
 * interval for every caller together, throws {@code RateLimitReachedException} and remembers no
 * {@code kid}, so a stream of tokens with invented {@code kid}s keeps spending the budget a real
 * rotation needs; its retrying source retries once at once, while start-up needs the
 * orchestrator's backoff and deadline; its outage tolerance lives in memory only and is lost on
 * restart; and its URL source reports slow, down, 500 and invalid JSON alike as
 * {@code KeySourceException}. {@link #jwkSource()} exposes this cache as a Nimbus
 * {@link JWKSource} for code that uses Nimbus's {@code DefaultJWTProcessor} directly.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * IdentityProvider idp = IdentityProvider.create(
 *         IdentityProviderConfig.builder("keycloak", "https://sso.example.com/realms/shop")
 *                 .audiences("orders-api").build());
 * StartupOrchestrator orchestrator = StartupOrchestrator.builder()
 *         .components(idp.components())
 *         .build();
 * orchestrator.start();
 * VerifiedToken token = idp.verify(bearer);
 * }</pre>
 */
public interface IdentityProvider extends TokenVerifier, AutoCloseable {

    /**
     * Creates a provider; nothing is fetched until its component starts.
     *
     * @param config the configuration; not null
     * @return a new provider
     */
    static IdentityProvider create(IdentityProviderConfig config) {
        return new DefaultIdentityProvider(Checks.notNull(config, "config"));
    }

    /**
     * A verifier for tokens from several providers that picks the provider by the token's
     * {@code iss} claim (read before verification, then verified by that provider).
     *
     * @param providers at least one; their issuers should differ
     * @return a thread-safe verifier; a token from an unknown issuer is refused with
     *     {@link JwtRejectedException.Reason#WRONG_ISSUER}
     */
    static TokenVerifier byIssuer(IdentityProvider... providers) {
        Checks.check(providers.length > 0, "providers must not be empty, but was []");
        return new IssuerRoutingVerifier(List.of(providers));
    }

    /**
     * The provider's configured name.
     *
     * @return the name
     */
    String name();

    /**
     * The configuration.
     *
     * @return the config
     */
    IdentityProviderConfig config();

    /**
     * The key component ({@code <name>}): discovery and JWKS warm-up before readiness.
     *
     * @return the component
     */
    Component component();

    /**
     * The optional refresh component ({@code <name>-refresh}), up while the provider answers.
     *
     * @return the component
     */
    Component refreshComponent();

    /**
     * Both components, key component first.
     *
     * @return an immutable list
     */
    default List<Component> components() {
        return List.of(component(), refreshComponent());
    }

    /**
     * Verifies a token signed by this provider.
     *
     * @param token the compact JWT; not null
     * @return the verified subject, expiry and claims
     * @throws JwtRejectedException with the {@link JwtRejectedException.Reason}
     */
    @Override
    VerifiedToken verify(String token);

    /**
     * The provider's health now.
     *
     * @return a snapshot
     */
    ProviderHealth health();

    /**
     * Counters of key-set traffic.
     *
     * @return a snapshot
     */
    KeySetStats stats();

    /**
     * The token endpoint named by the discovery document.
     *
     * @return the URL, or empty until discovery succeeded or when discovery is skipped
     */
    Optional<URI> tokenEndpoint();

    /**
     * Refreshes the key set now, sharing a refresh already in flight, and waits for it.
     *
     * @throws IdentityProviderException if the fetch failed
     * @throws IssuerMismatchException if discovery names another issuer
     * @throws InterruptedException if interrupted while waiting
     */
    void refresh() throws InterruptedException;

    /**
     * This provider's key cache as a Nimbus {@link JWKSource}: selection from the current snapshot
     * with the same single-flight, rate-limited refresh on a miss.
     *
     * @return the source
     */
    JWKSource<SecurityContext> jwkSource();

    /**
     * Stops background refreshes and closes the key-set store.
     */
    @Override
    void close();
}
