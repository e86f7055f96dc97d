package dev.coldstart.auth;

import com.nimbusds.jose.JWSAlgorithm;
import dev.coldstart.core.Checks;
import java.time.Clock;
import java.time.Duration;

/**
 * Configuration of a service's own {@link SigningKeys}. Immutable value with a builder; builders
 * are not thread-safe, built configs are.
 */
public final class SigningKeysConfig {
    /** Default algorithm: ES256 (small keys, fast to generate). */
    public static final String DEFAULT_ALGORITHM = "ES256";
    /**
     * Default time a new key is published before anything is signed with it: 10 min, twice the
     * default {@link IdentityProviderConfig#DEFAULT_REFRESH_INTERVAL}, so every verifier's
     * background refresh has seen it before the first token names it.
     */
    public static final Duration DEFAULT_PUBLISH_LEAD = Duration.ofMinutes(10);
    /**
     * Default time a replaced key stays published after its successor became active: 1 h, which
     * must cover the longest lifetime of a token signed with it.
     */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

    private static final SigningKeysConfig DEFAULTS = builder().build();

    private final String algorithm;
    private final Duration publishLead;
    private final Duration retention;
    private final Clock clock;

    private SigningKeysConfig(Builder b) {
        this.algorithm = b.algorithm;
        this.publishLead = b.publishLead;
        this.retention = b.retention;
        this.clock = b.clock;
    }

    /**
     * ES256, 10 min lead, 1 h retention, system clock.
     *
     * @return the shared defaults
     */
    public static SigningKeysConfig ofDefaults() {
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
     * A builder holding this config's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.algorithm = algorithm;
        b.publishLead = publishLead;
        b.retention = retention;
        b.clock = clock;
        return b;
    }

    /**
     * The signature algorithm.
     *
     * @return {@code ES256}, {@code ES384}, {@code RS256} ...
     */
    public String algorithm() {
        return algorithm;
    }

    /**
     * How long a new key is published before it signs.
     *
     * @return zero or more
     */
    public Duration publishLead() {
        return publishLead;
    }

    /**
     * How long a replaced key stays published.
     *
     * @return zero or more
     */
    public Duration retention() {
        return retention;
    }

    /**
     * The clock deciding when keys activate and retire.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "SigningKeysConfig{algorithm=" + algorithm + ", publishLead=" + publishLead + ", retention=" + retention + '}';
    }

    /** Builder of {@link SigningKeysConfig}. Not thread-safe. */
    public static final class Builder {
        private String algorithm = DEFAULT_ALGORITHM;
        private Duration publishLead = DEFAULT_PUBLISH_LEAD;
        private Duration retention = DEFAULT_RETENTION;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the algorithm.
         *
         * @param algorithm one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if another
         */
        public Builder algorithm(String algorithm) {
            JWSAlgorithm alg = JWSAlgorithm.parse(Checks.notBlank(algorithm, "algorithm"));
            Checks.check(JWSAlgorithm.Family.RSA.contains(alg) || JWSAlgorithm.Family.EC.contains(alg)
                    && !JWSAlgorithm.ES256K.equals(alg),
                    "algorithm must be one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, but was "
                            + algorithm);
            this.algorithm = alg.getName();
            return this;
        }

        /**
         * Sets how long a new key is published before it signs; at least the verifiers' key-set
         * refresh interval.
         *
         * @param publishLead zero or more; default 10 min
         * @return this builder
         */
        public Builder publishLead(Duration publishLead) {
            this.publishLead = Checks.notNegative(publishLead, "publishLead");
            return this;
        }

        /**
         * Sets how long a replaced key stays published; at least the longest token lifetime.
         *
         * @param retention zero or more; default 1 h
         * @return this builder
         */
        public Builder retention(Duration retention) {
            this.retention = Checks.notNegative(retention, "retention");
            return this;
        }

        /**
         * Sets the clock.
         *
         * @param clock not null; default the UTC system clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         */
        public SigningKeysConfig build() {
            return new SigningKeysConfig(this);
        }
    }
}
