package dev.coldstart.testkit.internal.scenario;

import dev.coldstart.coordination.PortPolicy;
import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.CoordinatedService;
import dev.coldstart.testkit.CoordinationEnvironment;
import dev.coldstart.testkit.CoordinationScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.TestDatabase;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.opentest4j.AssertionFailedError;

/** Helpers shared by the coordination scenarios. Not part of the testkit's API. */
final class CoordinationSupport {
    private CoordinationSupport() {
    }

    /**
     * An environment on the scenario's database (through {@code jdbcUrl}) and Redis, an ephemeral
     * port with FAIL, the given registry, and the parameters' deadlines.
     */
    static CoordinationEnvironment.Builder environment(ScenarioContext ctx, CoordinationScenarioParameters p,
            String instanceName, String jdbcUrl, URI redisUri, ServiceRegistry registry, String serviceName) {
        TestDatabase db = ctx.database();
        return CoordinationEnvironment.builder()
                .instanceName(instanceName)
                .database(jdbcUrl, db.user(), db.password())
                .redis(redisUri, ctx.redis().prefix() + instanceName + ":")
                .http(0, PortPolicy.FAIL, p.cs08RetryTimeout())
                .registry(registry, serviceName, p.cs09DrainDelay())
                .startTimeouts(p.startDeadline(), p.cs10OptionalStartTimeout());
    }

    /** Builds an instance and makes sure it is closed after the scenario. */
    static CoordinatedService create(ScenarioContext ctx, CoordinatedServiceFactory factory, CoordinationEnvironment env)
            throws Exception {
        CoordinatedService s = factory.create(env);
        if (s == null) {
            throw new AssertionFailedError(ctx.id() + " - coordinatedService(env) returned null for " + env.instanceName());
        }
        return ctx.closeAfter(s);
    }

    /** The Redis URI of a proxy in front of Redis. */
    static URI redisUri(TcpFaultProxy proxy) {
        return URI.create("redis://" + proxy.host() + ":" + proxy.port());
    }

    /** A fault proxy in front of the real Redis, closed after the scenario. */
    static TcpFaultProxy redisProxy(ScenarioContext ctx) {
        URI real = ctx.redis().uri();
        return ctx.closeAfter(TcpFaultProxy.start(real.getHost(), real.getPort() < 0 ? 6379 : real.getPort()));
    }

    /** A fault proxy in front of the scenario's PostgreSQL, closed after the scenario. */
    static TcpFaultProxy databaseProxy(ScenarioContext ctx) {
        TestDatabase db = ctx.database();
        return ctx.closeAfter(TcpFaultProxy.start(db.server().host(), db.server().port()));
    }

    /** Starts the orchestrator and waits for READY within the deadline. */
    static StartupReport startAndAwait(ScenarioContext ctx, CoordinatedService s, Duration deadline) throws Exception {
        return ScenarioSupport.await(s.orchestrator().startAsync(), deadline, ctx.id() + " startup to READY");
    }

    /** The first cause of a type in a chain, or null. */
    static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** One component's entry of a probe body, failing with the body when it is absent. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> componentOf(Map<String, Object> body, String name) {
        Object components = body.get("components");
        if (components instanceof Map<?, ?> m && m.get(name) instanceof Map<?, ?> c) {
            return (Map<String, Object>) c;
        }
        throw new AssertionFailedError("the probe body has no entry for component '" + name + "': " + body);
    }

    /** The {@code degraded} list of a probe body. */
    static List<String> degradedOf(Map<String, Object> body) {
        Object d = body.get("degraded");
        if (d instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        throw new AssertionFailedError("the probe body has no \"degraded\" list: " + body);
    }
}
