package dev.coldstart.testkit.internal.scenario;

import dev.coldstart.core.Availability;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.StartupListener;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.event.ComponentTransitionEvent;
import dev.coldstart.resources.HeapGuardedWarmup;
import dev.coldstart.resources.HeapHeadroom;
import dev.coldstart.resources.LoadShedder;
import dev.coldstart.resources.MemoryPressureConfig;
import dev.coldstart.resources.MemoryPressureMonitor;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The CS-27 service, run in a child JVM with a small heap: a memory monitor and a heap-guarded warm-up
 * of a cache larger than the heap. Configured by system properties {@code cs27.*}; prints
 * {@code READY ...} with the outcome, serves a bounded burst of requests, prints {@code DONE}.
 */
public final class HeapScenarioChild {
    private HeapScenarioChild() {
    }

    /**
     * Runs the service.
     *
     * @param args unused
     * @throws InterruptedException if interrupted while waiting for the warm-up's outcome
     */
    public static void main(String[] args) throws InterruptedException {
        long cacheBytes = Long.getLong("cs27.cacheBytes");
        int entryBytes = Integer.getInteger("cs27.entryBytes");
        MemoryPressureConfig config = MemoryPressureConfig.builder()
                .pressureRatio(Double.parseDouble(System.getProperty("cs27.pressureRatio")))
                .shedRatio(Double.parseDouble(System.getProperty("cs27.shedRatio")))
                .interval(Duration.parse(System.getProperty("cs27.interval")))
                .build();
        Map<Integer, byte[]> cache = new HashMap<>();
        int[] next = new int[1];
        LoadShedder shedder = LoadShedder.create();
        MemoryPressureMonitor monitor = MemoryPressureMonitor.of(config, shedder);
        HeapGuardedWarmup warmup = HeapGuardedWarmup.builder("cache", monitor, () -> {
            if ((long) next[0] * entryBytes >= cacheBytes) {
                return false;
            }
            cache.put(next[0]++, new byte[entryBytes]);
            return true;
        }).estimatedBytes(cacheBytes).dependsOn(monitor.name()).build();
        CountDownLatch settled = new CountDownLatch(1);
        StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName("cs27-child")
                .component(monitor).component(warmup)
                .listener(new StartupListener() {
                    @Override
                    public void onTransition(ComponentTransitionEvent e) {
                        if (e.component().equals("cache") && (e.to() == ComponentState.DEGRADED || e.to() == ComponentState.RUNNING)) {
                            settled.countDown();
                        }
                    }
                }).build();
        orchestrator.start();
        // Optional components do not gate READY: wait (bounded) for the warm-up's outcome before reporting.
        boolean outcome = settled.await(60, TimeUnit.SECONDS);
        Availability a = orchestrator.availability();
        System.out.println("READY ready=" + a.isReady() + " degraded=" + a.degradedComponents() + " settled=" + outcome
                + " loaded=" + warmup.loadedSteps() + " loadedBytes=" + (warmup.loadedSteps() * entryBytes)
                + " stopped=" + warmup.stoppedAtLimit() + " max=" + HeapHeadroom.current().maxBytes());
        // Serve: short-lived allocations, as requests make, while the partial cache stays reachable.
        long served = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] response = new byte[32 * 1024];
            response[0] = cache.get(i % cache.size())[0];
            served++;
        }
        System.out.println("SERVED " + served + " ready=" + orchestrator.isReady());
        orchestrator.stop();
        System.out.println("DONE");
    }
}
