package dev.coldstart.core;

import dev.coldstart.core.event.ComponentTransitionEvent;
import dev.coldstart.core.event.RetryScheduledEvent;

/**
 * Receives every transition of an orchestrator, in order. All methods are no-ops by default.
 *
 * <p>Called outside any orchestrator lock, from orchestrator threads, one event at a time. A
 * listener's exception is logged and never changes the outcome of the start. Listeners must not
 * block for long: later events wait for them.
 */
public interface StartupListener {

    /**
     * A component changed state.
     *
     * @param event the change
     */
    default void onTransition(ComponentTransitionEvent event) {
    }

    /**
     * A component's attempt failed and a retry is scheduled.
     *
     * @param event the retry
     */
    default void onRetryScheduled(RetryScheduledEvent event) {
    }

    /**
     * The availability snapshot changed (started, live, ready or a component's status).
     *
     * @param availability the new snapshot
     */
    default void onAvailabilityChanged(Availability availability) {
    }
}
