package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.Availability;
import dev.coldstart.core.ComponentStatus;
import dev.coldstart.core.ServiceState;
import dev.coldstart.core.StartupReport;
import dev.coldstart.testkit.CoordinatedService;
import dev.coldstart.testkit.CoordinationScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.fault.TcpFault;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.opentest4j.AssertionFailedError;

/**
 * CS-10 graceful_degradation_optional_services: see {@code CoordinationScenarios}.
 *
 * <p>The Redis the environment hands the user's service is a fault proxy that refuses connections
 * (the kernel answers RST) until the scenario switches it to forwarding: the optional component on
 * it is down at startup, for real. Then a second instance starts with its database proxy refusing,
 * so a required component is down.
 */
public final class DegradationScenario {
    private static final Duration WATCH_PERIOD = Duration.ofMillis(20);

    private final ScenarioContext ctx;
    private final CoordinatedServiceFactory factory;
    private final CoordinationScenarioParameters p;

    /**
     * Prepares the scenario.
     *
     * @param ctx the scenario's context
     * @param factory the user's service
     * @param parameters the figures
     */
    public DegradationScenario(ScenarioContext ctx, CoordinatedServiceFactory factory, CoordinationScenarioParameters parameters) {
        this.ctx = ctx;
        this.factory = factory;
        this.p = parameters;
    }

    /**
     * Runs the scenario and asserts every pass criterion.
     *
     * @throws Exception on failure
     */
    public void run() throws Exception {
        optionalDownAtStartThenBack();
        requiredDownKeepsReadyOff();
    }

