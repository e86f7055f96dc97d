package dev.coldstart.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws a {@link StartupReport} as a self-contained HTML timeline: one file with inline SVG, CSS
 * and a few lines of JavaScript, no network fetch, so it opens from a CI artifact or a mail
 * attachment as it is.
 *
 * <p>One row per component, times relative to {@link StartupReport#startedAt()}:
 * <ul>
 *   <li>grey: waiting for its dependencies ({@code waitingSince} to {@code firstAttemptAt});</li>
 *   <li>blue: an attempt (start, then probe) that succeeded or is still running;</li>
 *   <li>red with a cross: an attempt that failed, its error in the tooltip;</li>
 *   <li>hatched orange: the backoff before the next attempt;</li>
 *   <li>green: healthy (RUNNING); amber: UNHEALTHY or DEGRADED; a red cross at the end: FAILED.</li>
 * </ul>
 * Hovering a row lists its dependencies and outlines their rows; the rows of the
 * {@linkplain StartupReport#criticalPath() critical path} are marked, and a vertical line shows
 * the moment the service became READY with the total time. A table with the same figures as
 * {@link StartupReport#toTable()} follows the drawing.
 *
 * <p>Every name and error is escaped for HTML ({@link #escape(String)}), so a component called
 * {@code <script>} or an error that quotes markup renders as text. Numbers use
 * {@link Locale#ROOT}. Stateless and thread-safe.
 *
 * <pre>{@code
 * Files.writeString(Path.of("startup.html"), orchestrator.report().toHtml());
 * }</pre>
 */
public final class ReportHtml {
    private static final int WIDTH = 1340;
    private static final int LABEL_WIDTH = 250;
    private static final int RIGHT_MARGIN = 30;
    private static final int TOP = 34;
    private static final int ROW = 30;
    private static final int BAR = 16;

    private ReportHtml() {
    }

    /**
     * Renders a report as one HTML document.
     *
     * @param report the report; not null
     * @return a complete HTML5 document in UTF-8 text
     * @throws NullPointerException if the report is null
     */
    public static String render(StartupReport report) {
        Checks.requireArgument(report, "report");
        return new Renderer(report).render();
    }

    /**
     * Escapes text for HTML element content and quoted attribute values: {@code & < > " '} become
     * character references, and control characters other than tab, line feed and carriage return
     * (not allowed in HTML) become U+FFFD.
     *
     * @param text the text; null gives the empty string
     * @return the escaped text
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                case '\t', '\n', '\r' -> sb.append(c);
                default -> sb.append(c < 0x20 || c == 0x7f ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    /** One render; holds the time scale. */
    private static final class Renderer {
        private final StartupReport report;
        private final Instant origin;
        private final Instant end;
        private final double pxPerNano;
        private final StringBuilder out = new StringBuilder(16 * 1024);

        Renderer(StartupReport report) {
            this.report = report;
            Instant first = report.startedAt();
            Instant last = null;
            for (ComponentReport c : report.components()) {
                for (Instant t : instants(c)) {
                    first = first == null || t.isBefore(first) ? t : first;
                    last = last == null || t.isAfter(last) ? t : last;
                }
            }
            if (report.readyAt() != null) {
                last = last == null || report.readyAt().isAfter(last) ? report.readyAt() : last;
            }
            this.origin = first;
            if (first == null) {
                this.end = null;
                this.pxPerNano = 0;
            } else {
                long span = Math.max(Duration.between(first, last == null ? first : last).toNanos(), 1_000_000L);
                // A little room after the last event, so a component that just became healthy shows a green bar.
                this.end = first.plusNanos(span + span / 20);
                this.pxPerNano = (WIDTH - LABEL_WIDTH - RIGHT_MARGIN) / (double) Duration.between(first, end).toNanos();
            }
        }

        String render() {
            Duration ttr = report.timeToReady();
            List<String> critical = report.criticalPath();
            out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                    .append("<title>coldstart startup: ").append(report.state())
                    .append(ttr == null ? "" : " after " + seconds(ttr)).append("</title>\n")
                    .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                    .append("<h1>Startup timeline</h1>\n<p class=\"summary\">state <b>").append(report.state())
                    .append("</b>");
            if (ttr != null) {
                out.append(" &middot; READY after <b class=\"ttr\">").append(seconds(ttr)).append("</b>");
            } else {
                out.append(" &middot; not READY");
            }
            out.append(" &middot; ").append(report.components().size()).append(" components");
            if (!critical.isEmpty()) {
                out.append(" &middot; critical path: <span class=\"cp\">")
                        .append(escape(String.join(" \u2192 ", critical))).append("</span>");
            }
            out.append("</p>\n");
            if (origin == null) {
                out.append("<p>Nothing has started yet: the report has no timestamps.</p>\n");
            } else {
                svg(new HashSet<>(critical));
            }
            legend();
            table(new HashSet<>(critical));
            out.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
            return out.toString();
        }

        private void svg(Set<String> critical) {
            List<ComponentReport> components = report.components();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < components.size(); i++) {
                index.put(components.get(i).name(), i);
            }
            int height = TOP + components.size() * ROW + 24;
            out.append("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                    .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                    .append(height).append("\" role=\"img\" aria-label=\"startup timeline\">\n")
                    .append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" ")
                    .append("patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fbe3c0\"/>")
                    .append("<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#e8963a\" stroke-width=\"3\"/></pattern></defs>\n");
            axis(height);
            for (int i = 0; i < components.size(); i++) {
                row(components.get(i), i, index, critical.contains(components.get(i).name()));
            }
            if (report.readyAt() != null) {
                double x = x(report.readyAt());
                // The label goes left of the line when it would run past the drawing.
                boolean nearRightEdge = x + 120 > WIDTH;
                out.append("<line class=\"ready\" x1=\"").append(px(x)).append("\" y1=\"").append(TOP - 8)
                        .append("\" x2=\"").append(px(x)).append("\" y2=\"").append(height - 20).append("\"/>")
                        .append("<text class=\"ready-label\" x=\"").append(px(nearRightEdge ? x - 4 : x + 4))
                        .append("\" y=\"").append(height - 8)
                        .append(nearRightEdge ? "\" text-anchor=\"end" : "").append("\">READY ").append(seconds(report.timeToReady())).append("</text>\n");
            }
            out.append("</svg>\n");
        }

        private void axis(int height) {
            long spanNanos = Duration.between(origin, end).toNanos();
            long step = tickStep(spanNanos);
            for (long t = 0; t <= spanNanos; t += step) {
                double x = LABEL_WIDTH + t * pxPerNano;
                out.append("<line class=\"tick\" x1=\"").append(px(x)).append("\" y1=\"").append(TOP - 6)
                        .append("\" x2=\"").append(px(x)).append("\" y2=\"").append(height - 20).append("\"/>")
                        .append("<text class=\"tick-label\" x=\"").append(px(x)).append("\" y=\"").append(TOP - 12)
                        .append("\">").append(tickLabel(t, step)).append("</text>\n");
            }
        }

        private void row(ComponentReport c, int i, Map<String, Integer> index, boolean critical) {
            int y = TOP + i * ROW;
            int barY = y + (ROW - BAR) / 2;
            StringBuilder deps = new StringBuilder();
            for (String d : c.dependsOn()) {
                Integer di = index.get(d);
                if (di != null) {
                    deps.append(deps.length() == 0 ? "" : " ").append(di);
                }
            }
            out.append("<g class=\"row").append(i % 2 == 1 ? " alt" : "").append(critical ? " critical" : "").append("\" data-i=\"").append(i)
                    .append("\" data-deps=\"").append(deps).append("\">\n<title>")
                    .append(escape(c.name())).append(c.required() ? " (required)" : " (optional)")
                    .append(": ").append(c.state()).append(", ").append(c.attempts())
                    .append(c.attempts() == 1 ? " attempt" : " attempts")
                    .append("\ndepends on: ").append(c.dependsOn().isEmpty() ? "nothing" : escape(String.join(", ", c.dependsOn())))
                    .append(critical ? "\non the critical path" : "")
                    .append(c.lastError() == null ? "" : "\nlast error: " + escape(c.lastError()))
                    .append("</title>\n<rect class=\"band\" x=\"0\" y=\"").append(y).append("\" width=\"").append(WIDTH)
                    .append("\" height=\"").append(ROW).append("\"/>\n")
                    .append("<text class=\"label\" x=\"8\" y=\"").append(y + ROW / 2 + 5).append("\">")
                    .append(critical ? "\u25B6 " : "").append(escape(ellipsis(c.name(), 30)))
                    .append(c.required() ? "" : " <tspan class=\"opt\">optional</tspan>").append("</text>\n");

            if (c.waitingSince() != null) {
                Instant waitEnd = c.firstAttemptAt() != null ? c.firstAttemptAt() : c.state() == ComponentState.WAITING ? end : null;
                if (waitEnd != null && waitEnd.isAfter(c.waitingSince())) {
                    bar("wait", c.waitingSince(), waitEnd, barY, "waiting for "
                            + (c.dependsOn().isEmpty() ? "a worker" : String.join(", ", c.dependsOn())), c.waitingSince(), waitEnd);
                }
            }
            List<AttemptRecord> attempts = c.attemptHistory();
            for (int a = 0; a < attempts.size(); a++) {
                AttemptRecord r = attempts.get(a);
                Instant attemptEnd = r.endedAt() == null ? end : r.endedAt();
                String what = "attempt " + r.number() + (r.endedAt() == null ? " (running)"
                        : r.error() == null ? " succeeded" : " failed: " + r.error());
                bar(r.error() == null ? "attempt" : "attempt failed", r.startedAt(), attemptEnd, barY, what, r.startedAt(),
                        r.endedAt());
                if (r.error() != null && r.endedAt() != null) {
                    cross(x(r.endedAt()), barY, "attempt " + r.number() + " failed: " + r.error());
                    Instant next = a + 1 < attempts.size() ? attempts.get(a + 1).startedAt() : null;
                    Instant backoffEnd = next != null ? next
                            : r.backoffAfter() != null ? min(r.endedAt().plus(r.backoffAfter()), end) : null;
                    if (backoffEnd != null && backoffEnd.isAfter(r.endedAt())) {
                        bar("backoff", r.endedAt(), backoffEnd, barY + 3, "backoff before attempt " + (r.number() + 1)
                                + (r.backoffAfter() == null ? "" : " (scheduled " + seconds(r.backoffAfter()) + ")"),
                                r.endedAt(), backoffEnd);
                    }
                }
            }
            stateSegments(c, barY);
            out.append("</g>\n");
        }

        /** Healthy, unhealthy and degraded stretches, from the recorded transitions. */
        private void stateSegments(ComponentReport c, int barY) {
            List<TransitionRecord> ts = c.transitions();
            for (int k = 0; k < ts.size(); k++) {
                TransitionRecord t = ts.get(k);
                Instant until = k + 1 < ts.size() ? ts.get(k + 1).at() : end;
                String css = switch (t.to()) {
                    case RUNNING -> "healthy";
                    case UNHEALTHY -> "unhealthy";
                    case DEGRADED -> "degraded";
                    default -> null;
                };
                if (css != null) {
                    bar(css, t.at(), until, barY, t.to().name().toLowerCase(Locale.ROOT), t.at(), k + 1 < ts.size() ? until : null);
                } else if (t.to() == ComponentState.FAILED) {
                    cross(x(t.at()), barY, "FAILED" + (c.lastError() == null ? "" : ": " + c.lastError()));
                }
            }
        }

        private void bar(String css, Instant from, Instant to, int y, String what, Instant shownFrom, Instant shownTo) {
            double x1 = x(from);
            double w = Math.max(x(to) - x1, 2);
            int h = css.equals("backoff") ? BAR - 6 : BAR;
            out.append("<rect class=\"").append(css).append("\" x=\"").append(px(x1)).append("\" y=\"").append(y)
                    .append("\" width=\"").append(px(w)).append("\" height=\"").append(h).append("\" rx=\"2\"><title>")
                    .append(escape(what)).append("\n+").append(seconds(Duration.between(origin, shownFrom)));
            if (shownTo != null) {
                out.append(" \u2192 +").append(seconds(Duration.between(origin, shownTo))).append(" (")
                        .append(seconds(Duration.between(shownFrom, shownTo))).append(')');
            } else {
                out.append(" \u2192 still so when the report was taken");
            }
            out.append("</title></rect>\n");
        }

        private void cross(double x, int y, String what) {
            int cy = y + BAR / 2;
            out.append("<g class=\"cross\"><title>").append(escape(what)).append("</title>")
                    .append("<path d=\"M").append(px(x - 5)).append(' ').append(cy - 5).append(" L").append(px(x + 5))
                    .append(' ').append(cy + 5).append(" M").append(px(x - 5)).append(' ').append(cy + 5).append(" L")
                    .append(px(x + 5)).append(' ').append(cy - 5).append("\"/></g>\n");
        }

        private void legend() {
            out.append("<p class=\"legend\">")
                    .append("<span><i class=\"k wait\"></i>waiting for dependencies</span>")
                    .append("<span><i class=\"k attempt\"></i>attempt (start + probe)</span>")
                    .append("<span><i class=\"k failed\"></i>failed attempt &times;</span>")
                    .append("<span><i class=\"k backoff\"></i>backoff</span>")
                    .append("<span><i class=\"k healthy\"></i>healthy</span>")
                    .append("<span><i class=\"k degraded\"></i>unhealthy / degraded</span>")
                    .append("<span>\u25B6 critical path</span>")
                    .append("<span>hover a row for its dependencies, a bar for its times and error</span></p>\n");
        }

        private void table(Set<String> critical) {
            out.append("<table>\n<thead><tr><th>component</th><th>required</th><th>depends on</th><th>state</th>")
                    .append("<th>attempts</th><th>waited</th><th>first attempt</th><th>ready at</th><th>took</th>")
                    .append("<th>last error</th></tr></thead>\n<tbody>\n");
            for (ComponentReport c : report.components()) {
                out.append("<tr").append(critical.contains(c.name()) ? " class=\"critical\"" : "").append("><td>")
                        .append(escape(c.name())).append("</td><td>").append(c.required() ? "yes" : "no").append("</td><td>")
                        .append(c.dependsOn().isEmpty() ? "-" : escape(String.join(", ", c.dependsOn())))
                        .append("</td><td class=\"state-").append(c.state().name().toLowerCase(Locale.ROOT)).append("\">")
                        .append(c.state()).append("</td><td class=\"num\">").append(c.attempts())
                        .append("</td><td class=\"num\">").append(seconds(c.waitDuration()))
                        .append("</td><td class=\"num\">").append(offset(c.firstAttemptAt()))
                        .append("</td><td class=\"num\">").append(offset(c.readyAt()))
                        .append("</td><td class=\"num\">").append(seconds(c.startDuration()))
                        .append("</td><td class=\"err\">").append(c.lastError() == null ? "-" : escape(c.lastError()))
                        .append("</td></tr>\n");
            }
            out.append("</tbody>\n</table>\n");
        }

        private double x(Instant t) {
            return LABEL_WIDTH + Duration.between(origin, t).toNanos() * pxPerNano;
        }

        private String offset(Instant at) {
            return at == null || origin == null ? "-" : "+" + seconds(Duration.between(origin, at));
        }

        private static List<Instant> instants(ComponentReport c) {
            List<Instant> all = new ArrayList<>();
            addIfPresent(all, c.waitingSince());
            addIfPresent(all, c.firstAttemptAt());
            addIfPresent(all, c.readyAt());
            for (AttemptRecord a : c.attemptHistory()) {
                addIfPresent(all, a.startedAt());
                addIfPresent(all, a.endedAt());
            }
            for (TransitionRecord t : c.transitions()) {
                addIfPresent(all, t.at());
            }
            return all;
        }

        private static void addIfPresent(List<Instant> all, Instant t) {
            if (t != null) {
                all.add(t);
            }
        }

        private static Instant min(Instant a, Instant b) {
            return a.isBefore(b) ? a : b;
        }

        /** 1, 2 or 5 times a power of ten milliseconds, so the axis has at most about 12 ticks. */
        static long tickStep(long spanNanos) {
            long step = 1_000_000L;
            while (true) {
                for (long m : new long[] {1, 2, 5}) {
                    if (spanNanos / (step * m) <= 12) {
                        return step * m;
                    }
                }
                step *= 10;
            }
        }

        private static String tickLabel(long nanos, long step) {
            if (step >= 1_000_000_000L) {
                return String.format(Locale.ROOT, "%ds", nanos / 1_000_000_000L);
            }
            if (step >= 100_000_000L) {
                return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
            }
            return String.format(Locale.ROOT, "%dms", nanos / 1_000_000L);
        }

        private static String ellipsis(String s, int max) {
            return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
        }

        private static String px(double v) {
            return String.format(Locale.ROOT, "%.1f", v);
        }

        private static String seconds(Duration d) {
            return d == null ? "-" : String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
        }
    }

    private static final String CSS = String.join("\n",
            "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI','DejaVu Sans',sans-serif;margin:20px;color:#1f2328;background:#fff}",
            "h1{font-size:20px;margin:0 0 4px}",
            ".summary{margin:0 0 12px}.summary .cp{font-weight:600;color:#8250df}",
            "svg.timeline{display:block;border:1px solid #d0d7de;border-radius:6px;background:#fff}",
            ".band{fill:transparent}.row.alt .band{fill:#f6f8fa}",
            ".row.critical .band{fill:#f3ecff}.row:hover .band{fill:#fff8c5}.row.dep .band{fill:#ddf4ff}",
            ".row.dep .label{font-weight:700}",
            ".label{font-size:13px;fill:#1f2328}.row.critical .label{font-weight:600;fill:#8250df}",
            ".opt{fill:#6e7781;font-size:11px;font-style:italic}",
            ".tick{stroke:#eaeef2}.tick-label{font-size:11px;fill:#6e7781;text-anchor:middle}",
            ".wait{fill:#d0d7de}.attempt{fill:#4a90d9}.attempt.failed{fill:#d9534f}",
            ".backoff{fill:url(#hatch)}.healthy{fill:#46a35a}.unhealthy,.degraded{fill:#e3b341}",
            ".row.critical rect.attempt,.row.critical rect.healthy{stroke:#8250df;stroke-width:2}",
            ".cross path{stroke:#a40e26;stroke-width:2.5;fill:none}",
            ".ready{stroke:#1a7f37;stroke-width:2;stroke-dasharray:5 3}.ready-label{font-size:12px;font-weight:700;fill:#1a7f37}",
            ".legend span{margin-right:16px;white-space:nowrap;font-size:12px}",
            ".legend i.k{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle;border-radius:2px}",
            "i.k.wait{background:#d0d7de}i.k.attempt{background:#4a90d9}i.k.failed{background:#d9534f}",
            "i.k.backoff{background:repeating-linear-gradient(45deg,#e8963a 0 3px,#fbe3c0 3px 6px)}",
            "i.k.healthy{background:#46a35a}i.k.degraded{background:#e3b341}",
            "table{border-collapse:collapse;margin-top:8px;font-size:13px}",
            "th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}",
            "th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}",
            "td.err{max-width:520px;white-space:pre-wrap;word-break:break-word;color:#a40e26}",
            "td:first-child{white-space:nowrap}tr.critical td:first-child{font-weight:600;color:#8250df}",
            ".state-running{color:#1a7f37}.state-failed{color:#a40e26;font-weight:600}.state-degraded{color:#9a6700}",
            "");

    /** Outlines the rows a hovered row depends on; indices only, so no name reaches the script. */
    private static final String SCRIPT = String.join("\n",
            "(function(){",
            "  var rows=document.querySelectorAll('svg.timeline g.row');",
            "  rows.forEach(function(r){",
            "    var deps=(r.getAttribute('data-deps')||'').split(' ').filter(Boolean);",
            "    r.addEventListener('mouseenter',function(){deps.forEach(function(d){rows[+d].classList.add('dep');});});",
            "    r.addEventListener('mouseleave',function(){deps.forEach(function(d){rows[+d].classList.remove('dep');});});",
            "  });",
            "})();",
            "");
}
