package dev.coldstart.testkit;

import dev.coldstart.testkit.internal.scenario.AssetFallbackScenario;
import dev.coldstart.testkit.internal.scenario.CorsMismatchScenario;
import dev.coldstart.testkit.internal.scenario.GatewayBeforeBackendScenario;
import dev.coldstart.testkit.internal.scenario.GraphQlStitchingScenario;
import dev.coldstart.testkit.internal.scenario.HydrationMismatchScenario;
import org.junit.jupiter.api.Test;

/**
 * The front-end and API integration cold-start scenarios CS-21 to CS-25, run against your own
 * service. Implement this interface in a test class and build your service from the
 * {@link ApiIntegrationEnvironment} each scenario hands you; each scenario then runs as a JUnit test
 * named after it, against your real HTTP endpoint with real HTTP and WebSocket clients, real HTTP
 * peers on 127.0.0.1 (asset origins, GraphQL services, the CDN serving the client's build
 * manifest, with faults injected by {@link dev.coldstart.testkit.fault.FaultyHttpPeer}) and a real
 * PostgreSQL database, and asserts every pass criterion of SCENARIOS.md.
 *
 * <pre>{@code
 * class OrdersApiIntegrationScenariosIT implements ApiIntegrationScenarios {
 *     public ApiIntegrationService apiIntegrationService(ApiIntegrationEnvironment env) {
 *         OrdersService s = OrdersService.create(OrdersConfig.from(env)).startHttp();
 *         return new ApiIntegrationService() {
 *             public StartupOrchestrator orchestrator() { return s.orchestrator(); }
 *             public URI baseUri() { return s.http().uri(); }
 *             public int queuedRequests() { return s.gate().queued(); }
 *             ...
 *             public void close() { s.close(); }
 *         };
 *     }
 * }
 * }</pre>
 *
 * <p>What your service must do with the environment:
 * <ul>
 *   <li>CS-21: put a request gate ({@code dev.coldstart.coordination.RequestGate}) with the
 *       environment's queue capacity and deadline in front of an endpoint at
 *       {@link ApiIntegrationService#gatedPath()} that answers {@code GET ?id=<id>} with
 *       {@link GatewayBackend#call(String)}; add {@link GatewayBackend#component()} to the
 *       orchestrator and probe it often (every 100 ms or faster while it starts).</li>
 *   <li>CS-22: build a CORS policy for the HTTP API and one for the WebSocket upgrade from the
 *       environment's origins (one shared {@code CorsPolicy} object when they are equal), apply them
 *       to the API and a WebSocket endpoint, and validate them at start-up
 *       ({@code dev.coldstart.coordination.CorsCheck}).</li>
 *   <li>CS-23: resolve asset URLs over the environment's asset origins, health-checked at the given
 *       path and interval ({@code dev.coldstart.coordination.AssetOrigins}).</li>
 *   <li>CS-24: fetch and merge the environment's GraphQL services at start-up
 *       ({@code dev.coldstart.coordination.GraphQlSchemas}).</li>
 *   <li>CS-25: compare the client build manifest served at the environment's URI with the server's
 *       at start-up ({@code dev.coldstart.coordination.BuildManifestCheck}).</li>
 * </ul>
 */
@ColdstartScenarios
public interface ApiIntegrationScenarios {

    /**
     * Builds one instance of your service with its HTTP endpoint listening and its orchestrator not
     * started.
     *
     * @param env what the scenario set up for it
     * @return the instance
     * @throws Exception when it cannot be built; for CS-22 a configuration the service refuses
     *     (such as {@code *} with credentials) may be reported here
     */
    ApiIntegrationService apiIntegrationService(ApiIntegrationEnvironment env) throws Exception;

    /**
     * The figures of CS-21.
     *
     * @return by default {@link Cs21Parameters#ofDefaults()}
     */
    default Cs21Parameters cs21Parameters() {
        return Cs21Parameters.ofDefaults();
    }

    /**
     * The figures of CS-22.
     *
     * @return by default {@link Cs22Parameters#ofDefaults()}
     */
    default Cs22Parameters cs22Parameters() {
        return Cs22Parameters.ofDefaults();
    }

    /**
     * The figures of CS-23.
     *
     * @return by default {@link Cs23Parameters#ofDefaults()}
     */
    default Cs23Parameters cs23Parameters() {
        return Cs23Parameters.ofDefaults();
    }

    /**
     * The figures of CS-24.
     *
     * @return by default {@link Cs24Parameters#ofDefaults()}
     */
    default Cs24Parameters cs24Parameters() {
        return Cs24Parameters.ofDefaults();
    }

    /**
     * The figures of CS-25.
     *
     * @return by default {@link Cs25Parameters#ofDefaults()}
     */
    default Cs25Parameters cs25Parameters() {
        return Cs25Parameters.ofDefaults();
    }

    /**
     * CS-21: the gateway takes traffic before its backend is ready. Pass: requests are held in a
     * bounded queue until the backend is ready, then served; when the queue is full or a request's
     * deadline passes, the answer is {@code 503} with {@code Retry-After}, never a hang; queued
     * requests are served in arrival order.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs21_api_gateway_init_before_backend(ScenarioContext ctx) throws Exception {
        GatewayBeforeBackendScenario.run(this, ctx, cs21Parameters());
    }

    /**
     * CS-22: the HTTP API and the WebSocket endpoint are configured with different allowed origins,
     * or one allows {@code *} with credentials. Pass: startup validation fails with an error that
     * lists the mismatched origins per endpoint; one shared CORS policy object serves both when
     * given; preflight answers match the policy.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs22_cors_configuration_mismatches(ScenarioContext ctx) throws Exception {
        CorsMismatchScenario.run(this, ctx, cs22Parameters());
    }

    /**
     * CS-23: the primary asset origin is down at startup. Pass: asset URLs resolve to the
     * health-checked fallback origin; when the primary recovers the resolver switches back after a
     * configurable number of good checks; when all origins are down the service still starts and
     * reports the asset origin as degraded.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs23_static_asset_cdn_fallback_failures(ScenarioContext ctx) throws Exception {
        AssetFallbackScenario.run(this, ctx, cs23Parameters());
    }

    /**
     * CS-24: downstream GraphQL schemas are fetched at startup; one is unreachable, one conflicts
     * (same type name, different fields). Pass: the conflict is an error naming the type and both
     * services; an unreachable optional service is stitched out and reported degraded; a required
     * one keeps READY off. Schemas are parsed with graphql-java.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs24_graphql_schema_stitching_errors(ScenarioContext ctx) throws Exception {
        GraphQlStitchingScenario.run(this, ctx, cs24Parameters());
    }

    /**
     * CS-25: a new server starts with a client asset manifest from another build (build id or asset
     * hashes differ). Pass: startup detects the mismatch before READY and names the build ids and
     * the first differing asset; a matching manifest passes.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs25_ssr_hydration_mismatches(ScenarioContext ctx) throws Exception {
        HydrationMismatchScenario.run(this, ctx, cs25Parameters());
    }
}
