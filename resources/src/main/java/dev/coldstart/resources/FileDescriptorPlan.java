package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import java.util.Map;

/**
 * The outcome of a {@link FileDescriptorPreflight}: how many descriptors each budget entry may use,
 * scaled down when the budget did not fit and {@link FileDescriptorBudget.OnExceeded#SCALE_DOWN} was
 * configured. Size pools and server connection limits from {@link #granted(String)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class FileDescriptorPlan {
    private final FileDescriptorBudget budget;
    private final long limit;
    private final long openAtCheck;
    private final Map<String, Integer> granted;
    private final boolean scaledDown;

    FileDescriptorPlan(FileDescriptorBudget budget, long limit, long openAtCheck, Map<String, Integer> granted,
            boolean scaledDown) {
        this.budget = budget;
        this.limit = limit;
        this.openAtCheck = openAtCheck;
        this.granted = Map.copyOf(granted);
        this.scaledDown = scaledDown;
    }

    /**
     * The descriptors an entry may use: its budget, or less when scaled down.
     *
     * @param entry an entry name of the budget
     * @return at least {@link FileDescriptorBudget#minimumPerEntry()}
     * @throws IllegalArgumentException if the budget has no such entry
     */
    public int granted(String entry) {
        Integer n = granted.get(Checks.requireArgument(entry, "entry"));
        if (n == null) {
            throw new IllegalArgumentException("entry `" + entry + "` is not in the budget " + budget.entries().keySet());
        }
        return n;
    }

    /**
     * Every entry's granted descriptors.
     *
     * @return an immutable map
     */
    public Map<String, Integer> grantedAll() {
        return granted;
    }

    /**
     * The sum of the granted descriptors, without headroom.
     *
     * @return zero or more
     */
    public long grantedTotal() {
        long sum = 0;
        for (int v : granted.values()) {
            sum += v;
        }
        return sum;
    }

    /**
     * Whether entries were scaled down to fit.
     *
     * @return true when at least one entry got less than its budget
     */
    public boolean scaledDown() {
        return scaledDown;
    }

    /**
     * The open-files limit checked against.
     *
     * @return greater than 0
     */
    public long limit() {
        return limit;
    }

    /**
     * Descriptors already open when the check ran (the JVM's jars, logs, sockets opened before).
     *
     * @return zero or more
     */
    public long openAtCheck() {
        return openAtCheck;
    }

    /**
     * The budget as configured.
     *
     * @return the budget
     */
    public FileDescriptorBudget budget() {
        return budget;
    }

    @Override
    public String toString() {
        return "FileDescriptorPlan{granted=" + granted + ", headroom=" + budget.headroom() + ", openAtCheck=" + openAtCheck
                + ", limit=" + limit + ", scaledDown=" + scaledDown + '}';
    }
}
