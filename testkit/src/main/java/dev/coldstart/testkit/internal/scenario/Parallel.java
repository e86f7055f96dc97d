package dev.coldstart.testkit.internal.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs a task on N threads released together by a latch; bounded by a deadline. */
final class Parallel {
    private Parallel() {
    }

    /** How the runs ended. */
    record Outcome(int succeeded, List<Throwable> failures) {
    }

    static Outcome run(int threads, Duration deadline, Callable<?> task) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicInteger ok = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    ready.countDown();
                    if (go.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                        task.call();
                        ok.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }, "coldstart-scenario-" + i);
            t.setDaemon(true);
            t.start();
        }
        if (!ready.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("threads did not start within " + deadline);
        }
        go.countDown();
        if (!done.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(done.getCount() + " of " + threads + " tasks still running after " + deadline);
        }
        return new Outcome(ok.get(), new ArrayList<>(failures));
    }
}
