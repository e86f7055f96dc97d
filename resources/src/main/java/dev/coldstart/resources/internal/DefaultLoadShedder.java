package dev.coldstart.resources.internal;

import dev.coldstart.core.Checks;
import dev.coldstart.resources.LoadShedder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shedder behind {@link LoadShedder#create()}: an immutable snapshot swapped by compare-and-set. */
public final class DefaultLoadShedder implements LoadShedder {
    private static final Logger log = LoggerFactory.getLogger(DefaultLoadShedder.class);
    private static final Snapshot OFF = new Snapshot(Map.of());

    /** Immutable: the raised sources in raise order, and the derived flag read on the hot path. */
    private static final class Snapshot {
        final Map<String, String> reasons;
        final boolean shedding;
        final String reason;

        Snapshot(Map<String, String> reasons) {
            this.reasons = reasons;
            this.shedding = !reasons.isEmpty();
            this.reason = shedding ? reasons.values().iterator().next() : null;
        }
    }

    private final AtomicReference<Snapshot> state = new AtomicReference<>(OFF);
    private final LongAdder shed = new LongAdder();

    @Override
    public boolean shouldShed() {
        return state.get().shedding;
    }

    @Override
    public void recordShed() {
        shed.increment();
    }

    @Override
    public long shedCount() {
        return shed.sum();
    }

    @Override
    public String reason() {
        return state.get().reason;
    }

    @Override
    public Set<String> sources() {
        return state.get().reasons.keySet();
    }

    @Override
    public void shed(String source, String reason) {
        Checks.notBlank(source, "source");
        Checks.notNull(reason, "reason");
        Snapshot prev;
        Snapshot next;
        do {
            prev = state.get();
            if (reason.equals(prev.reasons.get(source))) {
                return;
            }
            Map<String, String> m = new LinkedHashMap<>(prev.reasons);
            m.put(source, reason);
            next = new Snapshot(Collections.unmodifiableMap(m));
        } while (!state.compareAndSet(prev, next));
        if (!prev.reasons.containsKey(source)) {
            log.warn("{} - load shedding raised: {}", source, reason);
        }
    }

    @Override
    public void clear(String source) {
        Checks.notBlank(source, "source");
        Snapshot prev;
        Snapshot next;
        do {
            prev = state.get();
            if (!prev.reasons.containsKey(source)) {
                return;
            }
            Map<String, String> m = new LinkedHashMap<>(prev.reasons);
            m.remove(source);
            next = m.isEmpty() ? OFF : new Snapshot(Collections.unmodifiableMap(m));
        } while (!state.compareAndSet(prev, next));
        log.info("{} - load shedding cleared{}", source, next.shedding ? "; still shedding for " + next.reasons.keySet() : "");
    }

    @Override
    public String toString() {
        Snapshot s = state.get();
        return s.shedding ? "LoadShedder[shedding " + s.reasons + "]" : "LoadShedder[admitting]";
    }
}
