package dev.coldstart.testkit;

import dev.coldstart.core.StartupReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a scenario test method receives: fresh real resources, a place to record the figures it
 * measured, and cleanup that runs even when the test fails. One per test method; the
 * {@link ColdstartExtension} creates it and closes it after the test. Thread-safe.
 */
public final class ScenarioContext implements AutoCloseable {
    /** Report numbers per scenario id, for the whole JVM, so two classes running one scenario keep both files. */
    private static final Map<String, AtomicInteger> REPORT_NUMBERS = new ConcurrentHashMap<>();

    private final String id;
    private final String name;
    private final String label;
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private TestDatabase database;
    private TestRedis redis;
    private final Path outputDir;

    ScenarioContext(String id, String name, String label, Path outputDir) {
        this.id = id;
        this.name = name;
        this.label = label;
        this.outputDir = outputDir;
    }

    /**
     * The scenario id parsed from the method name, for example {@code CS-01}.
     *
     * @return the id, or null if the method is not named {@code csNN_...}
     */
    public String id() {
        return id;
    }

    /**
     * The scenario's snake-case name, for example {@code connection_pool_race_during_cold_start}.
     *
     * @return the name, or the method name if it is not a scenario
     */
    public String name() {
        return name;
    }

    /**
     * A fresh PostgreSQL database for this test, created on first call and dropped after the test.
     *
     * @return the database
     * @throws RealServiceUnavailableException if no PostgreSQL was found
     */
    public synchronized TestDatabase database() {
        if (database == null) {
            database = closeAfter(TestDatabase.create(label));
        }
        return database;
    }

    /**
     * A fresh Redis key prefix for this test, created on first call and cleaned after the test.
     *
     * @return the prefix handle
     * @throws RealServiceUnavailableException if no Redis was found
     */
    public synchronized TestRedis redis() {
        if (redis == null) {
            redis = closeAfter(TestRedis.create(label));
        }
        return redis;
    }

    /**
     * Records a measured figure; it appears in the catalogue. Recording the same name again replaces it.
     *
     * @param figureName a short name, for example {@code maxPhysicalConnections}
     * @param value the value; numbers with a fraction are printed with 3 decimals
     */
    public synchronized void figure(String figureName, Object value) {
        String text = value instanceof Double || value instanceof Float
                ? String.format(Locale.ROOT, "%.3f", ((Number) value).doubleValue())
                : String.valueOf(value);
        figures.put(figureName, text);
    }

    /**
     * Writes a startup report of this scenario as an HTML timeline ({@link StartupReport#toHtml()}),
     * to look at when a scenario is slow or fails: {@code <dir>/<id>-<n>.html}, where {@code <dir>} is
     * the catalogue's directory ({@code target/coldstart/} unless the JUnit configuration parameter
     * {@value ScenarioCatalogue#OUTPUT_DIR_PARAMETER} names another), {@code <id>} the scenario id (or
     * the method name) and {@code <n>} counts from 1 per id within the JVM. Call it once per
     * instance started.
     *
     * @param report the report; not null
     * @return the file written
     * @throws UncheckedIOException if the directory cannot be created or the file not written
     */
    public Path report(StartupReport report) {
        String key = id != null ? id : label;
        Path file = outputDir.resolve(key + "-" + REPORT_NUMBERS.computeIfAbsent(key, k -> new AtomicInteger())
                .incrementAndGet() + ".html");
        try {
            Files.createDirectories(outputDir);
            Files.writeString(file, report.toHtml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("coldstart-testkit - could not write the startup timeline of " + name + " to "
                    + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * The figures recorded so far.
     *
     * @return a copy in recording order
     */
    public synchronized Map<String, String> figures() {
        return new LinkedHashMap<>(figures);
    }

    /**
     * Closes a resource after the test, in reverse order of registration, even if the test fails.
     *
     * @param resource the resource
     * @param <T> its type
     * @return the resource
     */
    public synchronized <T extends AutoCloseable> T closeAfter(T resource) {
        resources.push(resource);
        return resource;
    }

    /**
     * Closes every registered resource, newest first.
     *
     * @throws IllegalStateException after all were tried, if any failed; the failures are its cause
     *     and suppressed exceptions
     */
    @Override
    public void close() {
        IllegalStateException first = null;
        while (true) {
            AutoCloseable r;
            synchronized (this) {
                r = resources.poll();
            }
            if (r == null) {
                break;
            }
            try {
                r.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (first == null) {
                    first = new IllegalStateException("coldstart-testkit - cleanup after " + name + " failed: " + e, e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
