package dev.coldstart.core;

import java.util.List;

/**
 * One or more required components did not become healthy before their deadline (or failed with a
 * {@link NonRetryableException}), so the service never reached READY. Carries the full
 * {@link StartupReport} so the caller can print or store it; the first failure is the cause.
 */
public final class StartupFailedException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    private final transient StartupReport report;
    /** Names of the required components that did not become healthy. */
    private final List<String> failedComponents;

    /**
     * Creates the exception.
     *
     * @param failedComponents names of the required components that failed; not empty
     * @param report the report at the moment of failure; not null
     * @param cause the first component's last error; may be null
     */
    public StartupFailedException(List<String> failedComponents, StartupReport report, Throwable cause) {
        super(message(failedComponents, report), cause);
        this.failedComponents = List.copyOf(failedComponents);
        this.report = report;
    }

    private static String message(List<String> failed, StartupReport report) {
        StringBuilder sb = new StringBuilder("startup failed, the service will not become READY; "
                + "these required components did not become healthy: ");
        for (int i = 0; i < failed.size(); i++) {
            String name = failed.get(i);
            ComponentReport c = report.component(name);
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(name);
            if (c != null) {
                sb.append(" (").append(c.state()).append(" after ").append(c.attempts()).append(" attempt(s)");
                if (c.lastError() != null) {
                    sb.append(": ").append(c.lastError());
                }
                sb.append(')');
            }
        }
        sb.append(". Check that the dependencies are reachable from this host, or raise the start timeout.");
        return sb.toString();
    }

    /**
     * Names of the required components that failed, in start order.
     *
     * @return an immutable, non-empty list
     */
    public List<String> failedComponents() {
        return failedComponents;
    }

    /**
     * The startup report at the moment of failure.
     *
     * @return the report; null only after Java deserialisation, which drops it
     */
    public StartupReport report() {
        return report;
    }
}
