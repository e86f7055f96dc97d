package dev.coldstart.core;

/**
 * Lifecycle state of one component inside a {@link StartupOrchestrator}, declared in the order of
 * legal transitions (after Guava's {@code Service.State}).
 *
 * <pre>
 * NEW -> WAITING -> STARTING &lt;-> BACKOFF -> RUNNING &lt;-> UNHEALTHY
 *                                        \-> DEGRADED (optional only; retried in the background)
 *                                        \-> FAILED   (required only; the service never becomes READY)
 * any started state -> STOPPING -> STOPPED
 * </pre>
 */
public enum ComponentState {
    /** Not yet considered. */
    NEW,
    /** Waiting for its dependencies to become healthy. */
    WAITING,
    /** An attempt (start, then probe) is running. */
    STARTING,
    /** The last attempt failed; the next one is scheduled after a backoff delay. */
    BACKOFF,
    /** Started and its last probe passed. */
    RUNNING,
    /** Was running, but its last periodic probe failed; readiness is down while it is required. */
    UNHEALTHY,
    /** Optional and not healthy; the service is READY without it and it is retried in the background. */
    DEGRADED,
    /** Being stopped. */
    STOPPING,
    /** Stopped, or never started because the orchestrator stopped first. */
    STOPPED,
    /** Required and failed to become healthy before its deadline, or failed permanently. */
    FAILED;

    /**
     * Whether this state counts as healthy for readiness and for dependents.
     *
     * @return true only for {@link #RUNNING}
     */
    public boolean isHealthy() {
        return this == RUNNING;
    }

    /**
     * Whether no further transition happens except by stopping.
     *
     * @return true for {@link #STOPPED} and {@link #FAILED}
     */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }
}
