package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a service plans to hold open: one entry per connection pool and per server connection limit,
 * plus headroom for everything else (jars, logs, DNS, temporary files), checked against the
 * process's open-files limit by a {@link FileDescriptorPreflight} before anything opens (CS-26).
 *
 * <p>Each entry counts descriptors, which for a pool is its maximum size and for a server its
 * connection limit (one socket per connection). Defaults: {@link #DEFAULT_HEADROOM} descriptors of
 * headroom, {@link OnExceeded#FAIL_FAST}, at least {@link #DEFAULT_MINIMUM_PER_ENTRY} per entry when
 * scaling down.
 *
 * <p>Built budgets are immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * FileDescriptorBudget budget = FileDescriptorBudget.builder()
 *         .entry("orders-db", poolConfig.maximumPoolSize())
 *         .entry("http", 200)                        // the server's connection limit
 *         .headroom(64)
 *         .onExceeded(FileDescriptorBudget.OnExceeded.SCALE_DOWN)
 *         .build();
 * }</pre>
 */
public final class FileDescriptorBudget {
    /** Default descriptors kept free beyond the entries: 64. */
    public static final int DEFAULT_HEADROOM = 64;
    /** Default smallest number of descriptors an entry is scaled down to: 1. */
    public static final int DEFAULT_MINIMUM_PER_ENTRY = 1;

    /** What the preflight does when the budget does not fit the limit. */
    public enum OnExceeded {
        /** Fail before anything opens, with a message naming the budget and the limit. The default. */
        FAIL_FAST,
        /** Shrink every entry in proportion until the budget fits, and warn with the new sizes. */
        SCALE_DOWN
    }

    private final Map<String, Integer> entries;
    private final int headroom;
    private final OnExceeded onExceeded;
    private final int minimumPerEntry;

    private FileDescriptorBudget(Builder b) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(b.entries));
        this.headroom = b.headroom;
        this.onExceeded = b.onExceeded;
        this.minimumPerEntry = b.minimumPerEntry;
    }

    /**
     * Starts a builder with no entries and the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this budget's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.entries.putAll(entries);
        b.headroom = headroom;
        b.onExceeded = onExceeded;
        b.minimumPerEntry = minimumPerEntry;
        return b;
    }

    /**
     * The entries in the order they were added.
     *
     * @return an immutable map from entry name to descriptors
     */
    public Map<String, Integer> entries() {
        return entries;
    }

    /**
     * Descriptors kept free beyond the entries.
     *
     * @return zero or more; default {@value #DEFAULT_HEADROOM}
     */
    public int headroom() {
        return headroom;
    }

    /**
     * What happens when the budget does not fit.
     *
     * @return the policy; default {@link OnExceeded#FAIL_FAST}
     */
    public OnExceeded onExceeded() {
        return onExceeded;
    }

    /**
     * The smallest size an entry is scaled down to.
     *
     * @return at least 1; default {@value #DEFAULT_MINIMUM_PER_ENTRY}
     */
    public int minimumPerEntry() {
        return minimumPerEntry;
    }

    /**
     * The sum of the entries, without headroom.
     *
     * @return zero or more
     */
    public long entriesTotal() {
        long sum = 0;
        for (int v : entries.values()) {
            sum += v;
        }
        return sum;
    }

    /**
     * The whole budget: entries plus headroom.
     *
     * @return zero or more
     */
    public long total() {
        return entriesTotal() + headroom;
    }

    @Override
    public String toString() {
        return "FileDescriptorBudget{entries=" + entries + ", headroom=" + headroom + ", onExceeded=" + onExceeded
                + ", minimumPerEntry=" + minimumPerEntry + '}';
    }

    /** Builder of {@link FileDescriptorBudget}; not thread-safe. */
    public static final class Builder {
        private final Map<String, Integer> entries = new LinkedHashMap<>();
        private int headroom = DEFAULT_HEADROOM;
        private OnExceeded onExceeded = OnExceeded.FAIL_FAST;
        private int minimumPerEntry = DEFAULT_MINIMUM_PER_ENTRY;

        private Builder() {
        }

        /**
         * Adds or replaces an entry: a pool's maximum size or a server's connection limit.
         *
         * @param name the entry's name, used in messages and in {@link FileDescriptorPlan#granted(String)}; not blank
         * @param descriptors descriptors it may hold open at once; greater than 0
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if name is blank or descriptors not positive
         */
        public Builder entry(String name, int descriptors) {
            entries.put(Checks.notBlank(name, "name"), Checks.positive(descriptors, "descriptors"));
            return this;
        }

        /**
         * Sets the descriptors kept free for everything not listed.
         *
         * @param headroom zero or more; default {@value #DEFAULT_HEADROOM}
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if negative
         */
        public Builder headroom(int headroom) {
            this.headroom = Checks.notNegative(headroom, "headroom");
            return this;
        }

        /**
         * Sets what happens when the budget does not fit the limit.
         *
         * @param onExceeded not null; default {@link OnExceeded#FAIL_FAST}
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null
         */
        public Builder onExceeded(OnExceeded onExceeded) {
            this.onExceeded = Checks.notNull(onExceeded, "onExceeded");
            return this;
        }

        /**
         * Sets the smallest size an entry is scaled down to; a budget that does not fit even at
         * this size fails in either mode.
         *
         * @param minimumPerEntry at least 1; default {@value #DEFAULT_MINIMUM_PER_ENTRY}
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder minimumPerEntry(int minimumPerEntry) {
            this.minimumPerEntry = Checks.positive(minimumPerEntry, "minimumPerEntry");
            return this;
        }

        /**
         * Builds the budget.
         *
         * @return an immutable budget
         * @throws dev.coldstart.core.ConfigurationException if an entry is smaller than {@code minimumPerEntry}
         */
        public FileDescriptorBudget build() {
            for (Map.Entry<String, Integer> e : entries.entrySet()) {
                Checks.check(e.getValue() >= minimumPerEntry, "entry `" + e.getKey() + "` must be at least minimumPerEntry ("
                        + minimumPerEntry + "), but was " + e.getValue());
            }
            return new FileDescriptorBudget(this);
        }
    }
}
