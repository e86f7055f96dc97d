package dev.coldstart.resources;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * How much heap the JVM may still use, as its memory beans report it: the maximum heap
 * ({@code -Xmx}, or the container-derived default), what is used now, and what survived the last
 * collection of each heap pool. Used before a warm-up to compare its estimated size with the
 * headroom (CS-27).
 *
 * <p>Immutable and thread-safe.
 */
public final class HeapHeadroom {
    private final long maxBytes;
    private final long usedBytes;
    private final long usedAfterLastGcBytes;

    private HeapHeadroom(long maxBytes, long usedBytes, long usedAfterLastGcBytes) {
        this.maxBytes = maxBytes;
        this.usedBytes = usedBytes;
        this.usedAfterLastGcBytes = usedAfterLastGcBytes;
    }

    /**
     * Reads the heap now from {@link java.lang.management.MemoryMXBean#getHeapMemoryUsage()} and the
     * heap pools' {@link MemoryPoolMXBean#getCollectionUsage()}.
     *
     * @return the reading
     */
    public static HeapHeadroom current() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : Runtime.getRuntime().maxMemory();
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage after = pool.getCollectionUsage();
                afterGc += after != null ? after.getUsed() : pool.getUsage().getUsed();
            }
        }
        return new HeapHeadroom(max, heap.getUsed(), afterGc);
    }

    /**
     * The maximum heap.
     *
     * @return bytes, greater than 0
     */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The heap in use now, garbage included.
     *
     * @return bytes
     */
    public long usedBytes() {
        return usedBytes;
    }

    /**
     * The heap that survived the last collection of each pool: the best estimate of live data the
     * JVM offers without forcing a collection.
     *
     * @return bytes
     */
    public long usedAfterLastGcBytes() {
        return usedAfterLastGcBytes;
    }

    /**
     * What may still be allocated before the heap reaches a fraction of its maximum, counting what is
     * in use now.
     *
     * @param ratio the fraction of the maximum allowed, for example the pressure threshold 0.80
     * @return bytes, never negative
     */
    public long headroomBytes(double ratio) {
        return Math.max(0, (long) (maxBytes * ratio) - usedBytes);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "heap %s used of %s (%s after the last collection)", mb(usedBytes), mb(maxBytes),
                mb(usedAfterLastGcBytes));
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
