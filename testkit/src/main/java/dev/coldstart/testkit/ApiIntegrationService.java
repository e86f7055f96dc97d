package dev.coldstart.testkit;

import dev.coldstart.coordination.BuildManifest;
import dev.coldstart.core.CorsPolicy;
import dev.coldstart.core.StartupOrchestrator;
import java.net.URI;

/**
 * One instance of your service as the API integration scenarios (CS-21 to CS-25) drive it. The
 * factory returns it with its HTTP endpoint already listening (probes answering) and its
 * orchestrator not started; the scenarios start the orchestrator once they have set up their
 * faults, and close the instance at the end. Methods a scenario needs but your service does not
 * implement return null by default; that scenario then fails, saying which method to implement.
 */
public interface ApiIntegrationService extends AutoCloseable {

    /**
     * The service's orchestrator, not started, holding the {@link GatewayBackend#component()} of the
     * environment and the service's start-up checks (CORS, GraphQL schemas, build manifest, asset
     * origins) as components.
     *
     * @return the orchestrator
     */
    StartupOrchestrator orchestrator();

    /**
     * The base URI of the service's HTTP endpoint (probes at {@code /health/live} and
     * {@code /health/ready}, the API, the WebSocket upgrade), already listening.
     *
     * @return for example {@code http://127.0.0.1:41234}
     */
    URI baseUri();

    /**
     * CS-21: the path of the gated endpoint, behind the request gate, that answers
     * {@code GET <path>?id=<id>} with {@code 200} and the body {@link GatewayBackend#call(String)}
     * returns.
     *
     * @return the path; {@code /api/backend} by default
     */
    default String gatedPath() {
        return "/api/backend";
    }

    /**
     * CS-21: how many requests wait in the request gate now.
     *
     * @return the queue's length, or -1 if the service cannot tell (CS-21 then fails, saying so)
     */
    default int queuedRequests() {
        return -1;
    }

    /**
     * CS-22: the CORS policy the HTTP API applies.
     *
     * @return the policy object, or null
     */
    default CorsPolicy httpCorsPolicy() {
        return null;
    }

    /**
     * CS-22: the CORS policy the WebSocket upgrade applies; the same object as
     * {@link #httpCorsPolicy()} when the environment gives both endpoints the same origins.
     *
     * @return the policy object, or null
     */
    default CorsPolicy webSocketCorsPolicy() {
        return null;
    }

    /**
     * CS-22: the URI of a WebSocket endpoint behind the WebSocket CORS policy.
     *
     * @return for example {@code ws://127.0.0.1:41234/ws/echo}, or null
     */
    default URI webSocketUri() {
        return null;
    }

    /**
     * CS-23: the URL of an asset on the asset origin in use.
     *
     * @param assetPath relative to the origin, such as {@code assets/app.js}
     * @return the absolute URL, or null if the service resolves no assets
     */
    default URI resolveAsset(String assetPath) {
        return null;
    }

    /**
     * CS-23: the name of the optional component that reports the asset origins' health.
     *
     * @return {@code "asset-origins"} by default
     */
    default String assetOriginsComponent() {
        return "asset-origins";
    }

    /**
     * CS-24: the merged GraphQL schema as SDL, once the service is READY.
     *
     * @return the SDL, or null
     */
    default String mergedGraphQlSchema() {
        return null;
    }

    /**
     * CS-25: the build manifest of the client assets this server renders pages for.
     *
     * @return the manifest, or null
     */
    default BuildManifest serverBuildManifest() {
        return null;
    }

    /**
     * Stops the instance: its orchestrator, then its HTTP endpoint. Called once by the scenario,
     * even when it fails.
     */
    @Override
    void close();
}
