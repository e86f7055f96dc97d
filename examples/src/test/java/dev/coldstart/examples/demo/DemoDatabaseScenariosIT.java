package dev.coldstart.examples.demo;

import dev.coldstart.core.Component;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.testkit.DatabaseScenarioParameters;
import dev.coldstart.testkit.DatabaseScenarios;
import dev.coldstart.testkit.ServiceEnvironment;
import dev.coldstart.testkit.ServiceFactory;
import dev.coldstart.testkit.ServiceInstance;
import dev.coldstart.testkit.ServiceProcessFactory;
import dev.coldstart.testkit.fault.ChildJvmConfig;
import java.util.List;

/**
 * The demo service through the database scenarios CS-01 to CS-05, exactly as a user's service
 * would run them: implement {@link DatabaseScenarios} and say how to build an instance.
 */
class DemoDatabaseScenariosIT implements DatabaseScenarios {

    private static DemoConfig config(ServiceEnvironment env) {
        return DemoConfig.builder()
                .jdbcUrl(env.jdbcUrl()).jdbcUser(env.jdbcUser()).jdbcPassword(env.jdbcPassword())
                .appName(env.instanceName())
                .maximumPoolSize(env.maximumPoolSize())
                .startTimeout(env.startTimeout())
                .lockTimeout(env.migrationLockTimeout())
                .httpPort(0)
                .build();
    }

    @Override
    public ServiceFactory serviceFactory() {
        return env -> {
            DemoService demo = DemoService.create(config(env));
            return new ServiceInstance() {
                @Override
                public StartupOrchestrator orchestrator() {
                    return demo.orchestrator();
                }

                @Override
                public List<Component> components() {
                    return demo.components();
                }

                @Override
                public void close() {
                    demo.close();
                }
            };
        };
    }

    @Override
    public ServiceProcessFactory serviceProcessFactory() {
        return env -> ChildJvmConfig.builder(DemoService.class)
                .name(env.instanceName())
                .maxHeapBytes(256L * 1024 * 1024)
                .args("--jdbc-url", env.jdbcUrl(), "--jdbc-user", env.jdbcUser(), "--jdbc-password", env.jdbcPassword(),
                        "--app-name", env.instanceName(), "--pool-size", Integer.toString(env.maximumPoolSize()),
                        "--lock-timeout", Long.toString(env.migrationLockTimeout().toSeconds()),
                        "--http-port", "0", "--exit-when-ready")
                .build();
    }

    @Override
    public DatabaseScenarioParameters databaseScenarioParameters() {
        return DatabaseScenarioParameters.builder()
                .seededRowCount("SELECT count(*) FROM tenant", 1)
                .seededRowCount("SELECT count(*) FROM tenant_setting", 3)
                .seededRowCount("SELECT count(*) FROM currency", 4)
                .build();
    }
}
