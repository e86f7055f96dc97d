package dev.coldstart.coordination;

import dev.coldstart.core.Availability;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.StartupListener;
import dev.coldstart.core.StartupOrchestrator;

/**
 * Feature flags that follow optional components: a feature is on while the component behind it is
 * healthy, so a service in degraded mode switches the feature off by itself and back on when the
 * orchestrator's background retry brings the component up.
 *
 * <p>The flags listen to the orchestrator and keep its latest {@link Availability} snapshot in a
 * {@code volatile} field; {@link #isOn(String)} and {@link FeatureFlag#isOn()} read that field and
 * look the component up: no lock, no allocation, nothing logged, so they can sit on a request path.
 * A flag changes when the orchestrator publishes a change: when the component becomes healthy
 * (start or background retry) or its periodic probe fails. Thread-safe.
 *
 * <pre>{@code
 * FeatureFlags flags = FeatureFlags.attach(orchestrator);
 * FeatureFlag recommendations = flags.flag("recommendations");
 * ...
 * List<Item> extra = recommendations.isOn() ? client.recommend(user) : List.of();
 * }</pre>
 */
public final class FeatureFlags implements StartupListener {
    private final StartupOrchestrator orchestrator;
    private volatile Availability current;

    private FeatureFlags(StartupOrchestrator orchestrator) {
        this.orchestrator = orchestrator;
        this.current = orchestrator.availability();
    }

    /**
     * Creates flags that follow an orchestrator's components, and registers them as its listener.
     *
     * @param orchestrator not null; before or after its start
     * @return the flags
     */
    public static FeatureFlags attach(StartupOrchestrator orchestrator) {
        Checks.notNull(orchestrator, "orchestrator");
        FeatureFlags flags = new FeatureFlags(orchestrator);
        orchestrator.addListener(flags);
        // A change between the first snapshot and addListener would otherwise be missed.
        flags.refresh();
        return flags;
    }

    /**
     * Whether the feature behind a component is on: the component exists and is healthy now.
     * Lock-free and allocation-free.
     *
     * @param component the component's name
     * @return true while the component is running and its last probe passed; false otherwise,
     *     also for unknown names
     */
    public boolean isOn(String component) {
        return current.isHealthy(component);
    }

    /**
     * A flag object for one component, to keep in a field.
     *
     * @param component the name of a component of the orchestrator
     * @return the flag
     * @throws ConfigurationException if the orchestrator has no such component
     */
    public FeatureFlag flag(String component) {
        Checks.notBlank(component, "component");
        if (current.component(component) == null) {
            throw new ConfigurationException("component must be one of " + current.components().keySet()
                    + ", but was \"" + component + "\"");
        }
        return new FeatureFlag(this, component);
    }

    /**
     * The snapshot the flags read now.
     *
     * @return the latest availability seen
     */
    public Availability availability() {
        return current;
    }

    /** Re-reads the orchestrator rather than trusting the event, so the newest snapshot always wins. */
    @Override
    public void onAvailabilityChanged(Availability availability) {
        refresh();
    }

    private synchronized void refresh() {
        current = orchestrator.availability();
    }

    @Override
    public String toString() {
        return "FeatureFlags{degraded=" + current.degradedComponents() + '}';
    }
}
