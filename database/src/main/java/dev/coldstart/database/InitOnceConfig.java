package dev.coldstart.database;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.time.Duration;
import java.util.Set;

/**
 * Immutable settings of {@link InitOnce}: the isolation level, which SQLStates are retried, and the
 * bounded backoff between attempts.
 *
 * <p>The default isolation level is {@link IsolationLevel#SERIALIZABLE}: init work is typically
 * "insert the default tenant if absent, then its settings", a read-then-write across tables. Under
 * SERIALIZABLE PostgreSQL guarantees that concurrent instances behave as if run one after another, so
 * such logic is correct even where a table lacks a unique constraint; conflicts surface as 40001 and
 * are retried. READ COMMITTED with {@code INSERT ... ON CONFLICT DO NOTHING} is cheaper but correct
 * only where every key has a unique constraint, which is the work's author's burden; choose it
 * explicitly when that holds.
 *
 * <p>Retried by default: 40001 (serialization_failure), 40P01 (deadlock_detected) and 23505
 * (unique_violation: two check-then-insert transactions both saw the row absent). Between attempts
 * the wait is drawn uniformly from {@code [0, min(maxBackoff, initialBackoff * 2^(n-1))]} (full
 * jitter). Built configs are immutable and thread-safe; builders are not thread-safe.
 */
public final class InitOnceConfig {
    /** Default isolation level: SERIALIZABLE. */
    public static final IsolationLevel DEFAULT_ISOLATION = IsolationLevel.SERIALIZABLE;
    /** Default attempt limit: 10. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** Default first backoff ceiling: 20 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(20);
    /** Default backoff cap: 1 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(1);
    /** Default retried SQLStates: 40001, 40P01, 23505. */
    public static final Set<String> DEFAULT_RETRYABLE_SQL_STATES = Set.of("40001", "40P01", "23505");

    private static final InitOnceConfig DEFAULTS = builder().build();

    private final IsolationLevel isolation;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Set<String> retryableSqlStates;

    private InitOnceConfig(Builder b) {
        this.isolation = b.isolation;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.retryableSqlStates = Set.copyOf(b.retryableSqlStates);
    }

    /**
     * The defaults: SERIALIZABLE, 10 attempts, 20 ms doubling to 1 s, retrying 40001, 40P01, 23505.
     *
     * @return the shared default config
     */
    public static InitOnceConfig ofDefaults() {
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
        b.isolation = isolation;
        b.maxAttempts = maxAttempts;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.retryableSqlStates = retryableSqlStates;
        return b;
    }

    /**
     * The isolation level of the transaction.
     *
     * @return the level
     */
    public IsolationLevel isolation() {
        return isolation;
    }

    /**
     * The attempt limit, first attempt included.
     *
     * @return at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The first backoff ceiling.
     *
     * @return a positive duration
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * The backoff cap.
     *
     * @return a duration at least {@link #initialBackoff()}
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * The SQLStates that cause a retry.
     *
     * @return an immutable, non-empty set
     */
    public Set<String> retryableSqlStates() {
        return retryableSqlStates;
    }

    @Override
    public String toString() {
        return "InitOnceConfig{isolation=" + isolation + ", maxAttempts=" + maxAttempts + ", initialBackoff="
                + initialBackoff + ", maxBackoff=" + maxBackoff + ", retryableSqlStates=" + retryableSqlStates + '}';
    }

    /** Builder for {@link InitOnceConfig}; not thread-safe. */
    public static final class Builder {
        private IsolationLevel isolation = DEFAULT_ISOLATION;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Set<String> retryableSqlStates = DEFAULT_RETRYABLE_SQL_STATES;

        private Builder() {
        }

        /**
         * Sets the isolation level.
         *
         * @param isolation not null; default SERIALIZABLE
         * @return this builder
         * @throws ConfigurationException if null
         */
        public Builder isolation(IsolationLevel isolation) {
            this.isolation = Checks.notNull(isolation, "isolation");
            return this;
        }

        /**
         * Sets the attempt limit.
         *
         * @param maxAttempts at least 1; default 10
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Checks.positive(maxAttempts, "maxAttempts");
            return this;
        }

        /**
         * Sets the first backoff ceiling.
         *
         * @param initialBackoff positive; default 20 ms
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Checks.positive(initialBackoff, "initialBackoff");
            return this;
        }

        /**
         * Sets the backoff cap.
         *
         * @param maxBackoff positive, at least {@code initialBackoff}; default 1 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Checks.positive(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * Replaces the SQLStates that cause a retry.
         *
         * @param states five-character SQLStates; at least one
         * @return this builder
         * @throws ConfigurationException if empty or a state is not five characters
         */
        public Builder retryableSqlStates(Set<String> states) {
            Checks.notNull(states, "retryableSqlStates");
            Checks.check(!states.isEmpty(), "retryableSqlStates must not be empty, but was []");
            for (String s : states) {
                Checks.check(s != null && s.length() == 5,
                        "retryableSqlStates must hold five-character SQLStates, but was " + states);
            }
            this.retryableSqlStates = Set.copyOf(states);
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         * @throws ConfigurationException if {@code maxBackoff < initialBackoff}
         */
        public InitOnceConfig build() {
            Checks.check(maxBackoff.compareTo(initialBackoff) >= 0, "maxBackoff must be greater than or equal to "
                    + "initialBackoff (" + initialBackoff + "), but was " + maxBackoff);
            return new InitOnceConfig(this);
        }
    }
}
