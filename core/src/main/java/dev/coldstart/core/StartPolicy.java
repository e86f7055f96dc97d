package dev.coldstart.core;

import java.time.Duration;

/**
 * Per-component start rules: the start deadline and the {@link RetryPolicy}.
 *
 * <p>The deadline counts from the component's first attempt (time spent waiting for dependencies
 * is not charged to it). When it passes, the running attempt is interrupted, and the component
 * fails (required) or degrades (optional). Immutable and thread-safe.
 */
public final class StartPolicy {
    /** Default start deadline: 60 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    private static final StartPolicy DEFAULTS = new StartPolicy(DEFAULT_START_TIMEOUT, RetryPolicy.ofDefaults());

    private final Duration startTimeout;
    private final RetryPolicy retryPolicy;

    private StartPolicy(Duration startTimeout, RetryPolicy retryPolicy) {
        this.startTimeout = startTimeout;
        this.retryPolicy = retryPolicy;
    }

    /**
     * 60 s deadline and {@link RetryPolicy#ofDefaults()}.
     *
     * @return the shared default policy
     */
    public static StartPolicy ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Creates a policy.
     *
     * @param startTimeout the start deadline from the first attempt; positive
     * @param retryPolicy how failed attempts are retried; not null
     * @return an immutable policy
     * @throws ConfigurationException if an argument breaks its rule
     */
    public static StartPolicy of(Duration startTimeout, RetryPolicy retryPolicy) {
        return new StartPolicy(Checks.positive(startTimeout, "startTimeout"), Checks.notNull(retryPolicy, "retryPolicy"));
    }

    /**
     * This policy with another deadline.
     *
     * @param startTimeout positive
     * @return a new policy
     * @throws ConfigurationException if not positive
     */
    public StartPolicy withStartTimeout(Duration startTimeout) {
        return of(startTimeout, retryPolicy);
    }

    /**
     * This policy with another retry policy.
     *
     * @param retryPolicy not null
     * @return a new policy
     * @throws ConfigurationException if null
     */
    public StartPolicy withRetryPolicy(RetryPolicy retryPolicy) {
        return of(startTimeout, retryPolicy);
    }

    /**
     * The start deadline, counted from the first attempt.
     *
     * @return a positive duration
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The retry policy.
     *
     * @return never null
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    @Override
    public String toString() {
        return "StartPolicy{startTimeout=" + startTimeout + ", retryPolicy=" + retryPolicy + '}';
    }
}
