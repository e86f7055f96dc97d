package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of the coordination scenarios CS-06 to CS-10, with the defaults of the scenario
 * catalogue ({@code SCENARIOS.md}) where it names them and small figures that keep the five
 * scenarios under a minute and a half where it does not. Override
 * {@link CoordinationScenarios#coordinationScenarioParameters()} to run the same scenarios with your
 * own figures. Immutable and thread-safe; builders are not thread-safe.
 */
public final class CoordinationScenarioParameters {
    private static final CoordinationScenarioParameters DEFAULTS = builder().build();

    private final Duration startDeadline;
    private final Duration cs06SlowDependencyDelay;
    private final Duration cs06ComponentDuration;
    private final double cs06CriticalPathTolerance;
    private final Duration cs07ReadyPollInterval;
    private final Duration cs07SignalPollInterval;
    private final Duration cs07DatabaseConnectLatency;
    private final int cs07FailedDatabaseConnections;
    private final int cs08RacingThreads;
    private final Duration cs08RetryTimeout;
    private final Duration cs08HolderReleasesAfter;
    private final int cs08TimeWaitConnections;
    private final Duration cs08RebindDeadline;
    private final Duration cs09RegistryTtl;
    private final Duration cs09LookupTimeout;
    private final Duration cs09MissingServiceTimeout;
    private final Duration cs09DrainDelay;
    private final Duration cs09DatabaseConnectLatency;
    private final Duration cs10OptionalStartTimeout;
    private final Duration cs10RecoveryDeadline;
    private final Duration cs10RequiredDownWindow;

    private CoordinationScenarioParameters(Builder b) {
        this.startDeadline = b.startDeadline;
        this.cs06SlowDependencyDelay = b.cs06SlowDependencyDelay;
        this.cs06ComponentDuration = b.cs06ComponentDuration;
        this.cs06CriticalPathTolerance = b.cs06CriticalPathTolerance;
        this.cs07ReadyPollInterval = b.cs07ReadyPollInterval;
        this.cs07SignalPollInterval = b.cs07SignalPollInterval;
        this.cs07DatabaseConnectLatency = b.cs07DatabaseConnectLatency;
        this.cs07FailedDatabaseConnections = b.cs07FailedDatabaseConnections;
        this.cs08RacingThreads = b.cs08RacingThreads;
        this.cs08RetryTimeout = b.cs08RetryTimeout;
        this.cs08HolderReleasesAfter = b.cs08HolderReleasesAfter;
        this.cs08TimeWaitConnections = b.cs08TimeWaitConnections;
        this.cs08RebindDeadline = b.cs08RebindDeadline;
        this.cs09RegistryTtl = b.cs09RegistryTtl;
        this.cs09LookupTimeout = b.cs09LookupTimeout;
        this.cs09MissingServiceTimeout = b.cs09MissingServiceTimeout;
        this.cs09DrainDelay = b.cs09DrainDelay;
        this.cs09DatabaseConnectLatency = b.cs09DatabaseConnectLatency;
        this.cs10OptionalStartTimeout = b.cs10OptionalStartTimeout;
        this.cs10RecoveryDeadline = b.cs10RecoveryDeadline;
        this.cs10RequiredDownWindow = b.cs10RequiredDownWindow;
    }

    /**
     * The catalogue's figures.
     *
     * @return the shared defaults
     */
    public static CoordinationScenarioParameters ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with the catalogue's figures.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these figures.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.startDeadline = startDeadline;
        b.cs06SlowDependencyDelay = cs06SlowDependencyDelay;
        b.cs06ComponentDuration = cs06ComponentDuration;
        b.cs06CriticalPathTolerance = cs06CriticalPathTolerance;
        b.cs07ReadyPollInterval = cs07ReadyPollInterval;
        b.cs07SignalPollInterval = cs07SignalPollInterval;
        b.cs07DatabaseConnectLatency = cs07DatabaseConnectLatency;
        b.cs07FailedDatabaseConnections = cs07FailedDatabaseConnections;
        b.cs08RacingThreads = cs08RacingThreads;
        b.cs08RetryTimeout = cs08RetryTimeout;
        b.cs08HolderReleasesAfter = cs08HolderReleasesAfter;
        b.cs08TimeWaitConnections = cs08TimeWaitConnections;
        b.cs08RebindDeadline = cs08RebindDeadline;
        b.cs09RegistryTtl = cs09RegistryTtl;
        b.cs09LookupTimeout = cs09LookupTimeout;
        b.cs09MissingServiceTimeout = cs09MissingServiceTimeout;
        b.cs09DrainDelay = cs09DrainDelay;
        b.cs09DatabaseConnectLatency = cs09DatabaseConnectLatency;
        b.cs10OptionalStartTimeout = cs10OptionalStartTimeout;
        b.cs10RecoveryDeadline = cs10RecoveryDeadline;
        b.cs10RequiredDownWindow = cs10RequiredDownWindow;
        return b;
    }

    /**
     * All scenarios: the start deadline given to required components, and the bound on every wait for READY.
     *
     * @return default 60 s
     */
    public Duration startDeadline() {
        return startDeadline;
    }

    /**
     * CS-06: how long component A takes to become healthy.
     *
     * @return default 2 s
     */
    public Duration cs06SlowDependencyDelay() {
        return cs06SlowDependencyDelay;
    }

    /**
     * CS-06: how long each of B, C, D and the independent E take to become healthy.
     *
     * @return default 200 ms
     */
    public Duration cs06ComponentDuration() {
        return cs06ComponentDuration;
    }

    /**
     * CS-06: how much longer than the critical path the whole startup may take, as a fraction.
     *
     * @return default 0.10 (10 %)
     */
    public double cs06CriticalPathTolerance() {
        return cs06CriticalPathTolerance;
    }

    /**
     * CS-07: interval of the client polling {@code /health/ready}.
     *
     * @return default 5 ms
     */
    public Duration cs07ReadyPollInterval() {
        return cs07ReadyPollInterval;
    }

    /**
     * CS-07: interval of the clients polling {@code /health/live} and {@code /health/started}.
     *
     * @return default 20 ms
     */
    public Duration cs07SignalPollInterval() {
        return cs07SignalPollInterval;
    }

    /**
     * CS-07: latency the proxy adds to each database connect, for a slow start.
     *
     * @return default 200 ms
     */
    public Duration cs07DatabaseConnectLatency() {
        return cs07DatabaseConnectLatency;
    }

    /**
     * CS-07: how many of the first database connections the proxy resets, so a component whose start succeeded fails its probe.
     *
     * @return default 1
     */
    public int cs07FailedDatabaseConnections() {
        return cs07FailedDatabaseConnections;
    }

    /**
     * CS-08: threads racing to bind one port.
     *
     * @return default 16
     */
    public int cs08RacingThreads() {
        return cs08RacingThreads;
    }

    /**
     * CS-08: retry deadline of {@code PortPolicy.RETRY} while another process holds the port.
     *
     * @return default 1 s
     */
    public Duration cs08RetryTimeout() {
        return cs08RetryTimeout;
    }

    /**
     * CS-08: when the other process releases the port in the retry case that must succeed; shorter than the retry deadline the service gets.
     *
     * @return default 500 ms
     */
    public Duration cs08HolderReleasesAfter() {
        return cs08HolderReleasesAfter;
    }

    /**
     * CS-08: connections the server closes first before the restart, so they sit in TIME_WAIT.
     *
     * @return default 20
     */
    public int cs08TimeWaitConnections() {
        return cs08TimeWaitConnections;
    }

    /**
     * CS-08: how long the bind of a restart over connections in TIME_WAIT may take ("at once").
     *
     * @return default 500 ms
     */
    public Duration cs08RebindDeadline() {
        return cs08RebindDeadline;
    }

    /**
     * CS-09: TTL of Redis registrations; an instance killed without deregistering must be gone within it.
     *
     * @return default 2 s
     */
    public Duration cs09RegistryTtl() {
        return cs09RegistryTtl;
    }

    /**
     * CS-09: B's deadline while it waits for A to appear.
     *
     * @return default 20 s
     */
    public Duration cs09LookupTimeout() {
        return cs09LookupTimeout;
    }

    /**
     * CS-09: B's deadline for a service that never appears; the clear error comes then.
     *
     * @return default 1 s
     */
    public Duration cs09MissingServiceTimeout() {
        return cs09MissingServiceTimeout;
    }

    /**
     * CS-09: the drain delay A gets: it must serve at least this long after it left the registry.
     *
     * @return default 500 ms
     */
    public Duration cs09DrainDelay() {
        return cs09DrainDelay;
    }

    /**
     * CS-09: latency the proxy adds to each of A's database connects, so B looks A up while A starts.
     *
     * @return default 200 ms
     */
    public Duration cs09DatabaseConnectLatency() {
        return cs09DatabaseConnectLatency;
    }

    /**
     * CS-10: the start deadline of optional components, after which they are degraded.
     *
     * @return default 2 s
     */
    public Duration cs10OptionalStartTimeout() {
        return cs10OptionalStartTimeout;
    }

    /**
     * CS-10: time from the optional dependency's return until the component, its flag and the health details are back.
     *
     * @return default 15 s
     */
    public Duration cs10RecoveryDeadline() {
        return cs10RecoveryDeadline;
    }

    /**
     * CS-10: how long READY is watched (and must stay off) while a required dependency is down.
     *
     * @return default 3 s
     */
    public Duration cs10RequiredDownWindow() {
        return cs10RequiredDownWindow;
    }

    @Override
    public String toString() {
        return "CoordinationScenarioParameters{"
                + "startDeadline=" + startDeadline + ", cs06SlowDependencyDelay=" + cs06SlowDependencyDelay + ", cs06ComponentDuration=" + cs06ComponentDuration
                + ", cs06CriticalPathTolerance=" + cs06CriticalPathTolerance + ", cs07ReadyPollInterval=" + cs07ReadyPollInterval + ", cs07SignalPollInterval=" + cs07SignalPollInterval
                + ", cs07DatabaseConnectLatency=" + cs07DatabaseConnectLatency + ", cs07FailedDatabaseConnections=" + cs07FailedDatabaseConnections + ", cs08RacingThreads=" + cs08RacingThreads
                + ", cs08RetryTimeout=" + cs08RetryTimeout + ", cs08HolderReleasesAfter=" + cs08HolderReleasesAfter + ", cs08TimeWaitConnections=" + cs08TimeWaitConnections
                + ", cs08RebindDeadline=" + cs08RebindDeadline + ", cs09RegistryTtl=" + cs09RegistryTtl + ", cs09LookupTimeout=" + cs09LookupTimeout
                + ", cs09MissingServiceTimeout=" + cs09MissingServiceTimeout + ", cs09DrainDelay=" + cs09DrainDelay + ", cs09DatabaseConnectLatency=" + cs09DatabaseConnectLatency
                + ", cs10OptionalStartTimeout=" + cs10OptionalStartTimeout + ", cs10RecoveryDeadline=" + cs10RecoveryDeadline + ", cs10RequiredDownWindow=" + cs10RequiredDownWindow + '}';
    }

    /** Builder for {@link CoordinationScenarioParameters}; not thread-safe. */
    public static final class Builder {
        private Duration startDeadline = Duration.ofSeconds(60);
        private Duration cs06SlowDependencyDelay = Duration.ofSeconds(2);
        private Duration cs06ComponentDuration = Duration.ofMillis(200);
        private double cs06CriticalPathTolerance = 0.10;
        private Duration cs07ReadyPollInterval = Duration.ofMillis(5);
        private Duration cs07SignalPollInterval = Duration.ofMillis(20);
        private Duration cs07DatabaseConnectLatency = Duration.ofMillis(200);
        private int cs07FailedDatabaseConnections = 1;
        private int cs08RacingThreads = 16;
        private Duration cs08RetryTimeout = Duration.ofSeconds(1);
        private Duration cs08HolderReleasesAfter = Duration.ofMillis(500);
        private int cs08TimeWaitConnections = 20;
        private Duration cs08RebindDeadline = Duration.ofMillis(500);
        private Duration cs09RegistryTtl = Duration.ofSeconds(2);
        private Duration cs09LookupTimeout = Duration.ofSeconds(20);
        private Duration cs09MissingServiceTimeout = Duration.ofSeconds(1);
        private Duration cs09DrainDelay = Duration.ofMillis(500);
        private Duration cs09DatabaseConnectLatency = Duration.ofMillis(200);
        private Duration cs10OptionalStartTimeout = Duration.ofSeconds(2);
        private Duration cs10RecoveryDeadline = Duration.ofSeconds(15);
        private Duration cs10RequiredDownWindow = Duration.ofSeconds(3);

        private Builder() {
        }

        /**
         * Sets, for all scenarios, the start deadline given to required components, and the bound on every wait for READY.
         *
         * @param startDeadline positive; default 60 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder startDeadline(Duration startDeadline) {
            this.startDeadline = Checks.positive(startDeadline, "startDeadline");
            return this;
        }

        /**
         * Sets, for CS-06: how long component A takes to become healthy.
         *
         * @param cs06SlowDependencyDelay positive; default 2 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs06SlowDependencyDelay(Duration cs06SlowDependencyDelay) {
            this.cs06SlowDependencyDelay = Checks.positive(cs06SlowDependencyDelay, "cs06SlowDependencyDelay");
            return this;
        }

        /**
         * Sets, for CS-06: how long each of B, C, D and the independent E take to become healthy.
         *
         * @param cs06ComponentDuration positive; default 200 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs06ComponentDuration(Duration cs06ComponentDuration) {
            this.cs06ComponentDuration = Checks.positive(cs06ComponentDuration, "cs06ComponentDuration");
            return this;
        }

        /**
         * Sets, for CS-06: how much longer than the critical path the whole startup may take, as a fraction.
         *
         * @param cs06CriticalPathTolerance between 0 and 1; default 0.10 (10 %)
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs06CriticalPathTolerance(double cs06CriticalPathTolerance) {
            this.cs06CriticalPathTolerance = Checks.inRange(cs06CriticalPathTolerance, 0.0, 1.0, "cs06CriticalPathTolerance");
            return this;
        }

        /**
         * Sets, for CS-07: interval of the client polling {@code /health/ready}.
         *
         * @param cs07ReadyPollInterval positive; default 5 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs07ReadyPollInterval(Duration cs07ReadyPollInterval) {
            this.cs07ReadyPollInterval = Checks.positive(cs07ReadyPollInterval, "cs07ReadyPollInterval");
            return this;
        }

        /**
         * Sets, for CS-07: interval of the clients polling {@code /health/live} and {@code /health/started}.
         *
         * @param cs07SignalPollInterval positive; default 20 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs07SignalPollInterval(Duration cs07SignalPollInterval) {
            this.cs07SignalPollInterval = Checks.positive(cs07SignalPollInterval, "cs07SignalPollInterval");
            return this;
        }

        /**
         * Sets, for CS-07: latency the proxy adds to each database connect, for a slow start.
         *
         * @param cs07DatabaseConnectLatency zero or more; default 200 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs07DatabaseConnectLatency(Duration cs07DatabaseConnectLatency) {
            this.cs07DatabaseConnectLatency = Checks.notNegative(cs07DatabaseConnectLatency, "cs07DatabaseConnectLatency");
            return this;
        }

        /**
         * Sets, for CS-07: how many of the first database connections the proxy resets, so a component whose start succeeded fails its probe.
         *
         * @param cs07FailedDatabaseConnections at least 1; default 1
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs07FailedDatabaseConnections(int cs07FailedDatabaseConnections) {
            this.cs07FailedDatabaseConnections = Checks.positive(cs07FailedDatabaseConnections, "cs07FailedDatabaseConnections");
            return this;
        }

        /**
         * Sets, for CS-08: threads racing to bind one port.
         *
         * @param cs08RacingThreads at least 2; default 16
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs08RacingThreads(int cs08RacingThreads) {
            Checks.check(cs08RacingThreads >= 2, "cs08RacingThreads must be at least 2, but was " + cs08RacingThreads);
            this.cs08RacingThreads = cs08RacingThreads;
            return this;
        }

        /**
         * Sets, for CS-08: retry deadline of {@code PortPolicy.RETRY} while another process holds the port.
         *
         * @param cs08RetryTimeout positive; default 1 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs08RetryTimeout(Duration cs08RetryTimeout) {
            this.cs08RetryTimeout = Checks.positive(cs08RetryTimeout, "cs08RetryTimeout");
            return this;
        }

        /**
         * Sets, for CS-08: when the other process releases the port in the retry case that must succeed; shorter than the retry deadline the service gets.
         *
         * @param cs08HolderReleasesAfter positive; default 500 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs08HolderReleasesAfter(Duration cs08HolderReleasesAfter) {
            this.cs08HolderReleasesAfter = Checks.positive(cs08HolderReleasesAfter, "cs08HolderReleasesAfter");
            return this;
        }

        /**
         * Sets, for CS-08: connections the server closes first before the restart, so they sit in TIME_WAIT.
         *
         * @param cs08TimeWaitConnections at least 1; default 20
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs08TimeWaitConnections(int cs08TimeWaitConnections) {
            this.cs08TimeWaitConnections = Checks.positive(cs08TimeWaitConnections, "cs08TimeWaitConnections");
            return this;
        }

        /**
         * Sets, for CS-08: how long the bind of a restart over connections in TIME_WAIT may take ("at once").
         *
         * @param cs08RebindDeadline positive; default 500 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs08RebindDeadline(Duration cs08RebindDeadline) {
            this.cs08RebindDeadline = Checks.positive(cs08RebindDeadline, "cs08RebindDeadline");
            return this;
        }

        /**
         * Sets, for CS-09: TTL of Redis registrations; an instance killed without deregistering must be gone within it.
         *
         * @param cs09RegistryTtl positive; default 2 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs09RegistryTtl(Duration cs09RegistryTtl) {
            this.cs09RegistryTtl = Checks.positive(cs09RegistryTtl, "cs09RegistryTtl");
            return this;
        }

        /**
         * Sets, for CS-09: B's deadline while it waits for A to appear.
         *
         * @param cs09LookupTimeout positive; default 20 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs09LookupTimeout(Duration cs09LookupTimeout) {
            this.cs09LookupTimeout = Checks.positive(cs09LookupTimeout, "cs09LookupTimeout");
            return this;
        }

        /**
         * Sets, for CS-09: B's deadline for a service that never appears; the clear error comes then.
         *
         * @param cs09MissingServiceTimeout positive; default 1 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs09MissingServiceTimeout(Duration cs09MissingServiceTimeout) {
            this.cs09MissingServiceTimeout = Checks.positive(cs09MissingServiceTimeout, "cs09MissingServiceTimeout");
            return this;
        }

        /**
         * Sets, for CS-09: the drain delay A gets: it must serve at least this long after it left the registry.
         *
         * @param cs09DrainDelay zero or more; default 500 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs09DrainDelay(Duration cs09DrainDelay) {
            this.cs09DrainDelay = Checks.notNegative(cs09DrainDelay, "cs09DrainDelay");
            return this;
        }

        /**
         * Sets, for CS-09: latency the proxy adds to each of A's database connects, so B looks A up while A starts.
         *
         * @param cs09DatabaseConnectLatency zero or more; default 200 ms
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs09DatabaseConnectLatency(Duration cs09DatabaseConnectLatency) {
            this.cs09DatabaseConnectLatency = Checks.notNegative(cs09DatabaseConnectLatency, "cs09DatabaseConnectLatency");
            return this;
        }

        /**
         * Sets, for CS-10: the start deadline of optional components, after which they are degraded.
         *
         * @param cs10OptionalStartTimeout positive; default 2 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs10OptionalStartTimeout(Duration cs10OptionalStartTimeout) {
            this.cs10OptionalStartTimeout = Checks.positive(cs10OptionalStartTimeout, "cs10OptionalStartTimeout");
            return this;
        }

        /**
         * Sets, for CS-10: time from the optional dependency's return until the component, its flag and the health details are back.
         *
         * @param cs10RecoveryDeadline positive; default 15 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs10RecoveryDeadline(Duration cs10RecoveryDeadline) {
            this.cs10RecoveryDeadline = Checks.positive(cs10RecoveryDeadline, "cs10RecoveryDeadline");
            return this;
        }

        /**
         * Sets, for CS-10: how long READY is watched (and must stay off) while a required dependency is down.
         *
         * @param cs10RequiredDownWindow positive; default 3 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if the value breaks its rule
         */
        public Builder cs10RequiredDownWindow(Duration cs10RequiredDownWindow) {
            this.cs10RequiredDownWindow = Checks.positive(cs10RequiredDownWindow, "cs10RequiredDownWindow");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         * @throws dev.coldstart.core.ConfigurationException if the CS-08 release does not come before
         *     its retry deadline
         */
        public CoordinationScenarioParameters build() {
            Checks.check(cs08HolderReleasesAfter.compareTo(cs08RetryTimeout) < 0, "cs08HolderReleasesAfter must be "
                    + "less than cs08RetryTimeout (" + cs08RetryTimeout + "), but was " + cs08HolderReleasesAfter);
            return new CoordinationScenarioParameters(this);
        }
    }
}
