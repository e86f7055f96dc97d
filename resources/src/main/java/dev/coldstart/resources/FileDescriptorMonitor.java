package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.resources.internal.Daemons;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the open file descriptors at runtime (CS-26): warns when they pass
 * {@link FileDescriptorMonitorConfig#warnRatio()} of the limit (default 80 %), raises the shared
 * {@link LoadShedder} at {@link FileDescriptorMonitorConfig#shedRatio()} (default 95 %) so that
 * admission points turn new connections away while the process still has descriptors for what it
 * serves, and clears it below {@link FileDescriptorMonitorConfig#clearRatio()}.
 *
 * <p>The budget checked by {@link FileDescriptorPreflight} bounds what the service opens on purpose;
 * this monitor catches what no budget lists (a leak, a library's files). Readings come from
 * {@link FileDescriptorUsage#current()} every {@link FileDescriptorMonitorConfig#interval()}, on an
 * owned daemon thread that stops with the component; {@link #sampleNow()} takes one at once.
 *
 * <p>As a {@link Component} it is optional (a service may run without its monitor) and its probe
 * is up while sampling works. Thread-safe.
 */
public final class FileDescriptorMonitor implements Component {
    /** Default component name: {@code "fd-monitor"}. */
    public static final String DEFAULT_NAME = "fd-monitor";

    private static final Logger log = LoggerFactory.getLogger(FileDescriptorMonitor.class);

    /** Where the readings stand. */
    public enum Level {
        /** Below the warning level. */
        NORMAL,
        /** At or above the warning level. */
        WARN,
        /** At or above the shedding level (and not yet below the clear level). */
        SHED
    }

    private final String name;
    private final FileDescriptorMonitorConfig config;
    private final LoadShedder shedder;
    private final Supplier<FileDescriptorUsage> source;
    private volatile FileDescriptorUsage last;
    private volatile Level level = Level.NORMAL;
    private volatile String samplingError;
    private ScheduledExecutorService scheduler;

    private FileDescriptorMonitor(String name, FileDescriptorMonitorConfig config, LoadShedder shedder,
            Supplier<FileDescriptorUsage> source) {
        this.name = Checks.notBlank(name, "name");
        this.config = Checks.notNull(config, "config");
        this.shedder = Checks.notNull(shedder, "shedder");
        this.source = Checks.notNull(source, "source");
    }

    /**
     * Creates a monitor named {@value #DEFAULT_NAME} that reads {@link FileDescriptorUsage#current()}.
     *
     * @param config thresholds and interval; not null
     * @param shedder the shared shedder to raise; {@link LoadShedder#disabled()} to only warn
     * @return a new monitor
     */
    public static FileDescriptorMonitor of(FileDescriptorMonitorConfig config, LoadShedder shedder) {
        return of(DEFAULT_NAME, config, shedder, FileDescriptorUsage::current);
    }

    /**
     * Creates a monitor with its own reading source, for tests on fake numbers or another process.
     *
     * @param name the component name; not blank
     * @param config thresholds and interval; not null
     * @param shedder the shared shedder; not null
     * @param source called for every sample from the monitor's thread; not null
     * @return a new monitor
     */
    public static FileDescriptorMonitor of(String name, FileDescriptorMonitorConfig config, LoadShedder shedder,
            Supplier<FileDescriptorUsage> source) {
        return new FileDescriptorMonitor(name, config, shedder, source);
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
     * Takes a first sample and starts periodic sampling.
     */
    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        sampleNow();
        scheduler = Daemons.scheduler(name);
        long every = config.interval().toNanos();
        scheduler.scheduleWithFixedDelay(this::sampleQuietly, every, every, TimeUnit.NANOSECONDS);
        log.info("{} - watching open files every {} ms: warn at {} %, shed at {} % ({})", name,
                config.interval().toMillis(), pct(config.warnRatio()), pct(config.shedRatio()), last);
    }

    @Override
    public Health probe() {
        String err = samplingError;
        return err == null ? Health.up() : Health.down("cannot count open files: " + err);
    }

    /**
     * Stops sampling and clears this monitor's shedding.
     *
     * @param drainTimeout unused: sampling stops at once
     */
    @Override
    public synchronized void stop(Duration drainTimeout) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        shedder.clear(name);
    }

    /**
     * Takes a sample now and applies the thresholds.
     *
     * @return the reading
     * @throws RuntimeException whatever the source throws (for example when the process is at its
     *     very limit, listing {@code /proc/self/fd} fails)
     */
    public synchronized FileDescriptorUsage sampleNow() {
        FileDescriptorUsage u = source.get();
        samplingError = null;
        last = u;
        double r = u.ratio();
        Level prev = level;
        Level next;
        if (r >= config.shedRatio() || (prev == Level.SHED && r >= config.clearRatio())) {
            next = Level.SHED;
        } else if (r >= config.warnRatio()) {
            next = Level.WARN;
        } else {
            next = Level.NORMAL;
        }
        if (next != prev) {
            level = next;
            if (next == Level.SHED) {
                shedder.shed(name, u + " at or above the shedding level of " + pct(config.shedRatio()) + " %");
            } else if (prev == Level.SHED) {
                shedder.clear(name);
            }
            if (next == Level.WARN && prev == Level.NORMAL) {
                log.warn("{} - {}, at or above the warning level of {} %", name, u, pct(config.warnRatio()));
            } else if (next == Level.SHED) {
                log.warn("{} - {}: shedding new connections until below {} %", name, u, pct(config.clearRatio()));
            } else if (next == Level.NORMAL) {
                log.info("{} - {}, back below the warning level of {} %", name, u, pct(config.warnRatio()));
            } else {
                log.info("{} - {}, below {} %: no longer shedding", name, u, pct(config.clearRatio()));
            }
        }
        return u;
    }

    private void sampleQuietly() {
        try {
            sampleNow();
        } catch (RuntimeException e) {
            if (samplingError == null) {
                log.warn("{} - cannot count open files: {}", name, e.toString());
            }
            samplingError = e.toString();
        }
    }

    /**
     * The last reading.
     *
     * @return the reading, or null before the first sample
     */
    public FileDescriptorUsage lastUsage() {
        return last;
    }

    /**
     * Where the last reading stands against the thresholds.
     *
     * @return the level
     */
    public Level level() {
        return level;
    }

    /**
     * The config.
     *
     * @return the config
     */
    public FileDescriptorMonitorConfig config() {
        return config;
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.0f", ratio * 100);
    }

    @Override
    public String toString() {
        return "FileDescriptorMonitor[" + name + ", " + level + ", " + last + "]";
    }
}
