package dev.coldstart.testkit.internal.scenario;

import dev.coldstart.core.Component;
import dev.coldstart.core.StartupReport;
import dev.coldstart.database.MigrationConfig;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.ServiceEnvironment;
import dev.coldstart.testkit.ServiceFactory;
import dev.coldstart.testkit.ServiceInstance;
import dev.coldstart.testkit.TestDatabase;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.opentest4j.AssertionFailedError;

/** Helpers shared by the scenario implementations. Not part of the testkit's API. */
final class ScenarioSupport {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScenarioSupport() {
    }

    /** A short random tag, so application names of concurrent runs never collide. */
    static String tag() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** An environment for one instance against a database, reached through the given URL. */
    static ServiceEnvironment.Builder environment(TestDatabase db, String jdbcUrl, String instanceName) {
        return ServiceEnvironment.builder()
                .instanceName(instanceName)
                .database(jdbcUrl, db.user(), db.password());
    }

    /** Builds an instance and makes sure it is stopped after the scenario. */
    static ServiceInstance create(ScenarioContext ctx, ServiceFactory factory, ServiceEnvironment env) throws Exception {
        ServiceInstance instance = factory.create(env);
        if (instance == null) {
            throw new AssertionFailedError(ctx.id() + " - the ServiceFactory returned null for " + env.instanceName());
        }
        return ctx.closeAfter(instance);
    }

    /** The instance's component of a type, or a failure saying what the scenario needs. */
    static <T> T component(ScenarioContext ctx, ServiceInstance instance, Class<T> type) {
        for (Component c : instance.components()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionFailedError(ctx.id() + " needs a " + type.getSimpleName() + " among the instance's "
                + "components, but ServiceInstance.components() holds " + instance.components()
                + "; return them from your ServiceFactory with ServiceInstance.of(orchestrator, components)");
    }

    /**
     * Starts every instance's orchestrator at the same instant (released together by a latch) and
     * returns one future per instance, completed with its report or its failure.
     */
    static List<CompletableFuture<StartupReport>> startTogether(List<ServiceInstance> instances) {
        ExecutorService starters = Executors.newFixedThreadPool(instances.size(), r -> {
            Thread t = new Thread(r, "coldstart-scenario-starter");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<StartupReport>> futures = new ArrayList<>();
        for (ServiceInstance i : instances) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    if (!go.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("start signal not given within 30 s");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return i.orchestrator().start();
            }, starters));
        }
        go.countDown();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .whenComplete((r, e) -> starters.shutdown());
        return futures;
    }

    /** Waits for a future with a deadline, unwrapping its failure. */
    static <T> T await(CompletableFuture<T> future, Duration timeout, String what) throws Exception {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionFailedError(what + " did not finish within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /**
     * A Flyway configuration with the service's own migration settings, on a database directly
     * (no proxy), so a scenario can put the schema in the state it needs before an instance starts.
     */
    static FluentConfiguration flywayConfig(TestDatabase db, MigrationConfig config, String... extraLocations) {
        List<String> locations = new ArrayList<>(config.locations());
        locations.addAll(List.of(extraLocations));
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        FluentConfiguration fc = Flyway.configure(loader == null ? ScenarioSupport.class.getClassLoader() : loader)
                .configuration(config.flywayProperties())
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations(locations.toArray(String[]::new))
                .table(config.table());
        return config.schema() == null ? fc : fc.schemas(config.schema()).defaultSchema(config.schema());
    }
}
