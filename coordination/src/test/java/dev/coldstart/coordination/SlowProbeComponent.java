package dev.coldstart.coordination;

import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A component whose start succeeds at once but whose probe fails until {@link #release()}: it says
 * "started" while it cannot serve yet. Records the instant its probe first passed.
 */
final class SlowProbeComponent implements Component {
    private final String name;
    private final boolean required;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicLong firstPassNanos = new AtomicLong();

    SlowProbeComponent(String name, boolean required) {
        this.name = name;
        this.required = required;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean required() {
        return required;
    }

    @Override
    public void start() {
    }

    @Override
    public Health probe() {
        if (released.getCount() > 0) {
            return Health.down(name + " is still warming up");
        }
        // Recorded before the orchestrator can see the result, so it precedes any 200.
        firstPassNanos.compareAndSet(0, System.nanoTime());
        return Health.up();
    }

    void release() {
        released.countDown();
    }

    /** The instant the probe first passed (System.nanoTime), or 0 if it never did. */
    long firstPassNanos() {
        return firstPassNanos.get();
    }
}
