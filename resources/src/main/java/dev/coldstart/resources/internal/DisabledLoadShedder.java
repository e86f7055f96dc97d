package dev.coldstart.resources.internal;

import dev.coldstart.resources.LoadShedder;
import java.util.Set;

/** The null object behind {@link LoadShedder#disabled()}. */
public final class DisabledLoadShedder implements LoadShedder {
    /** The shared instance. */
    public static final DisabledLoadShedder INSTANCE = new DisabledLoadShedder();

    private DisabledLoadShedder() {
    }

    @Override
    public boolean shouldShed() {
        return false;
    }

    @Override
    public void recordShed() {
        // Disabled: it never sheds, so there is nothing to count.
    }

    @Override
    public long shedCount() {
        return 0;
    }

    @Override
    public String reason() {
        return null;
    }

    @Override
    public Set<String> sources() {
        return Set.of();
    }

    @Override
    public void shed(String source, String reason) {
        // Disabled: shedding is deliberately ignored.
    }

    @Override
    public void clear(String source) {
        // Disabled: nothing was raised.
    }

    @Override
    public String toString() {
        return "LoadShedder[disabled]";
    }
}
