package dev.coldstart.testkit.internal.scenario;

import dev.coldstart.testkit.CoordinatedService;
import dev.coldstart.testkit.CoordinationEnvironment;

/** How the coordination scenarios build one instance of the user's service. Not part of the testkit's API. */
@FunctionalInterface
public interface CoordinatedServiceFactory {

    /**
     * Builds an instance, not started.
     *
     * @param environment what the scenario set up for it
     * @return the instance
     * @throws Exception when it cannot be built
     */
    CoordinatedService create(CoordinationEnvironment environment) throws Exception;
}
