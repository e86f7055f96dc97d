package dev.coldstart.testkit;

import dev.coldstart.testkit.internal.scenario.DegradationScenario;
import dev.coldstart.testkit.internal.scenario.DiscoveryScenario;
import dev.coldstart.testkit.internal.scenario.PortRaceScenario;
import dev.coldstart.testkit.internal.scenario.ProbeTruthScenario;
import dev.coldstart.testkit.internal.scenario.StartupOrderScenario;
import org.junit.jupiter.api.Test;

/**
 * The service-coordination cold-start scenarios CS-06 to CS-10, run against your own service.
 * Implement this interface in a test class and build your service from the
 * {@link CoordinationEnvironment} each scenario hands you; each scenario then runs as a JUnit test
 * named after it, injects its fault against real parts (a real PostgreSQL and Redis behind TCP fault
 * proxies, a port held by a child JVM, real sockets in TIME_WAIT, a child JVM killed with SIGKILL)
 * and asserts every pass criterion of {@code SCENARIOS.md} with the figures it names.
 *
 * <pre>{@code
 * class OrdersCoordinationScenariosIT implements CoordinationScenarios {
 *     public CoordinatedService coordinatedService(CoordinationEnvironment env) {
 *         OrdersService s = OrdersService.create(env.jdbcUrl(), env.jdbcUser(), env.jdbcPassword(),
 *                 env.httpPort(), env.portPolicy(), env.registry(), env.serviceName(), env.instanceName(), ...);
 *         return CoordinatedService.of(s.orchestrator(), s.probeEndpoint(),
 *                 Map.of("orders-db", () -> s.countOrders()));
 *     }
 * }
 * }</pre>
 *
 * <p>What your service must do with the environment:
 * <ul>
 *   <li>use {@link CoordinationEnvironment#jdbcUrl()} for its database (required components) and
 *       give required components {@link CoordinationEnvironment#startTimeout()};</li>
 *   <li>serve its probes ({@code ProbeEndpoint}) on {@link CoordinationEnvironment#httpPort()}, bound
 *       through a {@code PortAllocator} with {@link CoordinationEnvironment#portPolicy()} and
 *       {@link CoordinationEnvironment#portRetryTimeout()}, when {@link CoordinatedService#startHttp()}
 *       is called, and not before;</li>
 *   <li>register as {@link CoordinationEnvironment#serviceName()} / {@link CoordinationEnvironment#instanceName()}
 *       in {@link CoordinationEnvironment#registry()} on the port it bound, through a
 *       {@code ServiceRegistration} with {@link CoordinationEnvironment#drainDelay()};</li>
 *   <li>have at least one optional component on {@link CoordinationEnvironment#redisUri()} (a cache,
 *       say) with {@link CoordinationEnvironment#optionalStartTimeout()}, and a feature flag for it
 *       ({@link CoordinatedService#featureFlag(String)}); CS-10 expects every optional component that
 *       is down when READY comes, with that Redis refused, to be back once it forwards again, so other
 *       optional components must be reachable in the scenarios;</li>
 *   <li>give real calls through its dependencies ({@link CoordinatedService#dependencyCalls()}).</li>
 * </ul>
 *
 * <p>The five scenarios take about 40 s together with the default figures.
 */
@ColdstartScenarios
public interface CoordinationScenarios {

    /**
     * Builds one instance of your service, not started: neither its port bound nor its
     * orchestrator started.
     *
     * @param env what the scenario set up for this instance
     * @return the instance; the scenario closes it
     * @throws Exception when it cannot be built
     */
    CoordinatedService coordinatedService(CoordinationEnvironment env) throws Exception;

    /**
     * The figures of the scenarios.
     *
     * @return by default {@link CoordinationScenarioParameters#ofDefaults()}
     */
    default CoordinationScenarioParameters coordinationScenarioParameters() {
        return CoordinationScenarioParameters.ofDefaults();
    }

    /**
     * CS-06: a graph where B and C need A, D needs B and C, and A takes 2 s to become healthy. Pass:
     * nothing starts before what it needs is healthy, proven from the orchestrator's own timestamps
     * (and checked by each component the moment it starts); independent components run at the same
     * time; the whole start takes at most the critical path plus 10 %; a cycle or a missing
     * dependency is rejected before anything starts, naming the cycle's path or the missing name.
     *
     * <p>The figures need components whose durations are known and graphs broken on purpose, which
     * your service cannot provide: this scenario runs the orchestrator your service is built on with
     * a graph of test components. It then starts your service once and checks, from its own startup
     * report, that none of its components started before its dependencies were healthy.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs06_services_starting_before_dependencies(ScenarioContext ctx) throws Exception {
        new StartupOrderScenario(ctx, this::coordinatedService, coordinationScenarioParameters()).run();
    }

    /**
     * CS-07: a client polls {@code /health/ready} every 5 ms from the moment the port is bound while
     * your service starts slowly (each database connect delayed) and its first database connection is
     * reset. Pass: not one {@code 200} before every required component's real probe passed (from the
     * orchestrator's timestamps); a component whose start succeeded but whose probe failed kept
     * readiness down; {@code /health/live} answered {@code 200} all through; {@code /health/started}
     * changed once; each of {@link CoordinatedService#dependencyCalls()}, run at the instant of the
     * first {@code 200}, succeeded.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs07_health_check_false_positives_during_init(ScenarioContext ctx) throws Exception {
        new ProbeTruthScenario(ctx, this::coordinatedService, coordinationScenarioParameters()).run();
    }

    /**
     * CS-08: 16 threads race to bind one port; a port is held by another process; a restart finds its
     * port's connections in TIME_WAIT. Pass: exactly one binder wins each race; the others get, per
     * policy, an error naming the port and the holder's pid, retries until the deadline, or distinct
     * ephemeral ports; with its HTTP port held by a child JVM, your service fails naming the port and
     * pid (FAIL), retries until its deadline or until the holder leaves (RETRY), or serves on another
     * port and registers that one (EPHEMERAL_FALLBACK); restarted right after it closed, with its
     * connections in TIME_WAIT, your service binds its port at once.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs08_port_binding_race_conditions(ScenarioContext ctx) throws Exception {
        new PortRaceScenario(ctx, this::coordinatedService, coordinationScenarioParameters()).run();
    }

    /**
     * CS-09: on an in-memory registry and on {@code RedisServiceRegistry} over the real Redis, your
     * service (A) registers while B looks it up from the moment A starts. Pass: A is registered only
     * once READY, on the port it bound; B's lookup waits with backoff and returns A, and a call to it
     * succeeds; a lookup for a service that never comes fails at its deadline with a clear error; A
     * leaves the registry before it stops serving and serves on for its drain delay; an instance
     * whose process is killed without deregistering disappears within its TTL.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs09_service_discovery_timing_issues(ScenarioContext ctx) throws Exception {
        new DiscoveryScenario(ctx, this::coordinatedService, coordinationScenarioParameters()).run();
    }

    /**
     * CS-10: the Redis of your optional component refuses connections at startup. Pass: your
     * service is READY in degraded mode, {@code /health/ready} answers {@code 200} and lists the
     * component under {@code degraded} with its last error, and its feature flag reads off; once Redis
     * is back, the background retry brings the component up and the flag and the details follow,
     * while readiness never dropped; with its database refused instead, your service stays not READY.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs10_graceful_degradation_optional_services(ScenarioContext ctx) throws Exception {
        new DegradationScenario(ctx, this::coordinatedService, coordinationScenarioParameters()).run();
    }
}
