package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a {@link FileDescriptorBudget} against the process's open-files limit before any pool or
 * server opens (CS-26), so that "Too many open files" never surfaces at the first burst of traffic.
 *
 * <p>The check: {@code budget entries + headroom + descriptors already open <= limit}, where the
 * limit and the open count come from {@link FileDescriptorUsage#current()}. When it does not fit,
 * {@link FileDescriptorBudget.OnExceeded#FAIL_FAST} throws a {@link ResourceBudgetException} whose
 * message names both numbers and the fix; {@link FileDescriptorBudget.OnExceeded#SCALE_DOWN} shrinks
 * every entry in proportion (never below {@link FileDescriptorBudget#minimumPerEntry()}) and warns
 * with the new sizes. Pools and servers then take their sizes from {@link #plan()}.
 *
 * <p>As a {@link Component} it is required and has no dependencies; make pools and servers depend
 * on its name so that they start after the check. Its probe is up once a plan exists. Thread-safe:
 * the plan is published through a volatile field.
 *
 * <pre>{@code
 * FileDescriptorPreflight fds = FileDescriptorPreflight.of(budget);
 * Component http = Component.builder("http").dependsOn(fds.name())
 *         .onStart(() -> server.start(fds.plan().granted("http")))
 *         .build();
 * }</pre>
 */
public final class FileDescriptorPreflight implements Component {
    /** Default component name: {@code "fd-preflight"}. */
    public static final String DEFAULT_NAME = "fd-preflight";

    private static final Logger log = LoggerFactory.getLogger(FileDescriptorPreflight.class);

    private final String name;
    private final FileDescriptorBudget budget;
    private volatile FileDescriptorPlan plan;

    private FileDescriptorPreflight(String name, FileDescriptorBudget budget) {
        this.name = Checks.notBlank(name, "name");
        this.budget = Checks.notNull(budget, "budget");
    }

    /**
     * Creates the preflight named {@value #DEFAULT_NAME}.
     *
     * @param budget the budget; not null
     * @return a new preflight
     */
    public static FileDescriptorPreflight of(FileDescriptorBudget budget) {
        return of(DEFAULT_NAME, budget);
    }

    /**
     * Creates the preflight.
     *
     * @param name the component name; not blank
     * @param budget the budget; not null
     * @return a new preflight
     */
    public static FileDescriptorPreflight of(String name, FileDescriptorBudget budget) {
        return new FileDescriptorPreflight(name, budget);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Runs {@link #check()} and keeps its plan.
     *
     * @throws ResourceBudgetException if the budget does not fit (see {@link #check(FileDescriptorUsage)})
     */
    @Override
    public void start() {
        plan = check();
    }

    @Override
    public Health probe() {
        return plan != null ? Health.up() : Health.down("the file-descriptor budget has not been checked yet");
    }

    /**
     * The plan of the last successful check.
     *
     * @return the plan
     * @throws IllegalStateException if the preflight has not run yet
     */
    public FileDescriptorPlan plan() {
        FileDescriptorPlan p = plan;
        if (p == null) {
            throw new IllegalStateException(name + " - no plan yet: depend on this component, or call check() first");
        }
        return p;
    }

    /**
     * Checks the budget against the process's current numbers and keeps the plan.
     *
     * @return the plan
     * @throws ResourceBudgetException if the budget does not fit
     * @throws UnsupportedOperationException if the JVM does not report file descriptors (Windows)
     */
    public FileDescriptorPlan check() {
        FileDescriptorPlan p = check(FileDescriptorUsage.current());
        plan = p;
        return p;
    }

    /**
     * Checks the budget against a given reading; the pure part of {@link #check()}.
     *
     * @param usage the open descriptors and the limit; not null
     * @return the plan: every entry granted in full when it fits, scaled down in proportion when it
     *     does not and {@link FileDescriptorBudget.OnExceeded#SCALE_DOWN} is configured
     * @throws ResourceBudgetException with {@code required} = budget + open and {@code limit} when it
     *     does not fit under {@link FileDescriptorBudget.OnExceeded#FAIL_FAST}, or does not fit even
     *     with every entry at its minimum
     */
    public FileDescriptorPlan check(FileDescriptorUsage usage) {
        Checks.requireArgument(usage, "usage");
        long limit = usage.max();
        long open = usage.open();
        long required = budget.total() + open;
        long available = limit - open - budget.headroom();
        if (required <= limit) {
            log.info("{} - file-descriptor budget of {} ({}) fits the open-files limit of {} with {} already open",
                    name, budget.total(), budgetBreakdown(), limit, open);
            return new FileDescriptorPlan(budget, limit, open, budget.entries(), false);
        }
        String shortfall = "file-descriptor budget of " + budget.total() + " (" + budgetBreakdown()
                + ") does not fit the open-files limit of " + limit + " (ulimit -n) with " + open + " already open";
        long minimumTotal = (long) budget.minimumPerEntry() * budget.entries().size();
        if (budget.onExceeded() == FileDescriptorBudget.OnExceeded.FAIL_FAST || available < minimumTotal) {
            String message = name + " - " + shortfall + ": it needs " + required + " of " + limit
                    + (budget.onExceeded() == FileDescriptorBudget.OnExceeded.SCALE_DOWN
                            ? ", and scaling every entry down to " + budget.minimumPerEntry() + " still does not fit"
                            : "")
                    + ". Raise the limit to at least " + required
                    + " (ulimit -n, systemd LimitNOFILE, docker --ulimit nofile), lower the pool sizes and connection limits"
                    + (budget.onExceeded() == FileDescriptorBudget.OnExceeded.FAIL_FAST ? ", or allow onExceeded(SCALE_DOWN)" : "");
            log.error("{}", message);
            throw new ResourceBudgetException("file descriptors", required, limit, message);
        }
        Map<String, Integer> scaled = scale(budget.entries(), available, budget.minimumPerEntry());
        log.warn("{} - {}; scaled down to {} ({} of {} descriptors for the entries)", name, shortfall,
                breakdown(scaled), sum(scaled), budget.entriesTotal());
        return new FileDescriptorPlan(budget, limit, open, scaled, true);
    }

    /** Proportional shares, floored, never below the minimum, trimmed from the largest until they fit. */
    private static Map<String, Integer> scale(Map<String, Integer> entries, long available, int minimum) {
        long total = 0;
        for (int v : entries.values()) {
            total += v;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : entries.entrySet()) {
            long share = e.getValue() * available / total;
            out.put(e.getKey(), (int) Math.max(minimum, share));
        }
        while (sum(out) > available) {
            String largest = null;
            for (Map.Entry<String, Integer> e : out.entrySet()) {
                if (e.getValue() > minimum && (largest == null || e.getValue() > out.get(largest))) {
                    largest = e.getKey();
                }
            }
            out.put(largest, out.get(largest) - 1);
        }
        return out;
    }

    private static long sum(Map<String, Integer> m) {
        long s = 0;
        for (int v : m.values()) {
            s += v;
        }
        return s;
    }

    private static String breakdown(Map<String, Integer> entries) {
        StringJoiner j = new StringJoiner(" + ");
        entries.forEach((k, v) -> j.add(k + " " + v));
        return j.toString();
    }

    private String budgetBreakdown() {
        return breakdown(budget.entries()) + " + headroom " + budget.headroom();
    }

    @Override
    public String toString() {
        return "FileDescriptorPreflight[" + name + "]";
    }
}
