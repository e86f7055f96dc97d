package dev.coldstart.websocket.internal;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Health;
import dev.coldstart.websocket.BufferLimits;
import dev.coldstart.websocket.LogEntry;
import dev.coldstart.websocket.LogSession;
import dev.coldstart.websocket.LogSlice;
import dev.coldstart.websocket.LogUsage;
import dev.coldstart.websocket.MessageLog;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@link MessageLog} in the heap. Each session keeps a ring of references to shared message
 * objects, so a broadcast to many sessions stores its payload once and costs one reference per
 * session. Expired sessions are dropped lazily, on lookup and whenever the session list is read.
 * Thread-safe: each session synchronises on itself; the map is concurrent.
 */
public final class InMemoryMessageLog implements MessageLog {
    private final String name;
    private final BufferLimits limits;
    private final LongSupplier nanoTime;
    private final long ttlNanos;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    /**
     * Creates the log.
     *
     * @param name the component's name
     * @param limits the per-session limits
     * @param nanoTime the ticker, {@code System::nanoTime} outside tests
     */
    public InMemoryMessageLog(String name, BufferLimits limits, LongSupplier nanoTime) {
        this.name = Checks.notBlank(name, "name");
        this.limits = Checks.notNull(limits, "limits");
        this.nanoTime = Checks.notNull(nanoTime, "nanoTime");
        this.ttlNanos = limits.sessionTtl().toNanos();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        // Nothing to connect to.
    }

    @Override
    public Health probe() {
        return Health.up();
    }

    @Override
    public BufferLimits limits() {
        return limits;
    }

    @Override
    public void create(String sessionId, String owner) {
        Checks.notBlank(sessionId, "sessionId");
        sessions.put(sessionId, new Session(sessionId, owner, nanoTime.getAsLong() + ttlNanos));
    }

    @Override
    public LogSession find(String sessionId) {
        Session s = live(sessionId);
        if (s == null) {
            return null;
        }
        synchronized (s) {
            return new LogSession(s.id, s.owner, s.lastSeq, s.lastSeq - s.size + 1, s.size, s.bytes);
        }
    }

    @Override
    public boolean touch(String sessionId) {
        Session s = live(sessionId);
        if (s == null) {
            return false;
        }
        synchronized (s) {
            s.expiresAt = nanoTime.getAsLong() + ttlNanos;
        }
        return true;
    }

    @Override
    public long append(String sessionId, String payload) {
        Message m = message(payload);
        Session s = live(sessionId);
        return s == null ? -1 : s.append(m, limits);
    }

    @Override
    public long[] appendToEach(List<String> sessionIds, String payload) {
        Message m = message(payload);
        long[] seqs = new long[sessionIds.size()];
        int i = 0;
        for (String id : sessionIds) {
            Session s = live(id);
            seqs[i++] = s == null ? -1 : s.append(m, limits);
        }
        return seqs;
    }

    @Override
    public LogSlice read(String sessionId, long afterSeq, int maxMessages) {
        Checks.positive(maxMessages, "maxMessages");
        Session s = live(sessionId);
        if (s == null) {
            return null;
        }
        synchronized (s) {
            long first = s.lastSeq - s.size + 1;
            long from = Math.max(afterSeq + 1, first);
            int count = (int) Math.max(0, Math.min(maxMessages, s.lastSeq - from + 1));
            List<LogEntry> entries = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                long seq = from + k;
                Message m = s.at((int) (seq - first));
                entries.add(new LogEntry(seq, m.payload));
            }
            return new LogSlice(entries, first, s.lastSeq);
        }
    }

    @Override
    public List<String> sessionIds() {
        long now = nanoTime.getAsLong();
        List<String> ids = new ArrayList<>(sessions.size());
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (s.expired(now)) {
                it.remove();
            } else {
                ids.add(s.id);
            }
        }
        return List.copyOf(ids);
    }

    @Override
    public void remove(String sessionId) {
        sessions.remove(sessionId);
    }

    @Override
    public LogUsage usage() {
        long now = nanoTime.getAsLong();
        int count = 0;
        long messages = 0;
        long bytes = 0;
        int maxMessages = 0;
        long maxBytes = 0;
        for (Session s : sessions.values()) {
            synchronized (s) {
                if (s.expired(now)) {
                    continue;
                }
                count++;
                messages += s.size;
                bytes += s.bytes;
                maxMessages = Math.max(maxMessages, s.size);
                maxBytes = Math.max(maxBytes, s.bytes);
            }
        }
        return new LogUsage(count, messages, bytes, maxMessages, maxBytes);
    }

    @Override
    public String toString() {
        return "InMemoryMessageLog[" + name + ", " + limits + "]";
    }

    private Message message(String payload) {
        Checks.requireArgument(payload, "payload");
        int bytes = utf8Length(payload);
        if (bytes > limits.maxBytesPerSession()) {
            throw new IllegalArgumentException(name + " - a message of " + bytes + " bytes exceeds maxBytesPerSession ("
                    + limits.maxBytesPerSession() + "); split it or raise the limit");
        }
        return new Message(payload, bytes);
    }

    private Session live(String sessionId) {
        Session s = sessions.get(sessionId);
        if (s == null) {
            return null;
        }
        boolean expired;
        synchronized (s) {
            expired = s.expired(nanoTime.getAsLong());
        }
        if (expired) {
            sessions.remove(sessionId, s);
            return null;
        }
        return s;
    }

    /**
     * The UTF-8 length of a string without encoding it.
     *
     * @param s the string
     * @return its length in UTF-8 bytes
     */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2;
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    private static final class Message {
        final String payload;
        final int bytes;

        Message(String payload, int bytes) {
            this.payload = payload;
            this.bytes = bytes;
        }
    }

    private static final class Session {
        private static final int INITIAL_CAPACITY = 16;

        final String id;
        final String owner;
        long expiresAt;
        Message[] ring = new Message[INITIAL_CAPACITY];
        int head;
        int size;
        long lastSeq;
        long bytes;

        Session(String id, String owner, long expiresAt) {
            this.id = id;
            this.owner = owner;
            this.expiresAt = expiresAt;
        }

        boolean expired(long now) {
            return now - expiresAt > 0;
        }

        Message at(int index) {
            return ring[(head + index) & (ring.length - 1)];
        }

        synchronized long append(Message m, BufferLimits limits) {
            while (size > 0 && (size >= limits.maxMessagesPerSession() || bytes + m.bytes > limits.maxBytesPerSession())) {
                Message oldest = ring[head];
                ring[head] = null;
                head = (head + 1) & (ring.length - 1);
                size--;
                bytes -= oldest.bytes;
            }
            if (size == ring.length) {
                grow();
            }
            ring[(head + size) & (ring.length - 1)] = m;
            size++;
            bytes += m.bytes;
            return ++lastSeq;
        }

        private void grow() {
            Message[] bigger = new Message[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = at(i);
            }
            ring = bigger;
            head = 0;
        }
    }
}
