package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of the database scenarios CS-01 to CS-05, with the defaults of the scenario
 * catalogue ({@code SCENARIOS.md}). Override {@link DatabaseScenarios#databaseScenarioParameters()}
 * to run the same scenarios with your own figures. Immutable; builders are not thread-safe.
 */
public final class DatabaseScenarioParameters {
    private static final DatabaseScenarioParameters DEFAULTS = builder().build();

    private final int poolRaceThreads;
    private final Duration poolRaceConnectLatency;
    private final Duration poolRaceDeadline;
    private final int migrationInstances;
    private final int seedingInstances;
    private final int seedingRepetitions;
    private final Map<String, Integer> seededRowCounts;
    private final String declaredCompatibleUpTo;
    private final int stormInstances;
    private final Duration stormOutage;
    private final Duration stormBaselineInterval;
    private final double stormMinAttemptRatio;
    private final Duration stormRecoveryBound;
    private final int stormPoolSize;
    private final Duration startDeadline;

    private DatabaseScenarioParameters(Builder b) {
        this.poolRaceThreads = b.poolRaceThreads;
        this.poolRaceConnectLatency = b.poolRaceConnectLatency;
        this.poolRaceDeadline = b.poolRaceDeadline;
        this.migrationInstances = b.migrationInstances;
        this.seedingInstances = b.seedingInstances;
        this.seedingRepetitions = b.seedingRepetitions;
        this.seededRowCounts = Map.copyOf(b.seededRowCounts);
        this.declaredCompatibleUpTo = b.declaredCompatibleUpTo;
        this.stormInstances = b.stormInstances;
        this.stormOutage = b.stormOutage;
        this.stormBaselineInterval = b.stormBaselineInterval;
        this.stormMinAttemptRatio = b.stormMinAttemptRatio;
        this.stormRecoveryBound = b.stormRecoveryBound;
        this.stormPoolSize = b.stormPoolSize;
        this.startDeadline = b.startDeadline;
    }

    /**
     * The catalogue's figures.
     *
     * @return the shared defaults
     */
    public static DatabaseScenarioParameters ofDefaults() {
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
        b.poolRaceThreads = poolRaceThreads;
        b.poolRaceConnectLatency = poolRaceConnectLatency;
        b.poolRaceDeadline = poolRaceDeadline;
        b.migrationInstances = migrationInstances;
        b.seedingInstances = seedingInstances;
        b.seedingRepetitions = seedingRepetitions;
        b.seededRowCounts.putAll(seededRowCounts);
        b.declaredCompatibleUpTo = declaredCompatibleUpTo;
        b.stormInstances = stormInstances;
        b.stormOutage = stormOutage;
        b.stormBaselineInterval = stormBaselineInterval;
        b.stormMinAttemptRatio = stormMinAttemptRatio;
        b.stormRecoveryBound = stormRecoveryBound;
        b.stormPoolSize = stormPoolSize;
        b.startDeadline = startDeadline;
        return b;
    }

    /**
     * CS-01: application threads asking for a connection as the pool is created.
     *
     * @return default 50
     */
    public int poolRaceThreads() {
        return poolRaceThreads;
    }

    /**
     * CS-01: latency the proxy adds to each database connect.
     *
     * @return default 200 ms
     */
    public Duration poolRaceConnectLatency() {
        return poolRaceConnectLatency;
    }

    /**
     * CS-01: time within which every thread must have run {@code SELECT 1}.
     *
     * @return default 10 s
     */
    public Duration poolRaceDeadline() {
        return poolRaceDeadline;
    }

    /**
     * CS-02: instances migrating the same empty schema at the same instant.
     *
     * @return default 4
     */
    public int migrationInstances() {
        return migrationInstances;
    }

    /**
     * CS-03: instances seeding at the same instant.
     *
     * @return default 8
     */
    public int seedingInstances() {
        return seedingInstances;
    }

    /**
     * CS-03: how many times the race is run, each on a fresh database.
     *
     * @return default 20
     */
    public int seedingRepetitions() {
        return seedingRepetitions;
    }

    /**
     * CS-03: queries returning one number, each with the value it must return after seeding, for
     * example {@code SELECT count(*) FROM tenant} to 1. Empty means the scenario only checks that no
     * retryable SQLSTATE reached the caller; give at least one to check "exactly one row per key".
     *
     * @return an immutable map; default empty
     */
    public Map<String, Integer> seededRowCounts() {
        return seededRowCounts;
    }

    /**
     * CS-04: the newest schema version the service declares itself compatible with, beyond the
     * migrations it ships; null when it declares none, so a newer schema must be refused.
     *
     * @return the version or null; default null
     */
    public String declaredCompatibleUpTo() {
        return declaredCompatibleUpTo;
    }

    /**
     * CS-05: instances starting while the database is down.
     *
     * @return default 20
     */
    public int stormInstances() {
        return stormInstances;
    }

    /**
     * CS-05: how long the database is down from the start.
     *
     * @return default 10 s
     */
    public Duration stormOutage() {
        return stormOutage;
    }

    /**
     * CS-05: the naive baseline's fixed retry interval.
     *
     * @return default 500 ms
     */
    public Duration stormBaselineInterval() {
        return stormBaselineInterval;
    }

    /**
     * CS-05: how many times fewer connection attempts the service must make than the baseline.
     *
     * @return default 5.0
     */
    public double stormMinAttemptRatio() {
        return stormMinAttemptRatio;
    }

    /**
     * CS-05: time after the database returns within which every instance must be READY: one
     * backoff cap of the service's retry policy plus 2 s.
     *
     * @return default 7 s (a 5 s cap plus 2 s)
     */
    public Duration stormRecoveryBound() {
        return stormRecoveryBound;
    }

    /**
     * CS-05: the pool size each instance is asked to use, so that the instances' sum fits the
     * server's {@code max_connections}.
     *
     * @return default 3
     */
    public int stormPoolSize() {
        return stormPoolSize;
    }

    /**
     * Start deadline the instances are given in every scenario (passed as
     * {@link ServiceEnvironment#startTimeout()}).
     *
     * @return default 60 s
     */
    public Duration startDeadline() {
        return startDeadline;
    }

    /** Builder for {@link DatabaseScenarioParameters}; not thread-safe. */
    public static final class Builder {
        private int poolRaceThreads = 50;
        private Duration poolRaceConnectLatency = Duration.ofMillis(200);
        private Duration poolRaceDeadline = Duration.ofSeconds(10);
        private int migrationInstances = 4;
        private int seedingInstances = 8;
        private int seedingRepetitions = 20;
        private final Map<String, Integer> seededRowCounts = new LinkedHashMap<>();
        private String declaredCompatibleUpTo;
        private int stormInstances = 20;
        private Duration stormOutage = Duration.ofSeconds(10);
        private Duration stormBaselineInterval = Duration.ofMillis(500);
        private double stormMinAttemptRatio = 5.0;
        private Duration stormRecoveryBound = Duration.ofSeconds(7);
        private int stormPoolSize = 3;
        private Duration startDeadline = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * Sets the CS-01 thread count.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder poolRaceThreads(int threads) {
            this.poolRaceThreads = Checks.positive(threads, "poolRaceThreads");
            return this;
        }

        /**
         * Sets the CS-01 connect latency.
         *
         * @param latency not negative
         * @return this builder
         */
        public Builder poolRaceConnectLatency(Duration latency) {
            this.poolRaceConnectLatency = Checks.notNegative(latency, "poolRaceConnectLatency");
            return this;
        }

        /**
         * Sets the CS-01 deadline.
         *
         * @param deadline positive
         * @return this builder
         */
        public Builder poolRaceDeadline(Duration deadline) {
            this.poolRaceDeadline = Checks.positive(deadline, "poolRaceDeadline");
            return this;
        }

        /**
         * Sets the CS-02 instance count.
         *
         * @param instances at least 2
         * @return this builder
         */
        public Builder migrationInstances(int instances) {
            Checks.check(instances >= 2, "migrationInstances must be at least 2, but was " + instances);
            this.migrationInstances = instances;
            return this;
        }

        /**
         * Sets the CS-03 instance count.
         *
         * @param instances at least 2
         * @return this builder
         */
        public Builder seedingInstances(int instances) {
            Checks.check(instances >= 2, "seedingInstances must be at least 2, but was " + instances);
            this.seedingInstances = instances;
            return this;
        }

        /**
         * Sets the CS-03 repetitions.
         *
         * @param repetitions at least 1
         * @return this builder
         */
        public Builder seedingRepetitions(int repetitions) {
            this.seedingRepetitions = Checks.positive(repetitions, "seedingRepetitions");
            return this;
        }

        /**
         * Adds a CS-03 check: a query returning one number, and the number it must return.
         *
         * @param query for example {@code SELECT count(*) FROM tenant}; not blank
         * @param expected the expected value
         * @return this builder
         */
        public Builder seededRowCount(String query, int expected) {
            this.seededRowCounts.put(Checks.notBlank(query, "query"), expected);
            return this;
        }

        /**
         * Sets the CS-04 declared compatibility.
         *
         * @param version a schema version, or null for none
         * @return this builder
         */
        public Builder declaredCompatibleUpTo(String version) {
            this.declaredCompatibleUpTo = version;
            return this;
        }

        /**
         * Sets the CS-05 instance count.
         *
         * @param instances at least 1
         * @return this builder
         */
        public Builder stormInstances(int instances) {
            this.stormInstances = Checks.positive(instances, "stormInstances");
            return this;
        }

        /**
         * Sets the CS-05 outage.
         *
         * @param outage positive
         * @return this builder
         */
        public Builder stormOutage(Duration outage) {
            this.stormOutage = Checks.positive(outage, "stormOutage");
            return this;
        }

        /**
         * Sets the CS-05 baseline interval.
         *
         * @param interval positive
         * @return this builder
         */
        public Builder stormBaselineInterval(Duration interval) {
            this.stormBaselineInterval = Checks.positive(interval, "stormBaselineInterval");
            return this;
        }

        /**
         * Sets the CS-05 minimum attempt ratio.
         *
         * @param ratio at least 1.0
         * @return this builder
         */
        public Builder stormMinAttemptRatio(double ratio) {
            this.stormMinAttemptRatio = Checks.inRange(ratio, 1.0, 1000.0, "stormMinAttemptRatio");
            return this;
        }

        /**
         * Sets the CS-05 recovery bound.
         *
         * @param bound positive
         * @return this builder
         */
        public Builder stormRecoveryBound(Duration bound) {
            this.stormRecoveryBound = Checks.positive(bound, "stormRecoveryBound");
            return this;
        }

        /**
         * Sets the CS-05 pool size per instance.
         *
         * @param poolSize at least 1
         * @return this builder
         */
        public Builder stormPoolSize(int poolSize) {
            this.stormPoolSize = Checks.positive(poolSize, "stormPoolSize");
            return this;
        }

        /**
         * Sets the start deadline given to instances.
         *
         * @param deadline positive
         * @return this builder
         */
        public Builder startDeadline(Duration deadline) {
            this.startDeadline = Checks.positive(deadline, "startDeadline");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public DatabaseScenarioParameters build() {
            return new DatabaseScenarioParameters(this);
        }
    }
}
