package dev.coldstart.core.event;

import java.time.Duration;
import java.time.Instant;

/**
 * A component's attempt failed and the next one is scheduled. Immutable.
 *
 * @param component the component's name
 * @param failedAttempt the number of the attempt that failed, 1-based
 * @param delay the backoff before the next attempt
 * @param at when the retry was scheduled
 * @param error the failure message
 */
public record RetryScheduledEvent(String component, int failedAttempt, Duration delay, Instant at, String error) {
}