    private void optionalDownAtStartThenBack() throws Exception {
        TcpFaultProxy redisProxy = CoordinationSupport.redisProxy(ctx);
        redisProxy.setFault(TcpFault.refuse());
        ServiceRegistry registry = ctx.closeAfter(ServiceRegistry.inMemory());
        String name = "cs10-" + ScenarioSupport.tag();
        CoordinatedService service = CoordinationSupport.create(ctx, factory, CoordinationSupport.environment(ctx, p,
                name, ctx.database().jdbcUrl(), CoordinationSupport.redisUri(redisProxy), registry, name).build());
        URI ready = service.startHttp().resolve("/health/ready");
        StartupReport report = CoordinationSupport.startAndAwait(ctx, service, p.startDeadline());
        Availability atReady = service.orchestrator().availability();
        List<String> down = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        for (ComponentStatus c : atReady.components().values()) {
            if (!c.required()) {
                optional.add(c.name());
                if (!c.healthy()) {
                    down.add(c.name());
                }
            }
        }
        if (down.isEmpty()) {
            throw new AssertionFailedError(ctx.id() + " needs an optional component on the environment's Redis ("
                    + "CoordinationEnvironment.redisUri(), refused here): optional components " + optional
                    + " were all healthy at READY");
        }
        HttpCheck http = new HttpCheck();
        HttpCheck.Answer degradedAnswer = http.get(ready);
        Map<String, Object> degradedBody = MiniJson.object(degradedAnswer.body());
        Map<String, BooleanSupplier> flags = new LinkedHashMap<>();
        for (String c : down) {
            BooleanSupplier flag = service.featureFlag(c);
            if (flag == null) {
                throw new AssertionFailedError(ctx.id() + " reads the feature flag of the optional component '" + c
                        + "': return it from CoordinatedService.featureFlag(name)");
            }
            flags.put(c, flag);
        }
        ctx.figure("timeToDegradedReadyMillis", report.timeToReady().toMillis());
        ctx.figure("degraded", down);
        assertThat(report.state()).isEqualTo(ServiceState.READY);
        assertThat(atReady.isReady()).isTrue();
        assertThat(degradedAnswer.status()).as("/health/ready with %s down", down).isEqualTo(200);
        assertThat(degradedBody).containsEntry("ready", true);
        assertThat(CoordinationSupport.degradedOf(degradedBody)).as("degraded components in /health/ready")
                .containsAll(down);
        for (String c : down) {
            Map<String, Object> entry = CoordinationSupport.componentOf(degradedBody, c);
            ctx.figure("lastError[" + c + "]", entry.get("error"));
            assertThat(entry).as("%s in /health/ready", c).containsEntry("healthy", false).containsEntry("required", false);
            assertThat(entry.get("error")).as("%s's last error in /health/ready", c).isInstanceOf(String.class)
                    .asString().isNotBlank();
            assertThat(flags.get(c).getAsBoolean()).as("%s's feature flag while it is down", c).isFalse();
        }

        // The dependency comes back: the background retry brings the component up, flag and details follow.
        redisProxy.clearFault();
        long back = System.nanoTime();
        int notOkMeanwhile = 0;
        int polls = 0;
        long deadline = back + p.cs10RecoveryDeadline().toNanos();
        Map<String, Long> recoveredAfter = new LinkedHashMap<>();
        while (recoveredAfter.size() < down.size() && System.nanoTime() < deadline) {
            long next = System.nanoTime() + WATCH_PERIOD.toNanos();
            HttpCheck.Answer a = http.get(ready);
            polls++;
            if (!a.ok()) {
                notOkMeanwhile++;
            }
            Map<String, Object> body = a.status() > 0 ? MiniJson.object(a.body()) : Map.of();
            for (String c : down) {
                if (!recoveredAfter.containsKey(c) && a.ok() && Boolean.TRUE.equals(CoordinationSupport.componentOf(body, c)
                        .get("healthy")) && !CoordinationSupport.degradedOf(body).contains(c) && flags.get(c).getAsBoolean()) {
                    recoveredAfter.put(c, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
                }
            }
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        ctx.figure("recoveredAfterMillis", recoveredAfter);
        ctx.figure("readyPollsDuringRecovery", polls);
        assertThat(recoveredAfter.keySet()).as("optional components healthy again, out of \"degraded\" and with their "
                + "flag on within %s of the dependency's return", p.cs10RecoveryDeadline()).containsExactlyElementsOf(down);
        assertThat(notOkMeanwhile).as("/health/ready answers other than 200 while only optional components were down")
                .isZero();
        Map<String, Object> after = http.json(ready);
        assertThat(CoordinationSupport.degradedOf(after)).as("degraded components after the recovery").isEmpty();
        for (String c : down) {
            assertThat(CoordinationSupport.componentOf(after, c)).containsEntry("healthy", true).containsEntry("state", "RUNNING");
            assertThat(flags.get(c).getAsBoolean()).as("%s's feature flag after the recovery", c).isTrue();
        }
    }

    private void requiredDownKeepsReadyOff() throws Exception {
        TcpFaultProxy dbProxy = CoordinationSupport.databaseProxy(ctx);
        dbProxy.setFault(TcpFault.refuse());
        ServiceRegistry registry = ctx.closeAfter(ServiceRegistry.inMemory());
        String name = "cs10-req-" + ScenarioSupport.tag();
        CoordinatedService service = CoordinationSupport.create(ctx, factory, CoordinationSupport.environment(ctx, p,
                name, ctx.database().jdbcUrl(dbProxy.host(), dbProxy.port()), ctx.redis().uri(), registry, name).build());
        URI ready = service.startHttp().resolve("/health/ready");
        service.orchestrator().startAsync();
        HttpCheck http = new HttpCheck();
        int polls = 0;
        int ok = 0;
        HttpCheck.Answer last = null;
        long until = System.nanoTime() + p.cs10RequiredDownWindow().toNanos();
        while (System.nanoTime() < until) {
            long next = System.nanoTime() + WATCH_PERIOD.toNanos();
            last = http.get(ready);
            polls++;
            if (last.ok()) {
                ok++;
            }
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        Availability a = service.orchestrator().availability();
        List<String> requiredDown = new ArrayList<>();
        for (ComponentStatus c : a.components().values()) {
            if (c.required() && !c.healthy()) {
                requiredDown.add(c.name());
            }
        }
        ctx.figure("requiredDownPolls", polls);
        ctx.figure("requiredDown200s", ok);
        ctx.figure("requiredDown", requiredDown);
        assertThat(ok).as("/health/ready 200s in %s with the database refused", p.cs10RequiredDownWindow()).isZero();
        assertThat(a.isReady()).isFalse();
        assertThat(a.state()).isEqualTo(ServiceState.STARTING);
        assertThat(last.status()).isEqualTo(503);
        Map<String, Object> body = MiniJson.object(last.body());
        assertThat(body).containsEntry("ready", false);
        assertThat(requiredDown).as("required components not healthy").isNotEmpty();
        boolean errorShown = false;
        for (String c : requiredDown) {
            errorShown |= CoordinationSupport.componentOf(body, c).get("error") instanceof String;
        }
        assertThat(errorShown).as("a down required component's error in /health/ready: %s", body).isTrue();
    }
}
