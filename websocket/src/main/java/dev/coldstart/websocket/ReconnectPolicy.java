package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.RetryPolicy;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a {@link ReconnectingClient} tries again after a failed or lost connection: exponential
 * backoff with full jitter (a {@link RetryPolicy}), never earlier than the server's
 * {@code Retry-After}, and never for answers that retrying cannot change (401, 403 ...).
 *
 * <p>The delay before attempt {@code n + 1}, after {@code n} failed attempts in a row, is
 * {@code retryAfter + uniform(0, c)} with {@code c = min(maxBackoff, initialBackoff x
 * multiplier^(n-1))}: the Retry-After hint (0 when the server gave none, capped at
 * {@link #maxRetryAfter()}) plus the backoff policy's full-jitter delay
 * ({@link RetryPolicy#intervalFunction()}). When a hint is given and {@code c} is below one second,
 * the jitter is drawn from a whole second instead, since Retry-After counts whole seconds: clients
 * told the same second then spread over all of it instead of returning together. A connection that was established
 * and then lost starts again at {@code n = 1}. The backoff policy's circuit-breaker settings are not
 * used; its {@link RetryPolicy#maxAttempts()} limits attempts in a row (0: unlimited).
 *
 * <p>Immutable and thread-safe; builders are not thread-safe.
 */
public final class ReconnectPolicy {
    /** Default backoff: 250 ms doubling to 10 s, full jitter, unlimited attempts. */
    public static final RetryPolicy DEFAULT_BACKOFF = RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(250)).maxBackoff(Duration.ofSeconds(10)).build();
    /** Default cap on an honoured Retry-After: 60 s. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);
    /** Default time an upgrade may take, from sending the request to the {@code 101}: 10 s. */
    public static final Duration DEFAULT_UPGRADE_TIMEOUT = Duration.ofSeconds(10);
    /** Default statuses that end the attempts: 400, 401, 403, 404. */
    public static final Set<Integer> DEFAULT_PERMANENT_STATUSES = Set.of(400, 401, 403, 404);

    private static final ReconnectPolicy DEFAULTS = builder().build();
    private static final Duration RETRY_AFTER_RESOLUTION = Duration.ofSeconds(1);

    private final RetryPolicy backoff;
    private final Duration maxRetryAfter;
    private final Duration upgradeTimeout;
    private final Set<Integer> permanentStatuses;

    private ReconnectPolicy(Builder b) {
        this.backoff = b.backoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.upgradeTimeout = b.upgradeTimeout;
        this.permanentStatuses = Set.copyOf(b.permanentStatuses);
    }

    /**
     * The defaults: 250 ms doubling to 10 s with full jitter, Retry-After honoured up to 60 s,
     * 10 s per upgrade, no retry after 400, 401, 403 or 404.
     *
     * @return the shared default policy
     */
    public static ReconnectPolicy ofDefaults() {
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
     * A builder holding this policy's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.backoff = backoff;
        b.maxRetryAfter = maxRetryAfter;
        b.upgradeTimeout = upgradeTimeout;
        b.permanentStatuses = new TreeSet<>(permanentStatuses);
        return b;
    }

    /**
     * The delay before the next attempt.
     *
     * @param failedAttempts failed attempts in a row so far, at least 1
     * @param retryAfter the server's hint, or null when it gave none
     * @return {@code min(retryAfter, maxRetryAfter) + jitter}, never earlier than the hint
     */
    public Duration delayBeforeNextAttempt(int failedAttempts, Duration retryAfter) {
        long jitterMillis = backoff.intervalFunction().apply(Math.max(1, failedAttempts));
        if (retryAfter == null || retryAfter.isNegative()) {
            return Duration.ofMillis(jitterMillis);
        }
        Duration hint = retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
        if (backoff.backoffCeiling(Math.max(1, failedAttempts)).compareTo(RETRY_AFTER_RESOLUTION) < 0) {
            // Retry-After counts whole seconds: clients told the same second spread over all of it.
            jitterMillis = ThreadLocalRandom.current().nextLong(RETRY_AFTER_RESOLUTION.toMillis() + 1);
        }
        return hint.plusMillis(jitterMillis);
    }

    /**
     * Whether an HTTP status ends the attempts.
     *
     * @param status the upgrade response's status
     * @return true when retrying cannot help
     */
    public boolean isPermanent(int status) {
        return permanentStatuses.contains(status);
    }

    /**
     * The backoff policy.
     *
     * @return the policy
     */
    public RetryPolicy backoff() {
        return backoff;
    }

    /**
     * The largest Retry-After honoured; a larger hint is cut to this.
     *
     * @return a positive duration
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * The time an upgrade may take before the attempt counts as timed out.
     *
     * @return a positive duration
     */
    public Duration upgradeTimeout() {
        return upgradeTimeout;
    }

    /**
     * The statuses that end the attempts.
     *
     * @return an immutable set
     */
    public Set<Integer> permanentStatuses() {
        return permanentStatuses;
    }

    @Override
    public String toString() {
        return "ReconnectPolicy{backoff=" + backoff + ", maxRetryAfter=" + maxRetryAfter + ", upgradeTimeout="
                + upgradeTimeout + ", permanentStatuses=" + new TreeSet<>(permanentStatuses) + '}';
    }

    /** Builder for {@link ReconnectPolicy}; not thread-safe. */
    public static final class Builder {
        private RetryPolicy backoff = DEFAULT_BACKOFF;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private Duration upgradeTimeout = DEFAULT_UPGRADE_TIMEOUT;
        private Set<Integer> permanentStatuses = new TreeSet<>(DEFAULT_PERMANENT_STATUSES);

        private Builder() {
        }

        /**
         * Sets the backoff.
         *
         * @param backoff not null; default {@link #DEFAULT_BACKOFF}
         * @return this builder
         */
        public Builder backoff(RetryPolicy backoff) {
            this.backoff = Checks.notNull(backoff, "backoff");
            return this;
        }

        /**
         * Sets the largest Retry-After honoured.
         *
         * @param maxRetryAfter positive; default 60 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = Checks.positive(maxRetryAfter, "maxRetryAfter");
            return this;
        }

        /**
         * Sets the time an upgrade may take.
         *
         * @param upgradeTimeout positive; default 10 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder upgradeTimeout(Duration upgradeTimeout) {
            this.upgradeTimeout = Checks.positive(upgradeTimeout, "upgradeTimeout");
            return this;
        }

        /**
         * Sets the statuses that end the attempts.
         *
         * @param statuses HTTP statuses between 100 and 599; 429 and 503 are refused (they ask for a retry)
         * @return this builder
         * @throws ConfigurationException if a status is out of range, 429 or 503
         */
        public Builder permanentStatuses(Set<Integer> statuses) {
            Checks.notNull(statuses, "permanentStatuses");
            for (Integer s : statuses) {
                Checks.check(s != null && s >= 100 && s <= 599, "permanentStatuses must hold HTTP statuses, but was " + statuses);
                Checks.check(s != 429 && s != 503, "permanentStatuses must not hold 429 or 503 (they ask the client to retry), but was " + statuses);
            }
            this.permanentStatuses = new TreeSet<>(statuses);
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return an immutable policy
         */
        public ReconnectPolicy build() {
            return new ReconnectPolicy(this);
        }
    }
}
