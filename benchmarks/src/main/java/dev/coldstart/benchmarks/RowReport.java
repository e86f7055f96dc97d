package dev.coldstart.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one row (B1 to B7): its samples, its derived figures (ratios, counts), whether it
 * met its target, and the load average around it, printed as Markdown. Not thread-safe: one row is
 * built by one thread.
 */
public final class RowReport {
    private final String id;
    private final String title;
    private final String command;
    private final double loadBefore;
    private final Map<String, Sample> samples = new LinkedHashMap<>();
    private final Map<String, Double> figures = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private double loadAfter = -1;
    private Boolean targetMet;
    private String target = "";

    /**
     * Starts a row; reads the load average now.
     *
     * @param id the row's id, for example {@code B1}
     * @param title what the row measures
     * @param command how to reproduce it
     */
    public RowReport(String id, String title, String command) {
        this.id = id;
        this.title = title;
        this.command = command;
        this.loadBefore = Machine.loadAverage();
    }

    /**
     * Adds a sample under its name.
     *
     * @param sample the sample
     * @return this report
     */
    public RowReport sample(Sample sample) {
        samples.put(sample.name(), sample);
        return this;
    }

    /**
     * Adds a derived figure (a ratio, a count).
     *
     * @param name its name
     * @param value its value
     * @return this report
     */
    public RowReport figure(String name, double value) {
        figures.put(name, value);
        return this;
    }

    /**
     * Adds a line of explanation.
     *
     * @param note the text
     * @return this report
     */
    public RowReport note(String note) {
        notes.add(note);
        return this;
    }

    /**
     * Records the target and whether it was met; reads the load average now.
     *
     * @param target the target, in words
     * @param met whether the figures meet it
     * @return this report
     */
    public RowReport target(String target, boolean met) {
        this.target = target;
        this.targetMet = met;
        this.loadAfter = Machine.loadAverage();
        return this;
    }

    /**
     * The row's id.
     *
     * @return for example {@code B1}
     */
    public String id() {
        return id;
    }

    /**
     * A sample by name.
     *
     * @param name the sample's name
     * @return the sample
     * @throws IllegalArgumentException if the row has no such sample
     */
    public Sample sample(String name) {
        Sample s = samples.get(name);
        if (s == null) {
            throw new IllegalArgumentException(id + " has no sample '" + name + "', only " + samples.keySet());
        }
        return s;
    }

    /**
     * The samples in the order they were added.
     *
     * @return an unmodifiable view
     */
    public Map<String, Sample> samples() {
        return java.util.Collections.unmodifiableMap(samples);
    }

    /**
     * A derived figure by name.
     *
     * @param name the figure's name
     * @return its value
     * @throws IllegalArgumentException if the row has no such figure
     */
    public double figure(String name) {
        Double v = figures.get(name);
        if (v == null) {
            throw new IllegalArgumentException(id + " has no figure '" + name + "', only " + figures.keySet());
        }
        return v;
    }

    /**
     * Whether the row met its target.
     *
     * @return true if met; false if missed or not yet judged
     */
    public boolean targetMet() {
        return Boolean.TRUE.equals(targetMet);
    }

    /**
     * The row as Markdown: title, command, load, a table of samples, the derived figures and notes.
     *
     * @return the text
     */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("### ").append(id).append(": ").append(title).append("\n\n");
        b.append("Command: `").append(command).append("`  \n");
        b.append(String.format(Locale.ROOT, "Load average (1 min): %.2f before, %.2f after  %n", loadBefore, loadAfter));
        b.append("Machine: ").append(Machine.describe()).append("\n\n");
        b.append("| figure | median | min | max | n |\n|---|---|---|---|---|\n");
        for (Sample s : samples.values()) {
            b.append("| ").append(s.name()).append(" (").append(s.unit()).append(") | ")
                    .append(Sample.format(s.median())).append(" | ").append(Sample.format(s.min())).append(" | ")
                    .append(Sample.format(s.max())).append(" | ").append(s.values().size()).append(" |\n");
        }
        b.append('\n');
        for (Map.Entry<String, Double> f : figures.entrySet()) {
            b.append("- ").append(f.getKey()).append(": ").append(Sample.format(f.getValue())).append('\n');
        }
        if (targetMet != null) {
            b.append("- target: ").append(target).append(": ").append(targetMet ? "**met**" : "**missed**").append('\n');
        }
        for (String n : notes) {
            b.append("- ").append(n).append('\n');
        }
        return b.toString();
    }
}
