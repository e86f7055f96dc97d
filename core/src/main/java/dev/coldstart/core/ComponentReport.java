package dev.coldstart.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What happened to one component during startup. Immutable; lists are unmodifiable.
 *
 * @param name the component's name
 * @param required whether the service may not be READY without it
 * @param dependsOn names it waited for, sorted
 * @param state its state when the report was taken
 * @param attempts number of start attempts made (start + probe counts as one)
 * @param attemptHistory the attempts in order, the newest 256 at most (a degraded component is retried for as long as it runs)
 * @param transitions the state changes in order, the newest 256 at most
 * @param waitingSince when it began waiting for dependencies; null if never considered
 * @param firstAttemptAt when its first attempt began; null if none yet
 * @param readyAt when its probe first passed; null if not yet
 * @param lastError the last failure message (start or probe); null if none
 */
public record ComponentReport(
        String name,
        boolean required,
        List<String> dependsOn,
        ComponentState state,
        int attempts,
        List<AttemptRecord> attemptHistory,
        List<TransitionRecord> transitions,
        Instant waitingSince,
        Instant firstAttemptAt,
        Instant readyAt,
        String lastError) {

    /**
     * Creates a report; copies the lists.
     *
     * @param name the component's name
     * @param required whether the service may not be READY without it
     * @param dependsOn names it waited for, sorted
     * @param state its state when the report was taken
     * @param attempts number of start attempts made
     * @param attemptHistory the attempts in order, the newest 256 at most (a degraded component is retried for as long as it runs)
     * @param transitions the state changes in order, the newest 256 at most
     * @param waitingSince when it began waiting for dependencies; null if never considered
     * @param firstAttemptAt when its first attempt began; null if none yet
     * @param readyAt when its probe first passed; null if not yet
     * @param lastError the last failure message; null if none
     */
    public ComponentReport {
        dependsOn = List.copyOf(dependsOn);
        attemptHistory = List.copyOf(attemptHistory);
        transitions = List.copyOf(transitions);
    }

    /**
     * Time from the first attempt until the probe first passed.
     *
     * @return the duration, or null if it never became healthy
     */
    public Duration startDuration() {
        return firstAttemptAt == null || readyAt == null ? null : Duration.between(firstAttemptAt, readyAt);
    }

    /**
     * Time spent waiting for dependencies before the first attempt.
     *
     * @return the duration, or null if not yet attempted
     */
    public Duration waitDuration() {
        return waitingSince == null || firstAttemptAt == null ? null : Duration.between(waitingSince, firstAttemptAt);
    }
}
