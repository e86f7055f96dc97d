package dev.coldstart.database.metrics;

import dev.coldstart.core.Checks;
import dev.coldstart.database.MigrationComponent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * Publishes a {@link MigrationComponent}'s wait for the cross-instance migration lock as a
 * Micrometer gauge. Micrometer is an optional dependency of coldstart-database: add
 * {@code io.micrometer:micrometer-core} to use this class. The gauge reads the component when the
 * registry is scraped.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>value</th></tr>
 * <tr><td>{@code coldstart.migration.lock.wait}</td><td>gauge, seconds</td><td>{@code component}</td>
 * <td>how long the last start waited for the lock ({@link MigrationComponent#lastLockWait()}); NaN before the first start</td></tr>
 * </table>
 */
public final class MigrationMetrics {
    private MigrationMetrics() {
    }

    /**
     * Registers the component's meter.
     *
     * @param migrations the migration component; not null
     * @param registry the registry; not null
     * @param tags added to the meter next to {@code component}; not null
     * @throws dev.coldstart.core.ConfigurationException if an argument is null
     */
    public static void bind(MigrationComponent migrations, MeterRegistry registry, Iterable<Tag> tags) {
        Checks.notNull(migrations, "migrations");
        Checks.notNull(registry, "registry");
        Checks.notNull(tags, "tags");
        Gauge.builder("coldstart.migration.lock.wait", migrations,
                        m -> m.lastLockWait().map(d -> d.toNanos() / 1e9).orElse(Double.NaN))
                .tags(Tags.concat(tags, "component", migrations.name())).baseUnit("seconds")
                .description("how long the last start waited for the migration lock").register(registry);
    }
}
