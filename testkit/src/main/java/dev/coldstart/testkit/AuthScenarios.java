package dev.coldstart.testkit;

import dev.coldstart.testkit.internal.scenario.CrossServiceScenario;
import dev.coldstart.testkit.internal.scenario.KeyRotationScenario;
import dev.coldstart.testkit.internal.scenario.ProviderInitScenario;
import dev.coldstart.testkit.internal.scenario.SessionRaceScenario;
import dev.coldstart.testkit.internal.scenario.WarmupScenario;
import org.junit.jupiter.api.Test;

/**
 * The authentication cold-start scenarios CS-16 to CS-20, run against your own service. Implement
 * this interface in a test class and build your service from the {@link AuthEnvironment} each
 * scenario hands you; each scenario then runs as a JUnit test named after it, against a real HTTP
 * identity provider (WireMock on 127.0.0.1 serving a Keycloak-style realm with keys generated per
 * scenario), real Redis, and asserts every pass criterion of SCENARIOS.md.
 *
 * <pre>{@code
 * class OrdersAuthScenariosIT implements AuthScenarios {
 *     public AuthService authService(AuthEnvironment env) {
 *         OrdersService s = OrdersService.create(env.issuer(), env.audience(), env.startTimeout(), ...);
 *         return new AuthService() {
 *             public StartupOrchestrator orchestrator() { return s.orchestrator(); }
 *             public TokenVerifier verifier() { return s.identityProvider(); }
 *         };
 *     }
 * }
 * }</pre>
 *
 * <p>What your service must do with the environment: verify tokens of {@link AuthEnvironment#issuer()}
 * for {@link AuthEnvironment#audience()} (required) and of {@link AuthEnvironment#secondaryIssuer()}
 * when given (optional: the service runs without it); give its auth components the start deadline
 * and request timeout of the environment; for CS-18 expose its session store; for CS-17 its own
 * signing keys (publish lead {@link AuthEnvironment#signingKeyPublishLead()}); for CS-20 obtain
 * client-credentials tokens from {@link AuthEnvironment#tokenEndpoint()} as caller, and serve a
 * protected endpoint as callee.
 */
@ColdstartScenarios
public interface AuthScenarios {

    /**
     * Builds one instance of your service, not started.
     *
     * @param env what the scenario set up for it
     * @return the instance
     * @throws Exception when it cannot be built
     */
    AuthService authService(AuthEnvironment env) throws Exception;

    /**
     * The figures of CS-16.
     *
     * @return by default {@link Cs16Parameters#ofDefaults()}
     */
    default Cs16Parameters cs16Parameters() {
        return Cs16Parameters.ofDefaults();
    }

    /**
     * The figures of CS-17.
     *
     * @return by default {@link Cs17Parameters#ofDefaults()}
     */
    default Cs17Parameters cs17Parameters() {
        return Cs17Parameters.ofDefaults();
    }

    /**
     * The figures of CS-18.
     *
     * @return by default {@link Cs18Parameters#ofDefaults()}
     */
    default Cs18Parameters cs18Parameters() {
        return Cs18Parameters.ofDefaults();
    }

    /**
     * The figures of CS-19.
     *
     * @return by default {@link Cs19Parameters#ofDefaults()}
     */
    default Cs19Parameters cs19Parameters() {
        return Cs19Parameters.ofDefaults();
    }

    /**
     * The figures of CS-20.
     *
     * @return by default {@link Cs20Parameters#ofDefaults()}
     */
    default Cs20Parameters cs20Parameters() {
        return Cs20Parameters.ofDefaults();
    }

    /**
     * CS-16: the provider's discovery document and JWKS are slow, down, answer 500, answer invalid
     * JSON, or name the wrong issuer. Pass: retries with backoff while the start deadline allows;
     * each failure kind is a distinct, clear error; the provider's health is reported; with a
     * second, optional provider down the service is READY in degraded mode.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs16_oauth_provider_initialization_failures(ScenarioContext ctx) throws Exception {
        ProviderInitScenario.run(this, ctx, cs16Parameters());
    }

    /**
     * CS-17: the provider rotates its signing key just after the service cached the JWKS. Pass:
     * tokens with the new {@code kid} validate, 1,000 concurrent requests causing one fetch; old
     * keys stay valid while published; a {@code kid} still unknown after the refresh is refused
     * without further fetches for a cool-down; the service's own keys are published before they sign.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs17_jwt_key_rotation_during_startup(ScenarioContext ctx) throws Exception {
        KeyRotationScenario.run(this, ctx, cs17Parameters());
    }

    /**
     * CS-18: concurrent requests create, refresh and invalidate the same session. Pass: 100
     * concurrent increments give 100; invalidation wins over a concurrent refresh; a crashed lock
     * holder's lease expires.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs18_session_store_race_conditions(ScenarioContext ctx) throws Exception {
        SessionRaceScenario.run(this, ctx, cs18Parameters());
    }

    /**
     * CS-19: the JWKS is fetched and cached before readiness; the first 1,000 validations after
     * READY make zero fetches; a required warm-up that fails keeps readiness down.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs19_token_validation_cache_warming(ScenarioContext ctx) throws Exception {
        WarmupScenario.run(this, ctx, cs19Parameters());
    }

    /**
     * CS-20: A calls B with a client-credentials token; A, B and the provider start in random
     * order. Pass: A obtains its token with retry and refreshes it ahead of expiry (single-flight);
     * a 401 from B caused by a stale key gets one retry with a fresh token; no call fails once both
     * are READY.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs20_cross_service_auth_propagation(ScenarioContext ctx) throws Exception {
        CrossServiceScenario.run(this, ctx, cs20Parameters());
    }
}
