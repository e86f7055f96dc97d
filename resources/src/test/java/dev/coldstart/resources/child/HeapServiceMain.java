package dev.coldstart.resources.child;

import dev.coldstart.core.Availability;
import dev.coldstart.core.ComponentState;
import dev.coldstart.core.StartupListener;
import dev.coldstart.core.event.ComponentTransitionEvent;
import dev.coldstart.core.StartupOrchestrator;
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
 * A service run in a child JVM with a small heap that warms a cache larger than the heap allows.
 * Args: cacheMb entryKb. Prints READY with the outcome, serves a bounded burst of requests, prints DONE.
 */
public final class HeapServiceMain {
    private HeapServiceMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        long cacheBytes = Long.parseLong(args[0]) * 1024 * 1024;
        int entryBytes = Integer.parseInt(args[1]) * 1024;
        Map<Integer, byte[]> cache = new HashMap<>();
        int[] next = new int[1];
        MemoryPressureMonitor monitor = MemoryPressureMonitor.of(MemoryPressureConfig.builder()
                .interval(Duration.ofMillis(200)).build(), LoadShedder.create());
        HeapGuardedWarmup warmup = HeapGuardedWarmup.builder("cache", monitor, () -> {
            if ((long) next[0] * entryBytes >= cacheBytes) {
                return false;
            }
            cache.put(next[0]++, new byte[entryBytes]);
            return true;
        }).estimatedBytes(cacheBytes).dependsOn(monitor.name()).build();
        CountDownLatch settled = new CountDownLatch(1);
        StartupOrchestrator orchestrator = StartupOrchestrator.builder().serviceName("heap-child")
                .component(monitor).component(warmup)
                .listener(new StartupListener() {
                    @Override
                    public void onTransition(ComponentTransitionEvent e) {
                        if (e.component().equals("cache")
                                && (e.to() == ComponentState.DEGRADED || e.to() == ComponentState.RUNNING)) {
                            settled.countDown();
                        }
                    }
                }).build();
        orchestrator.start();
        // Optional components do not gate READY: wait (bounded) for the warm-up's outcome before reporting.
        if (!settled.await(60, TimeUnit.SECONDS)) {
            System.out.println("TIMEOUT waiting for the warm-up");
        }
        Availability a = orchestrator.availability();
        System.out.println("READY ready=" + a.isReady() + " degraded=" + a.degradedComponents() + " loaded=" + warmup.loadedSteps()
                + " loadedBytes=" + (warmup.loadedSteps() * entryBytes) + " stopped=" + warmup.stoppedAtLimit()
                + " max=" + HeapHeadroom.current().maxBytes());
        // Serve: short-lived allocations, as requests make, while the partial cache stays reachable.
        long served = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] response = new byte[32 * 1024];
            response[0] = cache.get(i % cache.size())[0];
            served += response.length > 0 ? 1 : 0;
        }
        System.out.println("SERVED " + served + " cacheEntries=" + cache.size());
        orchestrator.stop();
        System.out.println("DONE");
    }
}
