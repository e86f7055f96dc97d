package dev.coldstart.core;

/**
 * The live status of one component inside an {@link Availability} snapshot. Immutable.
 *
 * @param name the component's name
 * @param required whether readiness depends on it
 * @param state its current state
 * @param lastError the last start or probe failure, or null; never a stack trace
 */
public record ComponentStatus(String name, boolean required, ComponentState state, String lastError) {

    /**
     * Whether the component is healthy now; for an optional component this is its feature flag.
     *
     * @return true when {@link ComponentState#RUNNING}
     */
    public boolean healthy() {
        return state.isHealthy();
    }

    /**
     * Whether the component is optional and not healthy, so the service runs without it.
     *
     * @return true when degraded
     */
    public boolean degraded() {
        return !required && !state.isHealthy();
    }
}
