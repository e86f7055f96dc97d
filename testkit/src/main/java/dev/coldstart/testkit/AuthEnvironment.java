package dev.coldstart.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What an auth scenario hands to {@link AuthScenarios#authService(AuthEnvironment)}: the identity
 * provider(s) it started, the client credentials it accepts, a fresh Redis prefix and state
 * directory, and the timings the service must apply. Immutable and thread-safe.
 *
 * @param serviceName a name for the instance, for logs
 * @param role which part the instance plays; CS-20 builds one {@link Role#CALLER} and one
 *     {@link Role#CALLEE}, the other scenarios {@link Role#SERVICE}
 * @param issuer the required identity provider's issuer; its discovery document is at
 *     {@code <issuer>/.well-known/openid-configuration}
 * @param secondaryIssuer an optional second provider the service must be able to run without, or
 *     null when the scenario uses none
 * @param audience the audience tokens are issued for and the service must require
 * @param tokenEndpoint the provider's token endpoint (client-credentials grant)
 * @param clientId the client id the provider accepts
 * @param clientSecret the client secret the provider accepts
 * @param redisUri the real Redis, for a session store
 * @param redisKeyPrefix a fresh key prefix, cleaned after the scenario
 * @param stateDirectory a fresh directory, for example for a last-known-good key set
 * @param startTimeout the start deadline the service must give its auth components
 * @param requestTimeout the request timeout the service must apply to the provider
 * @param signingKeyPublishLead the publish lead of the service's own signing keys
 */
public record AuthEnvironment(String serviceName, Role role, String issuer, String secondaryIssuer, String audience,
        URI tokenEndpoint, String clientId, String clientSecret, URI redisUri, String redisKeyPrefix,
        Path stateDirectory, Duration startTimeout, Duration requestTimeout, Duration signingKeyPublishLead) {

    /** The part an instance plays. */
    public enum Role {
        /** A service that accepts tokens (CS-16 to CS-19). */
        SERVICE,
        /** Service A of CS-20: calls B with a client-credentials token. */
        CALLER,
        /** Service B of CS-20: serves {@link AuthService#protectedEndpoint()}. */
        CALLEE
    }

    @Override
    public String toString() {
        return "AuthEnvironment{serviceName=" + serviceName + ", role=" + role + ", issuer=" + issuer
                + ", secondaryIssuer=" + secondaryIssuer + ", audience=" + audience + ", clientId=" + clientId
                + ", clientSecret=***, startTimeout=" + startTimeout + ", requestTimeout=" + requestTimeout + '}';
    }
}
