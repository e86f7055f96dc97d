package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * Spreads the pings of many connections evenly over the heartbeat interval, so that 5,000
 * connections opened in the same second do not ping (and expect pongs) in the same millisecond.
 *
 * <p>The interval is cut into one-millisecond slots on a shared timeline; each connection is given
 * a slot (its phase) and pings at {@code start + phase + n x interval}. Slots are handed out along a
 * golden-ratio stride coprime with the number of slots, which visits every slot once before any
 * slot is reused and puts consecutive connections far apart; a slot is only taken if it holds no
 * more connections than the current average, so the busiest millisecond never holds more than
 * {@code ceil(connections / slots)} connections while no connection leaves (and, when some leave,
 * their slots are refilled first). The distribution can be read back with
 * {@link #maxConnectionsPerMillisecond()} and {@link #occupancy()}.
 *
 * <p>Thread-safe: methods synchronise on the schedule; each call is O(1) except when connections
 * have left, where finding a free slot takes at most one pass over the slots.
 */
public final class PingSchedule {
    private static final double GOLDEN_RATIO_CONJUGATE = 0.6180339887498949;

    private final int slots;
    private final int stride;
    private final int[] occupancy;
    private long cursor;
    private int active;

    /**
     * Creates a schedule for a heartbeat interval.
     *
     * @param interval the heartbeat interval; at least 1 ms, at most about 24 days
     * @throws dev.coldstart.core.ConfigurationException if the interval is shorter than 1 ms
     */
    public PingSchedule(Duration interval) {
        Checks.positive(interval, "interval");
        long millis = interval.toMillis();
        Checks.check(millis >= 1 && millis <= Integer.MAX_VALUE, "interval must be between PT0.001S and 24 days, but was " + interval);
        this.slots = (int) millis;
        this.stride = coprimeStride(slots);
        this.occupancy = new int[slots];
    }

    /**
     * Gives a new connection its phase.
     *
     * @return the phase in milliseconds, in {@code [0, interval)}
     */
    public synchronized int assign() {
        int level = active / slots;
        for (int probe = 0; probe < slots; probe++) {
            int slot = (int) ((cursor++ % slots) * stride % slots);
            if (occupancy[slot] <= level) {
                occupancy[slot]++;
                active++;
                return slot;
            }
        }
        throw new IllegalStateException("PingSchedule found no slot at or below the average load " + level
                + "; this is a bug (slots=" + slots + ", active=" + active + ")");
    }

    /**
     * Frees the phase of a connection that closed.
     *
     * @param phaseMillis a phase returned by {@link #assign()} and not yet released
     * @throws IllegalArgumentException if the phase is out of range or not in use
     */
    public synchronized void release(int phaseMillis) {
        if (phaseMillis < 0 || phaseMillis >= slots || occupancy[phaseMillis] == 0) {
            throw new IllegalArgumentException("phaseMillis " + phaseMillis + " is not an assigned phase");
        }
        occupancy[phaseMillis]--;
        active--;
    }

    /**
     * The number of connections holding a phase.
     *
     * @return zero or more
     */
    public synchronized int activeConnections() {
        return active;
    }

    /**
     * The largest number of connections that ping in the same millisecond.
     *
     * @return zero or more; {@code ceil(activeConnections / slots)} when no connection has left
     */
    public synchronized int maxConnectionsPerMillisecond() {
        int max = 0;
        for (int o : occupancy) {
            max = Math.max(max, o);
        }
        return max;
    }

    /**
     * The number of connections per millisecond slot of the interval.
     *
     * @return a copy, indexed by phase in milliseconds
     */
    public synchronized int[] occupancy() {
        return occupancy.clone();
    }

    /**
     * The number of one-millisecond slots: the interval in milliseconds.
     *
     * @return at least 1
     */
    public int slots() {
        return slots;
    }

    /**
     * How long until a connection with this phase should next ping.
     *
     * @param phaseMillis the connection's phase
     * @param elapsedNanos time since the schedule's timeline started, in nanoseconds; not negative
     * @return the delay in nanoseconds, in {@code [0, interval)}
     */
    public long nanosUntilNextPing(int phaseMillis, long elapsedNanos) {
        long periodNanos = slots * 1_000_000L;
        long phaseNanos = phaseMillis * 1_000_000L;
        long position = elapsedNanos % periodNanos;
        long delay = phaseNanos - position;
        return delay < 0 ? delay + periodNanos : delay;
    }

    private static int coprimeStride(int n) {
        if (n <= 2) {
            return 1;
        }
        int s = Math.max(1, (int) Math.round(n * GOLDEN_RATIO_CONJUGATE));
        while (gcd(s, n) != 1) {
            s++;
        }
        return s % n == 0 ? 1 : s;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public synchronized String toString() {
        return "PingSchedule{slots=" + slots + ", active=" + active + '}';
    }
}
