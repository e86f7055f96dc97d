package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls one path every 5 ms on its own thread and records every answer with the instants the
 * request was sent and the answer received. Bounded: it stops by itself after 20 s or 10,000 polls.
 */
final class ProbePoller implements AutoCloseable {
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final int MAX_SAMPLES = 10_000;

    /** One answer; a status of -1 means the request failed, with the failure in {@code error}. */
    record Sample(long sentNanos, long receivedNanos, int status, String error) {
    }

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private final long startedNanos = System.nanoTime();

    ProbePoller(Http http, String path) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "poller" + path.replace('/', '-'));
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - startedNanos > MAX_NANOS || samples.size() >= MAX_SAMPLES) {
                timer.shutdown();
                return;
            }
            long sent = System.nanoTime();
            int status;
            String error = null;
            try {
                status = http.status(path);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // closing: this poll was cut short, it says nothing about the server
            } catch (Exception e) {
                status = -1;
                error = e.toString();
            }
            samples.add(new Sample(sent, System.nanoTime(), status, error));
        }, 0, 5, TimeUnit.MILLISECONDS);
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    long count(int status) {
        return samples.stream().filter(s -> s.status() == status).count();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            assertThat(timer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
