package dev.coldstart.core;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a component's failed start attempts are retried: exponential backoff with full jitter and a
 * cap, an optional attempt limit, and a circuit breaker.
 *
 * <p>The delay before retry {@code n} (1-based, counting failed attempts) is drawn uniformly from
 * {@code [0, min(maxBackoff, initialBackoff * multiplier^(n-1))]}: "full jitter" as described in
 * the AWS Architecture Blog's "Exponential Backoff And Jitter", which spreads the retries of many
 * instances that failed at the same instant. With {@link Jitter#NONE} the delay is the ceiling
 * itself. The interval is exposed as a Resilience4j {@link IntervalFunction}.
 *
 * <p>The circuit breaker (Resilience4j's {@code CircuitBreaker}) opens after
 * {@code circuitBreakerFailureThreshold} consecutive failures; while open no attempt is made for
 * {@code circuitBreakerOpenDuration}, then a single trial attempt decides whether it closes.
 *
 * <p>Built configs are immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *         .initialBackoff(Duration.ofMillis(200))
 *         .maxBackoff(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 */
public final class RetryPolicy {
    /** Default first backoff ceiling: 200 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    /** Default cap on any backoff: 10 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    /** Default growth factor per failed attempt: 2.0. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Default attempt limit: 0, meaning unlimited until the start deadline. */
    public static final int DEFAULT_MAX_ATTEMPTS = 0;
    /** Default consecutive failures that open the circuit breaker: 5. */
    public static final int DEFAULT_CIRCUIT_BREAKER_FAILURE_THRESHOLD = 5;
    /** Default time the circuit breaker stays open: 5 s. */
    public static final Duration DEFAULT_CIRCUIT_BREAKER_OPEN_DURATION = Duration.ofSeconds(5);

    /** How the backoff ceiling is turned into a delay. */
    public enum Jitter {
        /** Uniformly random in {@code [0, ceiling]}: the default. */
        FULL,
        /** Exactly the ceiling: deterministic, for baselines and tests. */
        NONE
    }

    private static final RetryPolicy DEFAULTS = builder().build();

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;
    private final Jitter jitter;
    private final int maxAttempts;
    private final int circuitBreakerFailureThreshold;
    private final Duration circuitBreakerOpenDuration;

    private RetryPolicy(Builder b) {
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.maxAttempts = b.maxAttempts;
        this.circuitBreakerFailureThreshold = b.circuitBreakerFailureThreshold;
        this.circuitBreakerOpenDuration = b.circuitBreakerOpenDuration;
    }

    /**
     * The defaults: 200 ms initial, x2, capped at 10 s, full jitter, unlimited attempts until the
     * deadline, breaker opening after 5 consecutive failures for 5 s.
     *
     * @return the shared default policy
     */
    public static RetryPolicy ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Fixed-interval retries without jitter or breaker: what naive code does, kept as a baseline.
     *
     * @param interval the delay between attempts; positive
     * @return a fixed policy
     * @throws ConfigurationException if the interval is not positive
     */
    public static RetryPolicy fixed(Duration interval) {
        return builder().initialBackoff(interval).maxBackoff(interval).multiplier(1.0)
                .jitter(Jitter.NONE).circuitBreakerFailureThreshold(0).build();
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
     * A builder holding this policy's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.multiplier = multiplier;
        b.jitter = jitter;
        b.maxAttempts = maxAttempts;
        b.circuitBreakerFailureThreshold = circuitBreakerFailureThreshold;
        b.circuitBreakerOpenDuration = circuitBreakerOpenDuration;
        return b;
    }

    /**
     * The upper bound of the delay before retry {@code failedAttempts + 1}, before jitter.
     *
     * @param failedAttempts failed attempts so far, at least 1
     * @return {@code min(maxBackoff, initialBackoff * multiplier^(failedAttempts-1))}
     */
    public Duration backoffCeiling(int failedAttempts) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        long capped = (long) Math.min(maxBackoff.toMillis(), millis);
        return Duration.ofMillis(capped);
    }

    /**
     * This policy's delay as a Resilience4j interval function: it maps the number of failed
     * attempts (1-based) to a delay in milliseconds, applying the jitter. Thread-safe.
     *
     * @return the interval function
     */
    public IntervalFunction intervalFunction() {
        return failedAttempts -> {
            long ceiling = backoffCeiling(failedAttempts).toMillis();
            if (jitter == Jitter.NONE || ceiling == 0) {
                return ceiling;
            }
            return ThreadLocalRandom.current().nextLong(ceiling + 1);
        };
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
     * The cap on every delay.
     *
     * @return a duration at least {@link #initialBackoff()}
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * The growth factor per failed attempt.
     *
     * @return at least 1.0
     */
    public double multiplier() {
        return multiplier;
    }

    /**
     * The jitter mode.
     *
     * @return never null
     */
    public Jitter jitter() {
        return jitter;
    }

    /**
     * The attempt limit; 0 means unlimited until the start deadline.
     *
     * @return zero or more
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Consecutive failures that open the breaker; 0 disables it.
     *
     * @return zero or more
     */
    public int circuitBreakerFailureThreshold() {
        return circuitBreakerFailureThreshold;
    }

    /**
     * How long the breaker stays open before a trial attempt.
     *
     * @return a positive duration
     */
    public Duration circuitBreakerOpenDuration() {
        return circuitBreakerOpenDuration;
    }

    @Override
    public String toString() {
        return "RetryPolicy{initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                + ", multiplier=" + multiplier + ", jitter=" + jitter + ", maxAttempts=" + maxAttempts
                + ", circuitBreakerFailureThreshold=" + circuitBreakerFailureThreshold
                + ", circuitBreakerOpenDuration=" + circuitBreakerOpenDuration + '}';
    }

    /** Builder for {@link RetryPolicy}; not thread-safe. */
    public static final class Builder {
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double multiplier = DEFAULT_MULTIPLIER;
        private Jitter jitter = Jitter.FULL;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private int circuitBreakerFailureThreshold = DEFAULT_CIRCUIT_BREAKER_FAILURE_THRESHOLD;
        private Duration circuitBreakerOpenDuration = DEFAULT_CIRCUIT_BREAKER_OPEN_DURATION;

        private Builder() {
        }

        /**
         * Sets the first backoff ceiling.
         *
         * @param initialBackoff a positive duration; default 200 ms
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Checks.positive(initialBackoff, "initialBackoff");
            return this;
        }

        /**
         * Sets the cap on every delay.
         *
         * @param maxBackoff a positive duration, at least {@code initialBackoff}; default 10 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Checks.positive(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * Sets the growth factor.
         *
         * @param multiplier between 1.0 and 10.0; default 2.0
         * @return this builder
         * @throws ConfigurationException if out of range
         */
        public Builder multiplier(double multiplier) {
            this.multiplier = Checks.inRange(multiplier, 1.0, 10.0, "multiplier");
            return this;
        }

        /**
         * Sets the jitter mode.
         *
         * @param jitter not null; default {@link Jitter#FULL}
         * @return this builder
         */
        public Builder jitter(Jitter jitter) {
            this.jitter = Checks.notNull(jitter, "jitter");
            return this;
        }

        /**
         * Sets the attempt limit.
         *
         * @param maxAttempts 0 for unlimited until the deadline (default), else at least 1
         * @return this builder
         * @throws ConfigurationException if negative
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Checks.notNegative(maxAttempts, "maxAttempts");
            return this;
        }

        /**
         * Sets the consecutive failures that open the circuit breaker.
         *
         * @param threshold 0 disables the breaker; default 5
         * @return this builder
         * @throws ConfigurationException if negative
         */
        public Builder circuitBreakerFailureThreshold(int threshold) {
            this.circuitBreakerFailureThreshold = Checks.notNegative(threshold, "circuitBreakerFailureThreshold");
            return this;
        }

        /**
         * Sets how long the breaker stays open.
         *
         * @param openDuration positive; default 5 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder circuitBreakerOpenDuration(Duration openDuration) {
            this.circuitBreakerOpenDuration = Checks.positive(openDuration, "circuitBreakerOpenDuration");
            return this;
        }

        /**
         * Builds the policy, checking cross-field rules.
         *
         * @return an immutable policy
         * @throws ConfigurationException if {@code maxBackoff < initialBackoff}
         */
        public RetryPolicy build() {
            Checks.check(maxBackoff.compareTo(initialBackoff) >= 0,
                    "maxBackoff must be greater than or equal to initialBackoff (" + initialBackoff
                            + "), but was " + maxBackoff);
            return new RetryPolicy(this);
        }
    }
}
