package dev.coldstart.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of the service's three availability signals, as Kubernetes probes read
 * them (kubernetes.io, "Configure Liveness, Readiness and Startup Probes"), and of each component.
 *
 * <ul>
 *   <li><b>started</b>: every required component has been healthy at least once; flips to true once
 *       and never back (a startup probe).</li>
 *   <li><b>live</b>: the orchestrator is running (not failed, not stopped); it does not depend on
 *       dependencies, so a slow start never gets the process killed.</li>
 *   <li><b>ready</b>: started, not stopping, and every required component's last real probe passed.
 *       Never set by hand.</li>
 * </ul>
 *
 * <p>Read on hot paths: the orchestrator publishes a new snapshot on each change through a
 * {@code volatile} field, so reading costs no lock and no allocation. Thread-safe.
 */
public final class Availability {
    private final ServiceState state;
    private final boolean started;
    private final boolean live;
    private final boolean ready;
    private final Map<String, ComponentStatus> components;
    private final List<String> degraded;

    /**
     * Creates a snapshot.
     *
     * @param state the overall state
     * @param started the startup signal
     * @param live the liveness signal
     * @param ready the readiness signal
     * @param components the status of every component, in declaration order
     */
    public Availability(ServiceState state, boolean started, boolean live, boolean ready, List<ComponentStatus> components) {
        this.state = Checks.requireArgument(state, "state");
        this.started = started;
        this.live = live;
        this.ready = ready;
        Map<String, ComponentStatus> byName = new LinkedHashMap<>();
        List<String> deg = new ArrayList<>();
        for (ComponentStatus c : components) {
            byName.put(c.name(), c);
            if (c.degraded()) {
                deg.add(c.name());
            }
        }
        this.components = java.util.Collections.unmodifiableMap(byName);
        this.degraded = List.copyOf(deg);
    }

    /**
     * The overall state.
     *
     * @return never null
     */
    public ServiceState state() {
        return state;
    }

    /**
     * The startup signal (answer of {@code /health/started}).
     *
     * @return true once every required component has been healthy
     */
    public boolean isStarted() {
        return started;
    }

    /**
     * The liveness signal (answer of {@code /health/live}).
     *
     * @return true while the orchestrator is neither failed nor stopped
     */
    public boolean isLive() {
        return live;
    }

    /**
     * The readiness signal (answer of {@code /health/ready}).
     *
     * @return true when every required component's last probe passed
     */
    public boolean isReady() {
        return ready;
    }

    /**
     * Whether the service runs without some optional component.
     *
     * @return true if any optional component is not healthy
     */
    public boolean isDegraded() {
        return !degraded.isEmpty();
    }

    /**
     * Names of the optional components that are not healthy.
     *
     * @return an immutable list in declaration order
     */
    public List<String> degradedComponents() {
        return degraded;
    }

    /**
     * The status of one component.
     *
     * @param name the component's name
     * @return its status, or null if no such component
     */
    public ComponentStatus component(String name) {
        return components.get(name);
    }

    /**
     * Whether a component is healthy now: the feature flag of an optional component.
     *
     * @param name the component's name
     * @return true if it exists and is running; false otherwise
     */
    public boolean isHealthy(String name) {
        ComponentStatus c = components.get(name);
        return c != null && c.healthy();
    }

    /**
     * Every component's status, in declaration order.
     *
     * @return an immutable map
     */
    public Map<String, ComponentStatus> components() {
        return components;
    }

    /**
     * A small JSON body for probe endpoints: the state, the three signals, degraded components and
     * per component its state and last error. Holds no secrets and no stack traces.
     *
     * @return a JSON object
     */
    public String toJson() {
        Json.Writer w = Json.writer();
        w.beginObject()
                .field("status", ready ? "UP" : "DOWN")
                .field("state", state.name())
                .field("started", started)
                .field("live", live)
                .field("ready", ready)
                .name("degraded").beginArray();
        for (String d : degraded) {
            w.value(d);
        }
        w.endArray().name("components").beginObject();
        for (ComponentStatus c : components.values()) {
            w.name(c.name()).beginObject()
                    .field("state", c.state().name())
                    .field("required", c.required())
                    .field("healthy", c.healthy());
            if (c.lastError() != null) {
                w.field("error", c.lastError());
            }
            w.endObject();
        }
        return w.endObject().endObject().toString();
    }

    @Override
    public String toString() {
        return "Availability{state=" + state + ", started=" + started + ", live=" + live + ", ready=" + ready
                + ", degraded=" + degraded + '}';
    }
}
