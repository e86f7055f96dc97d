package dev.coldstart.testkit;

/**
 * Builds one instance of the user's service for a scenario. The testkit calls it once per
 * instance (some scenarios start 20), then starts the instance's orchestrator itself, at the moment
 * the scenario chooses.
 *
 * <pre>{@code
 * ServiceFactory factory = env -> {
 *     MyService s = new MyService(env.jdbcUrl(), env.jdbcUser(), env.jdbcPassword(), env.instanceName());
 *     return ServiceInstance.of(s.orchestrator(), s.dataSource());
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ServiceFactory {

    /**
     * Builds an instance without starting it.
     *
     * @param environment where the dependencies are and which figures to use
     * @return the instance; its orchestrator must not be started yet
     * @throws Exception if the instance cannot be built; the scenario fails with it
     */
    ServiceInstance create(ServiceEnvironment environment) throws Exception;
}
