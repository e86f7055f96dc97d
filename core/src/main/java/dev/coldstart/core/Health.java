package dev.coldstart.core;

import java.util.Objects;

/**
 * The outcome of one real health probe: up, or down with a reason an operator can act on.
 *
 * <p>Immutable and thread-safe. The reason is shown in probe responses and reports, so it must not
 * carry secrets (passwords, tokens) or stack traces.
 */
public final class Health {
    private static final Health UP = new Health(true, null);

    private final boolean up;
    private final String reason;

    private Health(boolean up, String reason) {
        this.up = up;
        this.reason = reason;
    }

    /**
     * A passing probe.
     *
     * @return the shared "up" instance
     */
    public static Health up() {
        return UP;
    }

    /**
     * A failing probe.
     *
     * @param reason why, for example {@code "SELECT 1 timed out after 2 s"}; not null
     * @return a "down" result
     */
    public static Health down(String reason) {
        return new Health(false, Objects.requireNonNull(reason, "reason must not be null"));
    }

    /**
     * Whether the probe passed.
     *
     * @return true when up
     */
    public boolean isUp() {
        return up;
    }

    /**
     * Why the probe failed.
     *
     * @return the reason, or null when up
     */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return up ? "UP" : "DOWN(" + reason + ")";
    }
}
