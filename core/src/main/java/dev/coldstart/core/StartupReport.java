package dev.coldstart.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;

/**
 * What happened during a startup: per component its state, attempts, timestamps, durations and
 * last error, and for the service when it began and when it became READY. Rendered as an aligned
 * text table ({@link #toTable()}) and as JSON ({@link #toJson()}, format version
 * {@value #FORMAT_VERSION}) and as an HTML timeline ({@link #toHtml()}). Immutable and thread-safe.
 *
 * @param state the overall state when the report was taken
 * @param startedAt when {@code start()} was called; null if not yet
 * @param readyAt when the service first became READY; null if not (yet)
 * @param components one entry per component, in declaration order
 */
public record StartupReport(ServiceState state, Instant startedAt, Instant readyAt, List<ComponentReport> components) {

    /** Version of the JSON layout written by {@link #toJson()}. */
    public static final int FORMAT_VERSION = 1;

    /**
     * Creates a report; copies the list.
     *
     * @param state the overall state when the report was taken
     * @param startedAt when {@code start()} was called; null if not yet
     * @param readyAt when the service first became READY; null if not (yet)
     * @param components one entry per component, in declaration order
     */
    public StartupReport {
        components = List.copyOf(components);
    }

    /**
     * Time from {@code start()} to READY.
     *
     * @return the duration, or null if the service never became READY
     */
    public Duration timeToReady() {
        return startedAt == null || readyAt == null ? null : Duration.between(startedAt, readyAt);
    }

    /**
     * The report of one component.
     *
     * @param name its name
     * @return the report, or null if no such component
     */
    public ComponentReport component(String name) {
        for (ComponentReport c : components) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The chain of components that decided when the service became READY, first to last: it ends at
     * the required component that became healthy last and walks back, at each step, to the
     * dependency that became healthy last (the one its start waited for). Computed from
     * {@link ComponentReport#dependsOn()} and {@link ComponentReport#readyAt()} only. When the service
     * is not READY the chain ends at the first required component that FAILED, if any, else at the
     * component that became healthy last.
     *
     * @return component names, roots first; empty if no component became healthy or failed
     */
    public List<String> criticalPath() {
        ComponentReport last = null;
        for (ComponentReport c : components) {
            if (readyAt == null && c.required() && c.state() == ComponentState.FAILED) {
                last = c;
                break;
            }
        }
        if (last == null) {
            last = latestReady(components, true);
        }
        if (last == null) {
            last = latestReady(components, false);
        }
        List<String> path = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (last != null && seen.add(last.name())) {
            path.add(0, last.name());
            List<ComponentReport> deps = new ArrayList<>();
            for (String d : last.dependsOn()) {
                ComponentReport dep = component(d);
                if (dep != null) {
                    deps.add(dep);
                }
            }
            last = latestReady(deps, false);
        }
        return List.copyOf(path);
    }

    private static ComponentReport latestReady(List<ComponentReport> candidates, boolean requiredOnly) {
        ComponentReport latest = null;
        for (ComponentReport c : candidates) {
            if (c.readyAt() != null && (!requiredOnly || c.required())
                    && (latest == null || c.readyAt().isAfter(latest.readyAt()))) {
                latest = c;
            }
        }
        return latest;
    }

    /**
     * The report as a self-contained HTML timeline (inline SVG, CSS and script; no network fetch):
     * one row per component with its wait, attempts, failures, backoffs and healthy time, the
     * critical path and the time to READY. See {@link ReportHtml}.
     *
     * @return a complete HTML document
     */
    public String toHtml() {
        return ReportHtml.render(this);
    }

    /**
     * An aligned text table, one row per component, times relative to {@code startedAt}, followed by
     * a summary line. Numbers use {@link Locale#ROOT} so the table reads the same everywhere.
     *
     * @return the table, lines separated by {@code \n}
     */
    public String toTable() {
        String[] header = {"COMPONENT", "REQUIRED", "STATE", "ATTEMPTS", "WAITED", "STARTED AT", "READY AT", "TOOK", "LAST ERROR"};
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        for (ComponentReport c : components) {
            rows.add(new String[] {
                c.name(),
                c.required() ? "yes" : "no",
                c.state().name(),
                Integer.toString(c.attempts()),
                seconds(c.waitDuration()),
                offset(c.firstAttemptAt()),
                offset(c.readyAt()),
                seconds(c.startDuration()),
                c.lastError() == null ? "-" : oneLine(c.lastError())
            });
        }
        int[] width = new int[header.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append('\n');
        }
        sb.append("service: ").append(state);
        Duration ttr = timeToReady();
        if (ttr != null) {
            sb.append(", READY after ").append(seconds(ttr));
        }
        return sb.append('\n').toString();
    }

    /**
     * The report as JSON (layout documented in {@code docs/report-format.md}): timestamps as ISO-8601
     * text, durations as whole milliseconds.
     *
     * @return a JSON object
     */
    public String toJson() {
        Json.Writer w = Json.writer();
        w.beginObject()
                .field("formatVersion", FORMAT_VERSION)
                .field("state", state.name())
                .field("startedAt", startedAt)
                .field("readyAt", readyAt)
                .fieldMillis("timeToReadyMillis", timeToReady())
                .name("components").beginArray();
        for (ComponentReport c : components) {
            w.beginObject()
                    .field("name", c.name())
                    .field("required", c.required())
                    .name("dependsOn").beginArray();
            for (String d : c.dependsOn()) {
                w.value(d);
            }
            w.endArray()
                    .field("state", c.state().name())
                    .field("attempts", c.attempts())
                    .field("waitingSince", c.waitingSince())
                    .field("firstAttemptAt", c.firstAttemptAt())
                    .field("readyAt", c.readyAt())
                    .fieldMillis("waitMillis", c.waitDuration())
                    .fieldMillis("startMillis", c.startDuration())
                    .field("lastError", c.lastError())
                    .name("attemptHistory").beginArray();
            for (AttemptRecord a : c.attemptHistory()) {
                w.beginObject()
                        .field("number", a.number())
                        .field("startedAt", a.startedAt())
                        .field("endedAt", a.endedAt())
                        .field("error", a.error())
                        .fieldMillis("backoffAfterMillis", a.backoffAfter())
                        .endObject();
            }
            w.endArray().name("transitions").beginArray();
            for (TransitionRecord t : c.transitions()) {
                w.beginObject()
                        .field("from", t.from().name())
                        .field("to", t.to().name())
                        .field("at", t.at())
                        .endObject();
            }
            w.endArray().endObject();
        }
        return w.endArray().endObject().toString();
    }

    @Override
    public String toString() {
        return toTable();
    }

    private String offset(Instant at) {
        if (at == null || startedAt == null) {
            return "-";
        }
        return "+" + seconds(Duration.between(startedAt, at));
    }

    private static String seconds(Duration d) {
        if (d == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }

    private static String oneLine(String s) {
        String line = s.replace('\n', ' ').replace('\r', ' ');
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
