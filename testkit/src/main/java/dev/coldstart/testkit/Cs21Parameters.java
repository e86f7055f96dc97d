package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-21 (API gateway taking traffic before its backend is ready). Immutable value with a
 * builder; builders are not thread-safe, built parameters are.
 */
public final class Cs21Parameters {
    /** How many requests the service's request gate may hold, by default: 8. */
    public static final int DEFAULT_QUEUE_CAPACITY = 8;
    /** How long one request may wait in the gate, by default: 5 s. */
    public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(5);
    /** Requests sent while the queue is full, each of which must get 503 at once, by default: 4. */
    public static final int DEFAULT_OVERFLOW_REQUESTS = 4;
    /** Requests left waiting until their deadline passes, by default: 3. */
    public static final int DEFAULT_EXPIRING_REQUESTS = 3;
    /** The longest a request refused because the queue is full may wait for its 503, by default: 1 s. */
    public static final Duration DEFAULT_MAX_REJECT_LATENCY = Duration.ofSeconds(1);
    /** The longest, from the backend's release, until every held request is answered, by default: 3 s. */
    public static final Duration DEFAULT_MAX_RELEASE_LATENCY = Duration.ofSeconds(3);
    /** The start deadline the service must give its components, by default: 30 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

    private static final Cs21Parameters DEFAULTS = builder().build();

    private final int queueCapacity;
    private final Duration requestDeadline;
    private final int overflowRequests;
    private final int expiringRequests;
    private final Duration maxRejectLatency;
    private final Duration maxReleaseLatency;
    private final Duration startTimeout;

    private Cs21Parameters(Builder b) {
        this.queueCapacity = b.queueCapacity;
        this.requestDeadline = b.requestDeadline;
        this.overflowRequests = b.overflowRequests;
        this.expiringRequests = b.expiringRequests;
        this.maxRejectLatency = b.maxRejectLatency;
        this.maxReleaseLatency = b.maxReleaseLatency;
        this.startTimeout = b.startTimeout;
    }

    /**
     * The figures of the scenario's defaults.
     *
     * @return the shared defaults
     */
    public static Cs21Parameters ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.queueCapacity = queueCapacity;
        b.requestDeadline = requestDeadline;
        b.overflowRequests = overflowRequests;
        b.expiringRequests = expiringRequests;
        b.maxRejectLatency = maxRejectLatency;
        b.maxReleaseLatency = maxReleaseLatency;
        b.startTimeout = startTimeout;
        return b;
    }

    /**
     * How many requests the service's request gate may hold.
     *
     * @return the value
     */
    public int queueCapacity() {
        return queueCapacity;
    }

    /**
     * How long one request may wait in the gate.
     *
     * @return the value
     */
    public Duration requestDeadline() {
        return requestDeadline;
    }

    /**
     * Requests sent while the queue is full, each of which must get 503 at once.
     *
     * @return the value
     */
    public int overflowRequests() {
        return overflowRequests;
    }

    /**
     * Requests left waiting until their deadline passes.
     *
     * @return the value
     */
    public int expiringRequests() {
        return expiringRequests;
    }

    /**
     * The longest a request refused because the queue is full may wait for its 503.
     *
     * @return the value
     */
    public Duration maxRejectLatency() {
        return maxRejectLatency;
    }

    /**
     * The longest, from the backend's release, until every held request is answered.
     *
     * @return the value
     */
    public Duration maxReleaseLatency() {
        return maxReleaseLatency;
    }

    /**
     * The start deadline the service must give its components.
     *
     * @return the value
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    @Override
    public String toString() {
        return "Cs21Parameters{" + "queueCapacity=" + queueCapacity + ", requestDeadline=" + requestDeadline + ", overflowRequests=" + overflowRequests + ", expiringRequests=" + expiringRequests + ", maxRejectLatency=" + maxRejectLatency + ", maxReleaseLatency=" + maxReleaseLatency + ", startTimeout=" + startTimeout + '}';
    }

    /** Builder of {@link Cs21Parameters}. Not thread-safe. */
    public static final class Builder {
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private Duration requestDeadline = DEFAULT_REQUEST_DEADLINE;
        private int overflowRequests = DEFAULT_OVERFLOW_REQUESTS;
        private int expiringRequests = DEFAULT_EXPIRING_REQUESTS;
        private Duration maxRejectLatency = DEFAULT_MAX_REJECT_LATENCY;
        private Duration maxReleaseLatency = DEFAULT_MAX_RELEASE_LATENCY;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets how many requests the service's request gate may hold.
         *
         * @param queueCapacity positive; default 8
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = Checks.positive(queueCapacity, "queueCapacity");
            return this;
        }

        /**
         * Sets how long one request may wait in the gate.
         *
         * @param requestDeadline positive; default 5 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder requestDeadline(Duration requestDeadline) {
            this.requestDeadline = Checks.positive(requestDeadline, "requestDeadline");
            return this;
        }

        /**
         * Sets requests sent while the queue is full, each of which must get 503 at once.
         *
         * @param overflowRequests positive; default 4
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder overflowRequests(int overflowRequests) {
            this.overflowRequests = Checks.positive(overflowRequests, "overflowRequests");
            return this;
        }

        /**
         * Sets requests left waiting until their deadline passes.
         *
         * @param expiringRequests positive; default 3
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder expiringRequests(int expiringRequests) {
            this.expiringRequests = Checks.positive(expiringRequests, "expiringRequests");
            return this;
        }

        /**
         * Sets the longest a request refused because the queue is full may wait for its 503.
         *
         * @param maxRejectLatency positive; default 1 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder maxRejectLatency(Duration maxRejectLatency) {
            this.maxRejectLatency = Checks.positive(maxRejectLatency, "maxRejectLatency");
            return this;
        }

        /**
         * Sets the longest, from the backend's release, until every held request is answered.
         *
         * @param maxReleaseLatency positive; default 3 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder maxReleaseLatency(Duration maxReleaseLatency) {
            this.maxReleaseLatency = Checks.positive(maxReleaseLatency, "maxReleaseLatency");
            return this;
        }

        /**
         * Sets the start deadline the service must give its components.
         *
         * @param startTimeout positive; default 30 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Checks.positive(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs21Parameters build() {
            return new Cs21Parameters(this);
        }
    }
}
