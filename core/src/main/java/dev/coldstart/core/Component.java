package dev.coldstart.core;

import java.time.Duration;
import java.util.Set;

/**
 * One startable part of a service: a connection pool, a migration, an HTTP server, a client.
 *
 * <p>The {@link StartupOrchestrator} calls {@link #start()} once all of {@link #dependsOn()} are
 * healthy, then {@link #probe()} until it reports up; only then is the component healthy and may
 * its dependents start. A start or probe that throws is retried under the component's
 * {@link RetryPolicy} until its start deadline, except for {@link NonRetryableException}. After a
 * successful {@code start()} a later retry calls only {@code probe()} again.
 *
 * <p>Implementations need not be thread-safe for {@code start}/{@code stop}: the orchestrator never
 * calls them concurrently for one component. {@code probe} may be called from another thread than
 * {@code start} and, once running, periodically; it must be safe to call while the component is
 * serving and must make a real check (a query through the pool, not "the pool object exists").
 *
 * <pre>{@code
 * Component cache = Component.builder("cache")
 *         .optional()
 *         .dependsOn("config")
 *         .onStart(client::connect)
 *         .probe(() -> client.ping() ? Health.up() : Health.down("PING failed"))
 *         .onStop(client::close)
 *         .build();
 * }</pre>
 */
public interface Component {

    /**
     * The component's name, unique in its orchestrator; used in logs, reports and probe bodies.
     *
     * @return a non-blank name
     */
    String name();

    /**
     * Names of the components that must be healthy before this one starts.
     *
     * @return an immutable set, empty by default
     */
    default Set<String> dependsOn() {
        return Set.of();
    }

    /**
     * Whether the service may be READY without this component. A required component that fails
     * keeps the service from READY; an optional one leaves it READY in degraded mode and is retried
     * in the background. A required component may not depend on an optional one.
     *
     * @return true by default
     */
    default boolean required() {
        return true;
    }

    /**
     * Starts the component: opens pools, binds ports, runs migrations. Called from an orchestrator
     * thread, which may be interrupted when the start deadline passes.
     *
     * @throws Exception any failure; {@link NonRetryableException} stops retries at once
     */
    void start() throws Exception;

    /**
     * Makes a real check that the component serves: a query, a ping, a request.
     *
     * @return up or down with a reason; throwing counts as down with the exception's message
     * @throws Exception when the check itself fails
     */
    Health probe() throws Exception;

    /**
     * Stops the component, releasing what {@link #start()} acquired. Called at most once, and only if
     * {@code start()} returned normally; dependents are stopped first.
     *
     * @param drainTimeout how long in-flight work may take to finish; never negative
     * @throws Exception any failure; it is logged and the next component is stopped regardless
     */
    default void stop(Duration drainTimeout) throws Exception {
    }

    /**
     * Starts a builder for a component made of functions, for parts that need no class of their own.
     *
     * @param name the component's name; not blank
     * @return a new builder; builders are not thread-safe
     */
    static ComponentBuilder builder(String name) {
        return new ComponentBuilder(name);
    }
}
