package dev.coldstart.testkit;

import dev.coldstart.coordination.ProbeEndpoint;
import dev.coldstart.core.Checks;
import dev.coldstart.core.StartupOrchestrator;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * One instance of your service as the coordination scenarios drive it: its orchestrator, its HTTP
 * server (probes, and the API on the same port), the real calls through its dependencies, and its
 * feature flags. The scenarios bind the port ({@link #startHttp()}), start the orchestrator at the
 * moment they choose, and close the instance at the end.
 *
 * <p>Implementations must be safe to call from the scenario's threads: {@link #dependencyCalls()}
 * and {@link #featureFlag(String)} are called while pollers run.
 */
public interface CoordinatedService extends AutoCloseable {

    /**
     * The service's orchestrator, built and not started. The scenario starts it; stop it in
     * {@link #close()}.
     *
     * @return the orchestrator
     */
    StartupOrchestrator orchestrator();

    /**
     * Binds the HTTP port of the {@link CoordinationEnvironment} under its port policy and starts
     * serving the probes ({@code /health/live}, {@code /health/ready}, {@code /health/started}),
     * without starting the orchestrator. Returns once the port is bound.
     *
     * @return the base URI clients on this machine use, with the port actually bound, for example
     *     {@code http://127.0.0.1:40321}
     * @throws Exception when the port cannot be bound under the policy: CS-08 expects a
     *     {@code dev.coldstart.coordination.PortBindException} (possibly as a cause) naming the port
     */
    URI startHttp() throws Exception;

    /**
     * Real calls through each dependency the service needs to answer requests: a query through its
     * own pool, a request to its own API that reads the database. CS-07 runs every call at the
     * instant {@code /health/ready} first answers {@code 200}; each must return normally (a call that
     * finds wrong data throws).
     *
     * @return named calls, at least one for CS-07; empty by default
     */
    default Map<String, Callable<?>> dependencyCalls() {
        return Map.of();
    }

    /**
     * The feature flag behind an optional component, as the service's API reads it (for example a
     * {@code dev.coldstart.coordination.FeatureFlag}, or a request to the API that reports whether
     * the feature served).
     *
     * @param component the name of an optional component
     * @return the flag, or null if the service has none for it (CS-10 then fails, saying so)
     */
    default BooleanSupplier featureFlag(String component) {
        return null;
    }

    /**
     * Stops the service: the orchestrator first (readiness down, deregistration and drain, components
     * in reverse order), then the HTTP server. Idempotent; called also when {@link #startHttp()} or
     * the orchestrator never started.
     */
    @Override
    void close();

    /**
     * A service made of an orchestrator and a {@link ProbeEndpoint} that is not started yet; the
     * endpoint's allocator must already follow the environment's port and policy.
     *
     * @param orchestrator not null
     * @param http not null, not started
     * @param dependencyCalls the calls of {@link #dependencyCalls()}; not null
     * @return the service; {@link #close()} stops the orchestrator, then the endpoint
     */
    static CoordinatedService of(StartupOrchestrator orchestrator, ProbeEndpoint http, Map<String, Callable<?>> dependencyCalls) {
        Checks.requireArgument(orchestrator, "orchestrator");
        Checks.requireArgument(http, "http");
        Map<String, Callable<?>> calls = Map.copyOf(dependencyCalls);
        return new CoordinatedService() {
            @Override
            public StartupOrchestrator orchestrator() {
                return orchestrator;
            }

            @Override
            public URI startHttp() {
                return http.start().uri();
            }

            @Override
            public Map<String, Callable<?>> dependencyCalls() {
                return calls;
            }

            @Override
            public void close() {
                try {
                    orchestrator.stop();
                } finally {
                    http.stop();
                }
            }
        };
    }
}
