package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.StartupOrchestrator;
import java.util.List;

/**
 * One instance of the user's service under test: its orchestrator (not yet started) and the
 * components scenarios inspect (the database scenarios look for a
 * {@code dev.coldstart.database.DataSourceComponent}, a {@code MigrationComponent} and an
 * {@code InitOnce}). Closing it stops the orchestrator.
 */
public interface ServiceInstance extends AutoCloseable {

    /**
     * The instance's orchestrator.
     *
     * @return never null
     */
    StartupOrchestrator orchestrator();

    /**
     * The components the orchestrator runs, so scenarios can find those they check (a migration
     * component to read its lock wait, say).
     *
     * @return an immutable list; empty by default
     */
    default List<Component> components() {
        return List.of();
    }

    /**
     * Stops the orchestrator; idempotent.
     */
    @Override
    default void close() {
        orchestrator().stop();
    }

    /**
     * An instance made of an orchestrator and its components.
     *
     * @param orchestrator not null
     * @param components not null
     * @return the instance
     */
    static ServiceInstance of(StartupOrchestrator orchestrator, List<Component> components) {
        Checks.requireArgument(orchestrator, "orchestrator");
        List<Component> copy = List.copyOf(components);
        return new ServiceInstance() {
            @Override
            public StartupOrchestrator orchestrator() {
                return orchestrator;
            }

            @Override
            public List<Component> components() {
                return copy;
            }
        };
    }
}
