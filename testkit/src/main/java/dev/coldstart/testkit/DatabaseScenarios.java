package dev.coldstart.testkit;

import dev.coldstart.testkit.internal.scenario.MigrationLockScenario;
import dev.coldstart.testkit.internal.scenario.PoolRaceScenario;
import dev.coldstart.testkit.internal.scenario.RetryStormScenario;
import dev.coldstart.testkit.internal.scenario.SchemaGuardScenario;
import dev.coldstart.testkit.internal.scenario.SeedingRaceScenario;
import org.junit.jupiter.api.Test;

/**
 * The database cold-start scenarios CS-01 to CS-05, run against your own service. Implement this
 * interface in a test class and return your {@link ServiceFactory}; each scenario then runs as a
 * JUnit test named after it, injects its fault against a real PostgreSQL (found by
 * {@link RealServices}, a fresh database per scenario) and asserts every pass criterion.
 *
 * <pre>{@code
 * class OrdersServiceScenariosIT implements DatabaseScenarios {
 *     public ServiceFactory serviceFactory() {
 *         return env -> {
 *             OrdersService s = OrdersService.create(env.jdbcUrl(), env.jdbcUser(), env.jdbcPassword(),
 *                     env.instanceName(), env.maximumPoolSize(), env.startTimeout(), env.migrationLockTimeout());
 *             return ServiceInstance.of(s.orchestrator(), s.components());
 *         };
 *     }
 * }
 * }</pre>
 *
 * <p>What the scenarios need from an instance: its {@link ServiceInstance#components()} include a
 * {@code DataSourceComponent} (CS-01, CS-05), a {@code MigrationComponent} (CS-02, CS-04) and an
 * {@code InitOnce} (CS-03) from {@code coldstart-database}; it uses
 * {@link ServiceEnvironment#instanceName()} as its JDBC application name and honours the pool size,
 * start deadline and lock timeout of the {@link ServiceEnvironment}.
 */
@ColdstartScenarios
public interface DatabaseScenarios {

    /**
     * How to build one instance of your service.
     *
     * @return the factory; called once per instance
     */
    ServiceFactory serviceFactory();

    /**
     * How to run your service as a separate process, for the process half of CS-02.
     *
     * @return the factory, or null to race threads only
     */
    default ServiceProcessFactory serviceProcessFactory() {
        return null;
    }

    /**
     * The figures of the scenarios.
     *
     * @return by default {@link DatabaseScenarioParameters#ofDefaults()}
     */
    default DatabaseScenarioParameters databaseScenarioParameters() {
        return DatabaseScenarioParameters.ofDefaults();
    }

    /**
     * CS-01: the database accepts connections slowly (the proxy adds 200 ms to each connect) and 50
     * application threads ask for a connection at the moment the pool is created. Pass: all run
     * {@code SELECT 1} within 10 s; the pool never holds more than its maximum physical connections
     * (counted in {@code pg_stat_activity}); creating the pool does not block longer than the start
     * deadline.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs01_connection_pool_race_during_cold_start(ScenarioContext ctx) throws Exception {
        new PoolRaceScenario(ctx, serviceFactory(), databaseScenarioParameters()).run();
    }

    /**
     * CS-02: instances migrate the same empty schema at the same instant (threads, and processes when
     * {@link #serviceProcessFactory()} is given). Pass: every version once in the history table, no
     * failed rows, all READY, waits measured; a lock holder whose session is terminated releases the
     * lock to the others; a wait past its deadline fails with an error naming the lock and the holder.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs02_migration_lock_conflicts_multiple_services(ScenarioContext ctx) throws Exception {
        new MigrationLockScenario(ctx, serviceFactory(), serviceProcessFactory(), databaseScenarioParameters()).run();
    }

    /**
     * CS-03: 8 instances run init-time seeding at once, 20 times over. Pass: the expected rows, once;
     * no 40001, 40P01 or 23505 reaches the caller.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs03_transaction_isolation_concurrent_init(ScenarioContext ctx) throws Exception {
        new SeedingRaceScenario(ctx, serviceFactory(), databaseScenarioParameters()).run();
    }

    /**
     * CS-04: the database is one version behind, one ahead, has a failed migration row, or an applied
     * script whose checksum differs. Pass: pending work applied; newer schema, failed rows and drift
     * stop startup before READY with a message naming the versions or the script.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs04_schema_version_mismatch_detection(ScenarioContext ctx) throws Exception {
        new SchemaGuardScenario(ctx, serviceFactory(), databaseScenarioParameters()).run();
    }

    /**
     * CS-05: the database is down for the first 10 s while 20 instances start. Pass: at least 5 times
     * fewer connection attempts than fixed 500 ms retries (counted in the same run), every instance
     * READY within one backoff cap plus 2 s of the recovery, none gives up, and the pools fit the
     * server's {@code max_connections}.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs05_connection_retry_storm_overwhelming_db(ScenarioContext ctx) throws Exception {
        new RetryStormScenario(ctx, serviceFactory(), databaseScenarioParameters()).run();
    }
}
