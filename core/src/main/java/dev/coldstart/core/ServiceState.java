package dev.coldstart.core;

/**
 * Overall state of the service an orchestrator runs, in legal transition order.
 */
public enum ServiceState {
    /** {@code start()} has not been called. */
    NEW,
    /** Components are starting; not every required one is healthy yet. */
    STARTING,
    /** Every required component became healthy at least once; optional ones may be degraded. */
    READY,
    /** Stopping in reverse dependency order. */
    STOPPING,
    /** Stopped. */
    STOPPED,
    /** A required component failed; the service never became READY. */
    FAILED
}
