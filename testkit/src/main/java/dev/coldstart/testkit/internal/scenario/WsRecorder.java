package dev.coldstart.testkit.internal.scenario;

import dev.coldstart.websocket.ClientListener;
import dev.coldstart.websocket.WelcomeMode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client listener that checks, independently of the client, that messages arrive exactly once
 * and in order: every payload starts with its broadcast number (after a prefix), which must be the
 * previous plus one; a gap marker advances the expected number by the messages it names.
 */
final class WsRecorder implements ClientListener {
    final AtomicLong lastNumber = new AtomicLong();
    final AtomicInteger messages = new AtomicInteger();
    final AtomicInteger outOfOrder = new AtomicInteger();
    final AtomicInteger gapMarkers = new AtomicInteger();
    final AtomicLong lostMessages = new AtomicLong();
    final AtomicLong firstConnectedAt = new AtomicLong();
    final List<WelcomeMode> welcomes = new CopyOnWriteArrayList<>();
    final List<long[]> gaps = new CopyOnWriteArrayList<>();
    private final String prefix;

    /** @param prefix the text before the broadcast number in each payload */
    WsRecorder(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void onConnected(String sessionId, WelcomeMode mode) {
        firstConnectedAt.compareAndSet(0, System.nanoTime());
        welcomes.add(mode);
    }

    @Override
    public void onMessage(long seq, String payload) {
        long n = number(payload);
        if (n != lastNumber.get() + 1) {
            outOfOrder.incrementAndGet();
        }
        lastNumber.set(n);
        messages.incrementAndGet();
    }

    @Override
    public void onGap(long fromSeq, long toSeq) {
        gapMarkers.incrementAndGet();
        lostMessages.addAndGet(toSeq - fromSeq + 1);
        gaps.add(new long[] {fromSeq, toSeq});
        lastNumber.addAndGet(toSeq - fromSeq + 1);
    }

    private long number(String payload) {
        if (!payload.startsWith(prefix)) {
            return -1;
        }
        long n = 0;
        for (int i = prefix.length(); i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    static String payload(String prefix, long n) {
        return prefix + n;
    }
}
