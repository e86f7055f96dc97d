package dev.coldstart.resources;

import dev.coldstart.resources.internal.DefaultLoadShedder;
import dev.coldstart.resources.internal.DisabledLoadShedder;
import java.util.Set;

/**
 * The one load-shedding switch that every resource monitor raises and every admission point reads:
 * a server's accept loop, a WebSocket upgrade, a request gate.
 *
 * <p>Monitors {@linkplain #shed(String, String) raise} shedding under their own source name (for
 * example {@code "fd-monitor"} at 95 % of the open-files limit) and {@linkplain #clear(String)
 * clear} it when the pressure is gone; the shedder sheds while at least one source is raised, so
 * two monitors never undo each other. Admission points call {@link #shouldShed()} for each new
 * connection or request and turn it away (close it, answer 503 with {@code Retry-After}) when it
 * returns true.
 *
 * <p>Thread safety and cost: {@link #shouldShed()} reads one {@code volatile} immutable snapshot and
 * returns; it takes no lock and allocates nothing, so it may sit on every accept. Raising and
 * clearing are rare and replace the snapshot with a compare-and-set.
 *
 * <p>A disabled shedder is a null object ({@link #disabled()}): it never sheds and ignores raises, so
 * callers never test an {@code enabled} flag.
 *
 * <p>Other coldstart modules depend on {@code core} only, so their admission points (the WebSocket
 * upgrade admission, a request gate) take a {@link java.util.function.BooleanSupplier}; hand them
 * {@code shedder::shouldShed}, which keeps the hot path a volatile read.
 *
 * <pre>{@code
 * LoadShedder shedder = LoadShedder.create();
 * FileDescriptorMonitor fds = FileDescriptorMonitor.of(FileDescriptorMonitorConfig.ofDefaults(), shedder);
 * // in the accept loop
 * Socket s = server.accept();
 * if (shedder.shouldShed()) {
 *     s.close();          // refuse early: the process keeps its last descriptors for what it serves
 *     shedder.recordShed();
 * }
 * }</pre>
 */
public interface LoadShedder {

    /**
     * Creates an active shedder with no source raised.
     *
     * @return a new shedder; thread-safe
     */
    static LoadShedder create() {
        return new DefaultLoadShedder();
    }

    /**
     * The null object: never sheds, ignores {@link #shed(String, String)} and {@link #clear(String)}.
     *
     * @return the shared disabled shedder
     */
    static LoadShedder disabled() {
        return DisabledLoadShedder.INSTANCE;
    }

    /**
     * Whether new work should be turned away now. The hot path: one volatile read, no lock, no
     * allocation.
     *
     * @return true while at least one source has raised shedding
     */
    boolean shouldShed();

    /**
     * Counts one unit of work turned away (a refused connection, a 503). Admission points call it
     * once for each unit they shed, so {@link #shedCount()} counts work, not the reads of
     * {@link #shouldShed()}. Lock-free; a no-op on the disabled shedder.
     */
    void recordShed();

    /**
     * The units of work turned away so far, as recorded by {@link #recordShed()}; for metrics
     * ({@code dev.coldstart.resources.metrics.LoadShedderMetrics}).
     *
     * @return the count since creation, 0 or more; always 0 on the disabled shedder
     */
    long shedCount();

    /**
     * Why the shedder sheds, for a 503 body or a log line.
     *
     * @return the reason of the first raised source, or null when not shedding
     */
    String reason();

    /**
     * The sources that currently have shedding raised.
     *
     * @return an immutable set, empty when not shedding
     */
    Set<String> sources();

    /**
     * Raises shedding for a source, or replaces that source's reason. Idempotent.
     *
     * @param source who raises it, for example {@code "fd-monitor"}; not blank
     * @param reason why, with the numbers, for example {@code "243 of 256 open files (95 %)"}; not null
     * @throws dev.coldstart.core.ConfigurationException if source is blank or reason is null
     */
    void shed(String source, String reason);

    /**
     * Clears a source's shedding; the shedder keeps shedding while other sources are raised.
     * Clearing a source that is not raised does nothing.
     *
     * @param source the source given to {@link #shed(String, String)}; not blank
     * @throws dev.coldstart.core.ConfigurationException if source is blank
     */
    void clear(String source);
}
