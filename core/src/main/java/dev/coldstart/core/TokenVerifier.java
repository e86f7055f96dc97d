package dev.coldstart.core;

/**
 * Verifies a bearer token presented to a service: signature, issuer, audience and validity time.
 * The seam through which modules that accept tokens (an HTTP filter, a WebSocket upgrade) use a
 * module that knows how to check them ({@code coldstart-auth}) without depending on it.
 *
 * <p>Implementations are thread-safe and sit on request paths: a verification that needs no key
 * refresh takes no lock and makes no network call. They never log the token itself.
 *
 * <pre>{@code
 * TokenVerifier verifier = ...; // for example an IdentityProvider of coldstart-auth
 * try {
 *     VerifiedToken token = verifier.verify(bearer);
 *     handle(request, token.subject());
 * } catch (TokenRejectedException e) {
 *     respond(401, e.getMessage());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface TokenVerifier {

    /**
     * Verifies a token.
     *
     * @param token the compact token, without a {@code "Bearer "} prefix; not null
     * @return what the token proves: subject, expiry and claims
     * @throws TokenRejectedException if the token is malformed, unsigned, signed by an unknown or
     *     wrong key, expired, not yet valid, or issued by or for someone else; the message says
     *     which and never contains the token
     */
    VerifiedToken verify(String token);
}
