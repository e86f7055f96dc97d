package dev.coldstart.testkit;

import dev.coldstart.auth.SessionStore;
import dev.coldstart.auth.SigningKeys;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.TokenVerifier;
import java.net.URI;

/**
 * One instance of your service as the auth scenarios drive it. The scenarios start its
 * {@link #orchestrator()} (never before they have injected their fault) and stop it at the end.
 */
public interface AuthService extends AutoCloseable {

    /**
     * The service's orchestrator, not started, holding its auth components (for example
     * {@code IdentityProvider.components()} and {@code ClientCredentialsTokens.component()}).
     *
     * @return the orchestrator
     */
    StartupOrchestrator orchestrator();

    /**
     * How the service verifies incoming bearer tokens.
     *
     * @return the verifier
     */
    TokenVerifier verifier();

    /**
     * The service's session store (CS-18).
     *
     * @return the store, or null if the service has none (CS-18 then fails, saying so)
     */
    default SessionStore sessionStore() {
        return null;
    }

    /**
     * The service's own signing keys (CS-17's own-key rotation).
     *
     * @return the keys, or null if the service signs nothing (CS-17 then fails, saying so)
     */
    default SigningKeys signingKeys() {
        return null;
    }

    /**
     * For {@link AuthEnvironment.Role#CALLEE}: an endpoint that answers 2xx to a GET with a valid
     * bearer token and 401 otherwise. Asked only once the service is READY.
     *
     * @return the URL, or null if the instance is no callee
     */
    default URI protectedEndpoint() {
        return null;
    }

    /**
     * For {@link AuthEnvironment.Role#CALLER}: calls the callee's endpoint with the service's own
     * client-credentials token, as the service would in production.
     *
     * @param endpoint the callee's {@link #protectedEndpoint()}
     * @return the final HTTP status
     * @throws Exception when the call cannot be made
     */
    default int callProtected(URI endpoint) throws Exception {
        throw new UnsupportedOperationException("this AuthService is no caller: implement callProtected for CS-20");
    }

    /**
     * Releases what the instance holds beyond its orchestrator (stopped separately).
     */
    @Override
    default void close() {
    }
}
