package dev.coldstart.coordination;

import java.util.function.BooleanSupplier;

/**
 * One feature flag bound to an optional component; obtained from {@link FeatureFlags#flag(String)}.
 * Reading it is lock-free and allocation-free. Thread-safe.
 */
public final class FeatureFlag implements BooleanSupplier {
    private final FeatureFlags flags;
    private final String component;

    FeatureFlag(FeatureFlags flags, String component) {
        this.flags = flags;
        this.component = component;
    }

    /**
     * Whether the feature is on.
     *
     * @return true while the component is healthy
     */
    public boolean isOn() {
        return flags.isOn(component);
    }

    /**
     * Same as {@link #isOn()}.
     *
     * @return true while the component is healthy
     */
    @Override
    public boolean getAsBoolean() {
        return isOn();
    }

    /**
     * The component behind the flag.
     *
     * @return the component's name
     */
    public String component() {
        return component;
    }

    @Override
    public String toString() {
        return "FeatureFlag{" + component + '=' + (isOn() ? "on" : "off") + '}';
    }
}
