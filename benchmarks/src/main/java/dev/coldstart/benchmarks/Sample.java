package dev.coldstart.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A set of measurements of one figure (times in milliseconds, counts, throughputs) with its median and
 * spread. Immutable and thread-safe.
 */
public final class Sample {
    private final String name;
    private final String unit;
    private final List<Double> values;

    private Sample(String name, String unit, List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("values of " + name + " must not be empty, but was []");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        this.name = name;
        this.unit = unit;
        this.values = List.copyOf(sorted);
    }

    /**
     * A sample of the given values.
     *
     * @param name what was measured, for the table
     * @param unit the unit of the values, for example {@code ms}
     * @param values at least one value
     * @return the sample
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static Sample of(String name, String unit, List<Double> values) {
        return new Sample(name, unit, values);
    }

    /**
     * What was measured.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The unit of the values.
     *
     * @return the unit
     */
    public String unit() {
        return unit;
    }

    /**
     * The values in ascending order.
     *
     * @return an immutable list, never empty
     */
    public List<Double> values() {
        return values;
    }

    /**
     * The median: the middle value, or the mean of the two middle ones.
     *
     * @return the median
     */
    public double median() {
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    /**
     * The smallest value.
     *
     * @return the minimum
     */
    public double min() {
        return values.get(0);
    }

    /**
     * The largest value.
     *
     * @return the maximum
     */
    public double max() {
        return values.get(values.size() - 1);
    }

    /**
     * This sample's median over another's.
     *
     * @param peer the denominator
     * @return median / peer's median
     */
    public double ratioTo(Sample peer) {
        return median() / peer.median();
    }

    /**
     * One line: name, median, min-max and the number of values.
     *
     * @return the summary
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: median %s %s (min %s, max %s, n=%d)", name, format(median()), unit,
                format(min()), format(max()), values.size());
    }

    /**
     * A number with three significant figures at least, and no exponent.
     *
     * @param v the number
     * @return the text
     */
    public static String format(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        } else if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        } else if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
