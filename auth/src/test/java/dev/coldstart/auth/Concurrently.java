package dev.coldstart.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a task on N threads released together by a latch, waiting for all with a deadline. */
final class Concurrently {
    private Concurrently() {
    }

    /** Outcomes of all runs: results and failures. */
    record Outcome<T>(List<T> results, List<Throwable> failures) {
    }

    static <T> Outcome<T> run(int threads, Duration deadline, Callable<T> task) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        ConcurrentLinkedQueue<T> results = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    ready.countDown();
                    if (go.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                        results.add(task.call());
                    } else {
                        failures.add(new IllegalStateException("never released"));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }, "concurrently-" + i);
            t.setDaemon(true);
            t.start();
            all.add(t);
        }
        if (!ready.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("threads did not start within " + deadline);
        }
        go.countDown();
        if (!done.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(done.getCount() + " of " + threads + " tasks still running after " + deadline);
        }
        return new Outcome<>(new ArrayList<>(results), new ArrayList<>(failures));
    }
}
