package dev.coldstart.resources.metrics;

import dev.coldstart.core.Checks;
import dev.coldstart.resources.LoadShedder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

/**
 * Publishes a {@link LoadShedder} as Micrometer meters. Micrometer is an optional dependency of
 * coldstart-resources: add {@code io.micrometer:micrometer-core} to use this class. The meters read
 * the shedder when the registry is scraped; nothing is added to the admission path.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>value</th></tr>
 * <tr><td>{@code coldstart.load.shedding}</td><td>gauge</td><td>1 while at least one source has raised shedding, else 0</td></tr>
 * <tr><td>{@code coldstart.load.shed}</td><td>function counter</td><td>units of work turned away ({@link LoadShedder#shedCount()})</td></tr>
 * </table>
 */
public final class LoadShedderMetrics {
    private LoadShedderMetrics() {
    }

    /**
     * Registers the shedder's meters. Registering the same shedder twice with the same tags
     * returns the meters already there (Micrometer's rule).
     *
     * @param shedder the shedder; not null
     * @param registry the registry; not null
     * @param tags added to every meter, for example {@code Tags.of("service", "orders")}; not null
     * @throws dev.coldstart.core.ConfigurationException if an argument is null
     */
    public static void bind(LoadShedder shedder, MeterRegistry registry, Iterable<Tag> tags) {
        Checks.notNull(shedder, "shedder");
        Checks.notNull(registry, "registry");
        Checks.notNull(tags, "tags");
        // sources(), not shouldShed(): a scrape must read the switch, not look like an admission point.
        Gauge.builder("coldstart.load.shedding", shedder, s -> s.sources().isEmpty() ? 0 : 1).tags(tags)
                .description("1 while load shedding is raised").register(registry);
        FunctionCounter.builder("coldstart.load.shed", shedder, LoadShedder::shedCount).tags(tags)
                .description("units of work turned away by load shedding").register(registry);
    }
}
