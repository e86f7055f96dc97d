package dev.coldstart.testkit;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one scenario run: its id, name, pass or fail, the figures it measured and how long
 * it took. Immutable.
 *
 * @param id the scenario id, for example {@code CS-01}
 * @param name the snake-case name, for example {@code connection_pool_race_during_cold_start}
 * @param testClass the class that ran it
 * @param passed whether every pass criterion held
 * @param figures the measured figures in the order recorded, as text
 * @param duration how long the scenario took
 * @param failure the first failed criterion's message, or null when passed
 */
public record ScenarioResult(String id, String name, String testClass, boolean passed, Map<String, String> figures,
        Duration duration, String failure) {

    /**
     * Copies the figures, keeping their order.
     *
     * @param id the scenario id, for example {@code CS-01}
     * @param name the snake-case name
     * @param testClass the class that ran it
     * @param passed whether every pass criterion held
     * @param figures the measured figures in the order recorded, as text; copied
     * @param duration how long the scenario took
     * @param failure the first failed criterion's message, or null when passed
     */
    public ScenarioResult {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }
}
