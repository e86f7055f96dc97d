package dev.coldstart.websocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link ClientListener} that records what it is told and counts order violations. */
final class RecordingListener implements ClientListener {
    final List<String> payloads = new CopyOnWriteArrayList<>();
    final List<long[]> gaps = new CopyOnWriteArrayList<>();
    final List<WelcomeMode> welcomes = new CopyOnWriteArrayList<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();
    final AtomicInteger gaveUp = new AtomicInteger(-1);
    final AtomicLong lastSeq = new AtomicLong();
    final AtomicInteger outOfOrder = new AtomicInteger();
    final AtomicInteger messages = new AtomicInteger();

    @Override
    public void onConnected(String sessionId, WelcomeMode mode) {
        welcomes.add(mode);
        if (mode != WelcomeMode.RESUMED) {
            lastSeq.set(0);
        }
    }

    @Override
    public void onMessage(long seq, String payload) {
        if (seq != lastSeq.get() + 1) {
            outOfOrder.incrementAndGet();
        }
        lastSeq.set(seq);
        messages.incrementAndGet();
        payloads.add(payload);
    }

    @Override
    public void onGap(long fromSeq, long toSeq) {
        gaps.add(new long[] {fromSeq, toSeq});
        lastSeq.set(toSeq);
    }

    @Override
    public void onDisconnected(String reason) {
        disconnects.add(reason);
    }

    @Override
    public void onGaveUp(int status) {
        gaveUp.set(status);
    }
}
