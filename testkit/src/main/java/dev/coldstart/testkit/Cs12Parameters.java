package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-12 (message buffering through reconnection storms), defaulting to those of SCENARIOS.md. Immutable value with a builder; builders are not
 * thread-safe, built parameters are.
 */
public final class Cs12Parameters {
    /** Default number of connected clients: 200. */
    public static final int DEFAULT_CLIENTS = 200;
    /** Default time the server is down (restart) or the connections are dropped: 2 s. */
    public static final Duration DEFAULT_OUTAGE = Duration.ofSeconds(2);
    /** Default messages published to every client during the outage: 1,000. */
    public static final int DEFAULT_MESSAGES = 1000;
    /** Default messages published beyond a disconnected client's buffer limit to make it overflow: 50. */
    public static final int DEFAULT_OVERFLOW_EXTRA_MESSAGES = 50;
    /** Default time after the outage by which every client must have everything: 30 s. */
    public static final Duration DEFAULT_RESUME_DEADLINE = Duration.ofSeconds(30);
    /** Default largest heap growth (after GC) allowed while the same volume is published to full buffers a second time: 32 MiB. */
    public static final long DEFAULT_MAX_HEAP_GROWTH_BYTES = 32L * 1024 * 1024;

    private static final Cs12Parameters DEFAULTS = builder().build();

    private final int clients;
    private final Duration outage;
    private final int messages;
    private final int overflowExtraMessages;
    private final Duration resumeDeadline;
    private final long maxHeapGrowthBytes;

    private Cs12Parameters(Builder b) {
        this.clients = b.clients;
        this.outage = b.outage;
        this.messages = b.messages;
        this.overflowExtraMessages = b.overflowExtraMessages;
        this.resumeDeadline = b.resumeDeadline;
        this.maxHeapGrowthBytes = b.maxHeapGrowthBytes;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared defaults
     */
    public static Cs12Parameters ofDefaults() {
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
        b.clients = clients;
        b.outage = outage;
        b.messages = messages;
        b.overflowExtraMessages = overflowExtraMessages;
        b.resumeDeadline = resumeDeadline;
        b.maxHeapGrowthBytes = maxHeapGrowthBytes;
        return b;
    }

    /**
     * The number of connected clients.
     *
     * @return the value
     */
    public int clients() {
        return clients;
    }

    /**
     * The time the server is down (restart) or the connections are dropped.
     *
     * @return the value
     */
    public Duration outage() {
        return outage;
    }

    /**
     * The messages published to every client during the outage.
     *
     * @return the value
     */
    public int messages() {
        return messages;
    }

    /**
     * The messages published beyond a disconnected client's buffer limit to make it overflow.
     *
     * @return the value
     */
    public int overflowExtraMessages() {
        return overflowExtraMessages;
    }

    /**
     * The time after the outage by which every client must have everything.
     *
     * @return the value
     */
    public Duration resumeDeadline() {
        return resumeDeadline;
    }

    /**
     * The largest heap growth (after GC) allowed while the same volume is published to full buffers a second time.
     *
     * @return the value
     */
    public long maxHeapGrowthBytes() {
        return maxHeapGrowthBytes;
    }

    @Override
    public String toString() {
        return "Cs12Parameters{" + "clients=" + clients + ", outage=" + outage + ", messages=" + messages + ", overflowExtraMessages=" + overflowExtraMessages + ", resumeDeadline=" + resumeDeadline + ", maxHeapGrowthBytes=" + maxHeapGrowthBytes + '}';
    }

    /** Builder of {@link Cs12Parameters}. Not thread-safe. */
    public static final class Builder {
        private int clients = DEFAULT_CLIENTS;
        private Duration outage = DEFAULT_OUTAGE;
        private int messages = DEFAULT_MESSAGES;
        private int overflowExtraMessages = DEFAULT_OVERFLOW_EXTRA_MESSAGES;
        private Duration resumeDeadline = DEFAULT_RESUME_DEADLINE;
        private long maxHeapGrowthBytes = DEFAULT_MAX_HEAP_GROWTH_BYTES;

        private Builder() {
        }

        /**
         * Sets the number of connected clients.
         *
         * @param clients positive; default 200
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder clients(int clients) {
            this.clients = Checks.positive(clients, "clients");
            return this;
        }

        /**
         * Sets the time the server is down (restart) or the connections are dropped.
         *
         * @param outage positive; default 2 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder outage(Duration outage) {
            this.outage = Checks.positive(outage, "outage");
            return this;
        }

        /**
         * Sets the messages published to every client during the outage.
         *
         * @param messages positive; default 1,000
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder messages(int messages) {
            this.messages = Checks.positive(messages, "messages");
            return this;
        }

        /**
         * Sets the messages published beyond a disconnected client's buffer limit to make it overflow.
         *
         * @param overflowExtraMessages positive; default 50
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder overflowExtraMessages(int overflowExtraMessages) {
            this.overflowExtraMessages = Checks.positive(overflowExtraMessages, "overflowExtraMessages");
            return this;
        }

        /**
         * Sets the time after the outage by which every client must have everything.
         *
         * @param resumeDeadline positive; default 30 s
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder resumeDeadline(Duration resumeDeadline) {
            this.resumeDeadline = Checks.positive(resumeDeadline, "resumeDeadline");
            return this;
        }

        /**
         * Sets the largest heap growth (after GC) allowed while the same volume is published to full buffers a second time.
         *
         * @param maxHeapGrowthBytes positive; default 32 MiB
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if out of range
         */
        public Builder maxHeapGrowthBytes(long maxHeapGrowthBytes) {
            this.maxHeapGrowthBytes = Checks.positive(maxHeapGrowthBytes, "maxHeapGrowthBytes");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs12Parameters build() {
            return new Cs12Parameters(this);
        }
    }
}
