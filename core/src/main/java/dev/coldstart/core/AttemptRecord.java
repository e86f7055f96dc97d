package dev.coldstart.core;

import java.time.Duration;
import java.time.Instant;

/**
 * One start attempt of a component: when it ran, how it ended and how long the orchestrator waited
 * before the next one. Immutable.
 *
 * @param number 1-based attempt number
 * @param startedAt when the attempt began, from the orchestrator's clock
 * @param endedAt when it ended; null while running
 * @param error the failure message, or null if the attempt succeeded or is running
 * @param backoffAfter the delay scheduled before the next attempt, or null if none followed
 */
public record AttemptRecord(int number, Instant startedAt, Instant endedAt, String error, Duration backoffAfter) {

    /**
     * Whether the attempt ended and succeeded.
     *
     * @return true if ended without error
     */
    public boolean succeeded() {
        return endedAt != null && error == null;
    }
}
