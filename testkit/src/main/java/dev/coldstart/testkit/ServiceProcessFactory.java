package dev.coldstart.testkit;

import dev.coldstart.testkit.fault.ChildJvmConfig;

/**
 * Describes how to run the user's service as a separate JVM process, for scenarios that race
 * processes rather than threads (CS-02). The process must exit with 0 once it is READY and with a
 * non-zero code if a required component failed, like the demo's {@code --exit-when-ready}.
 */
@FunctionalInterface
public interface ServiceProcessFactory {

    /**
     * The child JVM to launch for one instance.
     *
     * @param environment where the dependencies are and which figures to use
     * @return the launch configuration
     */
    ChildJvmConfig create(ServiceEnvironment environment);
}
