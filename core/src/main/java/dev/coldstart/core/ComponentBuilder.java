package dev.coldstart.core;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Builds a {@link Component} from functions. Obtain one with {@link Component#builder(String)}.
 * Builders are not thread-safe; built components are as thread-safe as the functions given.
 */
public final class ComponentBuilder {

    /** A start or stop action that may throw. */
    @FunctionalInterface
    public interface Action {
        /**
         * Runs the action.
         *
         * @throws Exception any failure
         */
        void run() throws Exception;
    }

    private final String name;
    private final Set<String> dependsOn = new LinkedHashSet<>();
    private boolean required = true;
    private Action onStart = () -> { };
    private Callable<Health> probe = Health::up;
    private Action onStop = () -> { };

    ComponentBuilder(String name) {
        this.name = Checks.notBlank(name, "name");
    }

    /**
     * Adds dependencies that must be healthy before this component starts.
     *
     * @param names component names; not blank
     * @return this builder
     */
    public ComponentBuilder dependsOn(String... names) {
        for (String n : List.of(names)) {
            dependsOn.add(Checks.notBlank(n, "dependsOn"));
        }
        return this;
    }

    /**
     * Marks the component optional: its failure leaves the service READY in degraded mode.
     *
     * @return this builder
     */
    public ComponentBuilder optional() {
        this.required = false;
        return this;
    }

    /**
     * Sets whether the component is required (the default).
     *
     * @param required true when the service may not be READY without it
     * @return this builder
     */
    public ComponentBuilder required(boolean required) {
        this.required = required;
        return this;
    }

    /**
     * Sets the start action; by default nothing.
     *
     * @param onStart the action; not null
     * @return this builder
     */
    public ComponentBuilder onStart(Action onStart) {
        this.onStart = Checks.notNull(onStart, "onStart");
        return this;
    }

    /**
     * Sets the real health probe; by default always up, which is only right for components
     * whose start proves everything (a computation).
     *
     * @param probe the probe; not null
     * @return this builder
     */
    public ComponentBuilder probe(Callable<Health> probe) {
        this.probe = Checks.notNull(probe, "probe");
        return this;
    }

    /**
     * Sets the stop action; by default nothing.
     *
     * @param onStop the action; not null
     * @return this builder
     */
    public ComponentBuilder onStop(Action onStop) {
        this.onStop = Checks.notNull(onStop, "onStop");
        return this;
    }

    /**
     * Builds the component.
     *
     * @return an immutable component
     */
    public Component build() {
        String n = name;
        Set<String> deps = Set.copyOf(dependsOn);
        boolean req = required;
        Action start = onStart;
        Callable<Health> check = probe;
        Action stop = onStop;
        return new Component() {
            @Override
            public String name() {
                return n;
            }

            @Override
            public Set<String> dependsOn() {
                return deps;
            }

            @Override
            public boolean required() {
                return req;
            }

            @Override
            public void start() throws Exception {
                start.run();
            }

            @Override
            public Health probe() throws Exception {
                return check.call();
            }

            @Override
            public void stop(Duration drainTimeout) throws Exception {
                stop.run();
            }

            @Override
            public String toString() {
                return "Component[" + n + "]";
            }
        };
    }
}
