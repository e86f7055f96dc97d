package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;

/**
 * The figures of CS-17 (JWT key rotation during start-up), defaulting to those of SCENARIOS.md.
 * Immutable value with a
 * builder; builders are not thread-safe, built parameters are.
 */
public final class Cs17Parameters {
    /** Default concurrent verifications of tokens with a new kid: 1000. */
    public static final int DEFAULT_CONCURRENT_REQUESTS = 1000;
    /** Default response delay of the JWKS after the rotation, so verifications pile up on one fetch: 100 ms. */
    public static final Duration DEFAULT_ROTATION_DELAY = Duration.ofMillis(100);
    /** Default publish lead of the service's own signing keys: 500 ms. */
    public static final Duration DEFAULT_SIGNING_KEY_PUBLISH_LEAD = Duration.ofMillis(500);
    /** Default start deadline: 10 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);

    private static final Cs17Parameters DEFAULTS = builder().build();

    private final int concurrentRequests;
    private final Duration rotationDelay;
    private final Duration signingKeyPublishLead;
    private final Duration startTimeout;

    private Cs17Parameters(Builder b) {
        this.concurrentRequests = b.concurrentRequests;
        this.rotationDelay = b.rotationDelay;
        this.signingKeyPublishLead = b.signingKeyPublishLead;
        this.startTimeout = b.startTimeout;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared defaults
     */
    public static Cs17Parameters ofDefaults() {
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
        b.concurrentRequests = concurrentRequests;
        b.rotationDelay = rotationDelay;
        b.signingKeyPublishLead = signingKeyPublishLead;
        b.startTimeout = startTimeout;
        return b;
    }

    /**
     * The concurrent verifications of tokens with a new kid.
     *
     * @return the value
     */
    public int concurrentRequests() {
        return concurrentRequests;
    }

    /**
     * The response delay of the JWKS after the rotation, so verifications pile up on one fetch.
     *
     * @return the value
     */
    public Duration rotationDelay() {
        return rotationDelay;
    }

    /**
     * The publish lead of the service's own signing keys.
     *
     * @return the value
     */
    public Duration signingKeyPublishLead() {
        return signingKeyPublishLead;
    }

    /**
     * The start deadline.
     *
     * @return the value
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    @Override
    public String toString() {
        return "Cs17Parameters{" + "concurrentRequests=" + concurrentRequests + ", rotationDelay=" + rotationDelay + ", signingKeyPublishLead=" + signingKeyPublishLead + ", startTimeout=" + startTimeout + '}';
    }

    /** Builder of {@link Cs17Parameters}. Not thread-safe. */
    public static final class Builder {
        private int concurrentRequests = DEFAULT_CONCURRENT_REQUESTS;
        private Duration rotationDelay = DEFAULT_ROTATION_DELAY;
        private Duration signingKeyPublishLead = DEFAULT_SIGNING_KEY_PUBLISH_LEAD;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets the concurrent verifications of tokens with a new kid.
         *
         * @param concurrentRequests positive; default 1000
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder concurrentRequests(int concurrentRequests) {
            this.concurrentRequests = Checks.positive(concurrentRequests, "concurrentRequests");
            return this;
        }

        /**
         * Sets the response delay of the JWKS after the rotation, so verifications pile up on one fetch.
         *
         * @param rotationDelay positive; default Duration.ofMillis(100)
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder rotationDelay(Duration rotationDelay) {
            this.rotationDelay = Checks.positive(rotationDelay, "rotationDelay");
            return this;
        }

        /**
         * Sets the publish lead of the service's own signing keys.
         *
         * @param signingKeyPublishLead positive; default Duration.ofMillis(500)
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not positive
         */
        public Builder signingKeyPublishLead(Duration signingKeyPublishLead) {
            this.signingKeyPublishLead = Checks.positive(signingKeyPublishLead, "signingKeyPublishLead");
            return this;
        }

        /**
         * Sets the start deadline.
         *
         * @param startTimeout positive; default Duration.ofSeconds(10)
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
        public Cs17Parameters build() {
            return new Cs17Parameters(this);
        }
    }
}
