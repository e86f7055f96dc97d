package dev.coldstart.testkit;

import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The backend behind your gateway in the API integration scenarios: a required {@link Component}
 * that is not ready until the scenario {@linkplain #release() releases} it, and the call your gated
 * endpoint makes for each request. CS-21 holds it down while requests arrive, then releases it and
 * checks that the calls come in the requests' arrival order; in the other scenarios it is ready at
 * once. Thread-safe.
 *
 * <p>Add {@link #component()} to your orchestrator, and serve {@code GET <gatedPath>?id=<id>} behind
 * your request gate by answering {@code 200} with the body {@link #call(String) call(id)} returns.
 */
public final class GatewayBackend {
    /** The component's name. */
    public static final String COMPONENT_NAME = "gateway-backend";

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> callsBeforeReady = new CopyOnWriteArrayList<>();
    private final Component component;
    private volatile Instant releasedAt;

    private GatewayBackend(boolean ready) {
        this.releasedAt = ready ? Instant.now() : null;
        this.component = Component.builder(COMPONENT_NAME)
                .probe(() -> releasedAt != null ? Health.up() : Health.down("the backend is still starting"))
                .build();
    }

    /**
     * A backend that is not ready until {@link #release()}.
     *
     * @return a new backend
     */
    public static GatewayBackend starting() {
        return new GatewayBackend(false);
    }

    /**
     * A backend that is ready at once.
     *
     * @return a new backend
     */
    public static GatewayBackend ready() {
        return new GatewayBackend(true);
    }

    /**
     * The required component that stands for the backend in your orchestrator: its probe passes
     * once released.
     *
     * @return the component, named {@value #COMPONENT_NAME}
     */
    public Component component() {
        return component;
    }

    /**
     * The backend call your gated endpoint makes for one request.
     *
     * @param requestId the request's {@code id} query parameter
     * @return the body to answer with: the id itself
     * @throws IllegalStateException if the backend is not ready yet: a request got through the gate
     *     too early (the scenario counts it as a failure)
     */
    public String call(String requestId) {
        if (releasedAt == null) {
            callsBeforeReady.add(requestId);
            throw new IllegalStateException("the backend was called for request " + requestId + " before it was ready");
        }
        calls.add(requestId);
        return requestId;
    }

    /** Makes the backend ready: its probe passes from now on. */
    public void release() {
        if (releasedAt == null) {
            releasedAt = Instant.now();
        }
    }

    /**
     * When the backend became ready.
     *
     * @return the instant, or null while starting
     */
    public Instant releasedAt() {
        return releasedAt;
    }

    /**
     * The request ids of the calls made while ready, in call order.
     *
     * @return a snapshot
     */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /**
     * The request ids of calls made before the backend was ready.
     *
     * @return a snapshot; empty when the gate did its job
     */
    public List<String> callsBeforeReady() {
        return List.copyOf(callsBeforeReady);
    }
}
