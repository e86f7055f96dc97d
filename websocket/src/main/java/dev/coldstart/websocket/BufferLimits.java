package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.time.Duration;

/**
 * How much a {@link MessageLog} keeps per session, and for how long a session survives without a
 * connection.
 *
 * <p>Each session keeps at most {@link #maxMessagesPerSession()} messages and at most
 * {@link #maxBytesPerSession()} bytes of payload (UTF-8); appending beyond either drops the oldest
 * messages. A client resuming from a point older than the oldest kept message receives an explicit
 * gap marker naming the dropped sequence numbers, never a silent hole. A session that has had no
 * connection for {@link #sessionTtl()} is forgotten; a client resuming it later is told to resync.
 * Memory is therefore bounded by {@code sessions x maxBytesPerSession} payload bytes plus a
 * reference per kept message.
 *
 * <p>Immutable and thread-safe; builders are not thread-safe.
 */
public final class BufferLimits {
    /** Default messages kept per session: 10,000. */
    public static final int DEFAULT_MAX_MESSAGES_PER_SESSION = 10_000;
    /** Default payload bytes kept per session: 4 MiB. */
    public static final long DEFAULT_MAX_BYTES_PER_SESSION = 4L * 1024 * 1024;
    /** Default time a session survives without a connection: 5 min. */
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofMinutes(5);

    private static final BufferLimits DEFAULTS = builder().build();

    private final int maxMessagesPerSession;
    private final long maxBytesPerSession;
    private final Duration sessionTtl;

    private BufferLimits(Builder b) {
        this.maxMessagesPerSession = b.maxMessagesPerSession;
        this.maxBytesPerSession = b.maxBytesPerSession;
        this.sessionTtl = b.sessionTtl;
    }

    /**
     * The defaults: 10,000 messages and 4 MiB per session, sessions kept 5 minutes without a
     * connection.
     *
     * @return the shared default limits
     */
    public static BufferLimits ofDefaults() {
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
     * A builder holding these limits.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxMessagesPerSession = maxMessagesPerSession;
        b.maxBytesPerSession = maxBytesPerSession;
        b.sessionTtl = sessionTtl;
        return b;
    }

    /**
     * The most messages kept per session.
     *
     * @return at least 1
     */
    public int maxMessagesPerSession() {
        return maxMessagesPerSession;
    }

    /**
     * The most payload bytes (UTF-8) kept per session; also the largest message accepted.
     *
     * @return at least 1
     */
    public long maxBytesPerSession() {
        return maxBytesPerSession;
    }

    /**
     * How long a session survives without a connection.
     *
     * @return a positive duration
     */
    public Duration sessionTtl() {
        return sessionTtl;
    }

    @Override
    public String toString() {
        return "BufferLimits{maxMessagesPerSession=" + maxMessagesPerSession + ", maxBytesPerSession="
                + maxBytesPerSession + ", sessionTtl=" + sessionTtl + '}';
    }

    /** Builder for {@link BufferLimits}; not thread-safe. */
    public static final class Builder {
        private int maxMessagesPerSession = DEFAULT_MAX_MESSAGES_PER_SESSION;
        private long maxBytesPerSession = DEFAULT_MAX_BYTES_PER_SESSION;
        private Duration sessionTtl = DEFAULT_SESSION_TTL;

        private Builder() {
        }

        /**
         * Sets the most messages kept per session.
         *
         * @param maxMessagesPerSession at least 1; default 10,000
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxMessagesPerSession(int maxMessagesPerSession) {
            this.maxMessagesPerSession = Checks.positive(maxMessagesPerSession, "maxMessagesPerSession");
            return this;
        }

        /**
         * Sets the most payload bytes kept per session.
         *
         * @param maxBytesPerSession at least 1; default 4 MiB
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxBytesPerSession(long maxBytesPerSession) {
            this.maxBytesPerSession = Checks.positive(maxBytesPerSession, "maxBytesPerSession");
            return this;
        }

        /**
         * Sets how long a session survives without a connection.
         *
         * @param sessionTtl at least 1 s; default 5 min
         * @return this builder
         * @throws ConfigurationException if shorter than 1 s
         */
        public Builder sessionTtl(Duration sessionTtl) {
            Checks.positive(sessionTtl, "sessionTtl");
            Checks.check(sessionTtl.compareTo(Duration.ofSeconds(1)) >= 0, "sessionTtl must be at least PT1S, but was " + sessionTtl);
            this.sessionTtl = sessionTtl;
            return this;
        }

        /**
         * Builds the limits.
         *
         * @return immutable limits
         */
        public BufferLimits build() {
            return new BufferLimits(this);
        }
    }
}
