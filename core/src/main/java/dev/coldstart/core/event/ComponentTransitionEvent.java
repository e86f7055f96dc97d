package dev.coldstart.core.event;

import dev.coldstart.core.ComponentState;
import java.time.Instant;

/**
 * A component changed state. Immutable.
 *
 * @param component the component's name
 * @param from the previous state
 * @param to the new state
 * @param at when, from the orchestrator's clock
 * @param attempts attempts made so far
 * @param error the failure that caused the change, or null
 */
public record ComponentTransitionEvent(String component, ComponentState from, ComponentState to, Instant at,
        int attempts, String error) {
}
