package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.StartupOrchestrator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * One instance of the user's service under test: its orchestrator (not yet started), the components
 * scenarios inspect, and the application's {@link DataSource} when it has one. Closing it stops the
 * orchestrator.
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
     * The data source the application's threads use; it must be usable while the pool is being
     * created (CS-01 asks for connections at that very moment).
     *
     * @return the data source, or empty if the service has none
     */
    default Optional<DataSource> dataSource() {
        return Optional.empty();
    }

    /**
     * Stops the orchestrator; idempotent.
     */
    @Override
    default void close() {
        orchestrator().stop();
    }

    /**
     * An instance made of an orchestrator, its components and a data source.
     *
     * @param orchestrator not null
     * @param components not null
     * @param dataSource may be null
     * @return the instance
     */
    static ServiceInstance of(StartupOrchestrator orchestrator, List<Component> components, DataSource dataSource) {
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

            @Override
            public Optional<DataSource> dataSource() {
                return Optional.ofNullable(dataSource);
            }
        };
    }
}
