package dev.coldstart.resources.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Owned, named daemon threads for the monitors: a monitor must never keep a JVM alive. */
public final class Daemons {
    private Daemons() {
    }

    /**
     * A thread factory for daemon threads named {@code coldstart-<name>-<n>}.
     *
     * @param name the owner's name
     * @return the factory
     */
    public static ThreadFactory factory(String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory base = Executors.defaultThreadFactory();
        return r -> {
            Thread t = base.newThread(r);
            t.setName("coldstart-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A single-threaded scheduler that drops cancelled tasks at once.
     *
     * @param name the owner's name
     * @return the scheduler; the caller shuts it down
     */
    public static ScheduledExecutorService scheduler(String name) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, factory(name));
        s.setRemoveOnCancelPolicy(true);
        return s;
    }
}
