package dev.coldstart.core;

import java.time.Instant;

/**
 * One recorded state change of a component. Immutable.
 *
 * @param from the previous state
 * @param to the new state
 * @param at when it happened, from the orchestrator's clock
 */
public record TransitionRecord(ComponentState from, ComponentState to, Instant at) {
}
