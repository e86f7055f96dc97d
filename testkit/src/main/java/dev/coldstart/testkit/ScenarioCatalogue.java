package dev.coldstart.testkit;

import dev.coldstart.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects {@link ScenarioResult}s during a test run and, when the run ends, prints the catalogue
 * table (id, name, pass/fail, key figures, duration) and writes it as text and JSON under
 * {@code target/coldstart/} of the working directory (or the directory named by the JUnit
 * configuration parameter {@value #OUTPUT_DIR_PARAMETER}). The {@link ColdstartExtension} keeps one per
 * JUnit run in the root store, which closes it at the end. Thread-safe.
 */
public final class ScenarioCatalogue implements AutoCloseable {
    /** Default directory the catalogue is written to, relative to the working directory. */
    public static final Path DEFAULT_OUTPUT_DIR = Path.of("target", "coldstart");
    /** JUnit configuration parameter that overrides the output directory. */
    public static final String OUTPUT_DIR_PARAMETER = "coldstart.catalogue.dir";

    private final List<ScenarioResult> results = new ArrayList<>();
    private final Path outputDir;

    /**
     * Creates an empty catalogue.
     *
     * @param outputDir where {@link #close()} writes the files; not null
     */
    public ScenarioCatalogue(Path outputDir) {
        this.outputDir = java.util.Objects.requireNonNull(outputDir, "outputDir must not be null");
    }

    /**
     * Records a result.
     *
     * @param result not null
     */
    public synchronized void add(ScenarioResult result) {
        results.add(result);
    }

    /**
     * The results so far, sorted by id then test class.
     *
     * @return an immutable copy
     */
    public synchronized List<ScenarioResult> results() {
        List<ScenarioResult> copy = new ArrayList<>(results);
        copy.sort(Comparator.comparing(ScenarioResult::id).thenComparing(ScenarioResult::testClass));
        return List.copyOf(copy);
    }

    /**
     * The catalogue as an aligned text table.
     *
     * @return the table
     */
    public String toTable() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "SCENARIO", "RESULT", "TIME", "TEST CLASS", "FIGURES"});
        int passed = 0;
        List<ScenarioResult> all = results();
        for (ScenarioResult r : all) {
            passed += r.passed() ? 1 : 0;
            StringBuilder figures = new StringBuilder();
            for (Map.Entry<String, String> f : r.figures().entrySet()) {
                if (figures.length() > 0) {
                    figures.append(", ");
                }
                figures.append(f.getKey()).append('=').append(f.getValue());
            }
            if (!r.passed() && r.failure() != null) {
                figures.append(figures.length() > 0 ? "; " : "").append("FAILED: ").append(oneLine(r.failure()));
            }
            rows.add(new String[] {r.id(), r.name(), r.passed() ? "PASS" : "FAIL",
                String.format(Locale.ROOT, "%.1fs", r.duration().toMillis() / 1000.0),
                simpleName(r.testClass()), figures.toString()});
        }
        int[] width = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < 5; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < 6; i++) {
                sb.append(row[i]);
                if (i < 5) {
                    sb.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%d of %d scenarios passed%n", passed, all.size()));
        return sb.toString();
    }

    /**
     * The catalogue as JSON: {@code {"scenarios":[{"id":..,"name":..,"passed":..,"durationMillis":..,
     * "testClass":..,"figures":{..},"failure":..}]}}.
     *
     * @return a JSON object
     */
    public String toJson() {
        Json.Writer w = Json.writer().beginObject().name("scenarios").beginArray();
        for (ScenarioResult r : results()) {
            w.beginObject()
                    .field("id", r.id())
                    .field("name", r.name())
                    .field("passed", r.passed())
                    .field("durationMillis", r.duration().toMillis())
                    .field("testClass", r.testClass())
                    .name("figures").beginObject();
            for (Map.Entry<String, String> f : r.figures().entrySet()) {
                w.field(f.getKey(), f.getValue());
            }
            w.endObject().field("failure", r.failure()).endObject();
        }
        return w.endArray().endObject().toString();
    }

    /**
     * Prints the table and writes {@code scenario-catalogue.txt} and {@code scenario-catalogue.json};
     * does nothing if no scenario ran.
     */
    @Override
    public void close() {
        if (results().isEmpty()) {
            return;
        }
        String table = toTable();
        System.out.println("coldstart scenario catalogue:\n" + table);
        try {
            Files.createDirectories(outputDir);
            Files.writeString(outputDir.resolve("scenario-catalogue.txt"), table, StandardCharsets.UTF_8);
            Files.writeString(outputDir.resolve("scenario-catalogue.json"), toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("coldstart-testkit - could not write the scenario catalogue under "
                    + outputDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    private static String oneLine(String s) {
        String line = s.replace('\n', ' ').replace('\r', ' ');
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }
}
