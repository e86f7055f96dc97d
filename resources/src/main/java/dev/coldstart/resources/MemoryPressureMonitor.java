package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.resources.internal.Daemons;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the heap with the JVM's own memory pool thresholds (CS-27): at start it sets the usage
 * threshold of every heap pool that supports one ({@link MemoryPoolMXBean#setUsageThreshold(long)},
 * the tenured generation in HotSpot's collectors) to {@link MemoryPressureConfig#pressureRatio()} of
 * the pool's maximum and its collection usage threshold to {@link MemoryPressureConfig#shedRatio()},
 * and listens to the {@link java.lang.management.MemoryMXBean}'s
 * {@link MemoryNotificationInfo#MEMORY_THRESHOLD_EXCEEDED} and
 * {@link MemoryNotificationInfo#MEMORY_COLLECTION_THRESHOLD_EXCEEDED} notifications.
 *
 * <p>Under pressure ({@link #isUnderPressure()}) warm-ups stop ({@link HeapGuardedWarmup}) and a
 * warning is logged; when the heap stays above the shed ratio even after a collection the shared
 * {@link LoadShedder} is raised. Pressure ends only when a periodic check finds the pools below
 * their thresholds again.
 *
 * <p>Pool thresholds are JVM-wide: run one monitor per JVM (a second one would overwrite the
 * first's thresholds). HotSpot checks usage thresholds when it collects, so the notification can
 * lag the allocation that crossed it; {@link #checkNow()} polls the pools and the whole heap for
 * loops that allocate fast.
 *
 * <p>As a {@link Component} it is optional and always up once started. Thread-safe.
 */
public final class MemoryPressureMonitor implements Component {
    /** Default component name: {@code "memory-monitor"}. */
    public static final String DEFAULT_NAME = "memory-monitor";

    private static final Logger log = LoggerFactory.getLogger(MemoryPressureMonitor.class);

    private final String name;
    private final MemoryPressureConfig config;
    private final LoadShedder shedder;
    private final NotificationListener listener = this::onNotification;
    private final List<MemoryPoolMXBean> usagePools = new ArrayList<>();
    private final List<MemoryPoolMXBean> collectionPools = new ArrayList<>();
    private volatile boolean pressure;
    private volatile boolean shedding;
    private volatile String lastReason;
    private ScheduledExecutorService scheduler;

    private MemoryPressureMonitor(String name, MemoryPressureConfig config, LoadShedder shedder) {
        this.name = Checks.notBlank(name, "name");
        this.config = Checks.notNull(config, "config");
        this.shedder = Checks.notNull(shedder, "shedder");
    }

    /**
     * Creates a monitor named {@value #DEFAULT_NAME}.
     *
     * @param config thresholds; not null
     * @param shedder the shared shedder; {@link LoadShedder#disabled()} to never shed
     * @return a new monitor
     */
    public static MemoryPressureMonitor of(MemoryPressureConfig config, LoadShedder shedder) {
        return of(DEFAULT_NAME, config, shedder);
    }

    /**
     * Creates a monitor.
     *
     * @param name the component name; not blank
     * @param config thresholds; not null
     * @param shedder the shared shedder; not null
     * @return a new monitor
     */
    public static MemoryPressureMonitor of(String name, MemoryPressureConfig config, LoadShedder shedder) {
        return new MemoryPressureMonitor(name, config, shedder);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean required() {
        return false;
    }

    /**
     * Sets the pool thresholds, subscribes to the notifications and starts the periodic check.
     */
    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        StringBuilder set = new StringBuilder();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage().getMax();
            // Only the tenured pools support usage thresholds; a full survivor space after a young
            // collection is normal, so young pools get no collection threshold either.
            if (pool.getType() != MemoryType.HEAP || max <= 0 || !pool.isUsageThresholdSupported()) {
                continue;
            }
            pool.setUsageThreshold((long) (max * config.pressureRatio()));
            usagePools.add(pool);
            set.append(set.length() == 0 ? "" : ", ").append(pool.getName()).append(" usage ")
                    .append(HeapHeadroom.mb(pool.getUsageThreshold()));
            if (pool.isCollectionUsageThresholdSupported()) {
                pool.setCollectionUsageThreshold((long) (max * config.shedRatio()));
                collectionPools.add(pool);
                set.append(set.length() == 0 ? "" : ", ").append(pool.getName()).append(" after GC ")
                        .append(HeapHeadroom.mb(pool.getCollectionUsageThreshold()));
            }
        }
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
        scheduler = Daemons.scheduler(name);
        long every = config.interval().toNanos();
        scheduler.scheduleWithFixedDelay(this::checkQuietly, every, every, TimeUnit.NANOSECONDS);
        checkNow();
        log.info("{} - thresholds set: {}; {}", name, set.length() == 0 ? "no heap pool supports thresholds, polling the heap"
                : set, HeapHeadroom.current());
    }

    @Override
    public Health probe() {
        return Health.up();
    }

    /**
     * Unsubscribes, resets the pool thresholds to 0 (disabled) and clears this monitor's shedding.
     *
     * @param drainTimeout unused
     */
    @Override
    public synchronized void stop(Duration drainTimeout) {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        scheduler = null;
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(listener);
        } catch (ListenerNotFoundException e) {
            log.debug("{} - listener already removed", name);
        }
        usagePools.forEach(p -> p.setUsageThreshold(0));
        collectionPools.forEach(p -> p.setCollectionUsageThreshold(0));
        usagePools.clear();
        collectionPools.clear();
        shedder.clear(name);
    }

    /**
     * Whether the heap is under pressure, as of the last notification or check: one volatile read,
     * for loops and request paths.
     *
     * @return true from a threshold crossing until a check finds the heap below it
     */
    public boolean isUnderPressure() {
        return pressure;
    }

    /**
     * Why the heap was last found under pressure.
     *
     * @return the reason with the numbers, or null if never
     */
    public String lastReason() {
        return lastReason;
    }

    /**
     * Polls the pools' thresholds and the whole heap now, and updates pressure and shedding. Allocates
     * a few small objects; call it from a warm-up loop, not on every request.
     *
     * @return true when under pressure
     */
    public boolean checkNow() {
        String reason = null;
        for (MemoryPoolMXBean pool : usagePools) {
            if (pool.isUsageThresholdExceeded()) {
                reason = pool.getName() + " at " + describe(pool.getUsage()) + ", threshold " + pct(config.pressureRatio()) + " %";
                break;
            }
        }
        HeapHeadroom heap = HeapHeadroom.current();
        if (reason == null && heap.usedBytes() >= heap.maxBytes() * config.pressureRatio()) {
            reason = heap + ", threshold " + pct(config.pressureRatio()) + " %";
        }
        boolean shed = false;
        for (MemoryPoolMXBean pool : collectionPools) {
            if (pool.isCollectionUsageThresholdExceeded()) {
                MemoryUsage after = pool.getCollectionUsage();
                shed = after != null && after.getUsed() >= pool.getCollectionUsageThreshold();
                if (shed) {
                    reason = pool.getName() + " at " + describe(after) + " even after a collection, threshold "
                            + pct(config.shedRatio()) + " %";
                    break;
                }
            }
        }
        update(reason, shed);
        return reason != null;
    }

    private synchronized void update(String reason, boolean shed) {
        boolean wasPressure = pressure;
        if (reason != null) {
            lastReason = reason;
            pressure = true;
            if (!wasPressure) {
                log.warn("{} - heap under pressure: {}; warm-ups stop", name, reason);
            }
        } else if (wasPressure) {
            pressure = false;
            log.info("{} - heap pressure over: {}", name, HeapHeadroom.current());
        }
        if (shed && !shedding) {
            shedding = true;
            shedder.shed(name, reason);
        } else if (!shed && shedding) {
            shedding = false;
            shedder.clear(name);
        }
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            log.warn("{} - heap check failed: {}", name, e.toString());
        }
    }

    private void onNotification(Notification n, Object handback) {
        String type = n.getType();
        if (!MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(type)
                && !MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(type)) {
            return;
        }
        MemoryNotificationInfo info = MemoryNotificationInfo.from((CompositeData) n.getUserData());
        boolean afterGc = MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(type);
        String reason = info.getPoolName() + " at " + describe(info.getUsage()) + (afterGc ? " even after a collection" : "")
                + ", threshold " + pct(afterGc ? config.shedRatio() : config.pressureRatio()) + " % (JVM notification)";
        update(reason, afterGc || shedding);
    }

    private static String describe(MemoryUsage u) {
        return HeapHeadroom.mb(u.getUsed()) + " of " + HeapHeadroom.mb(u.getMax());
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.0f", ratio * 100);
    }

    /**
     * The config.
     *
     * @return the config
     */
    public MemoryPressureConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "MemoryPressureMonitor[" + name + (pressure ? ", under pressure" : "") + "]";
    }
}
