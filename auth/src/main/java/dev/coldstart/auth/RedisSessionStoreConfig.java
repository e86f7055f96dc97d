package dev.coldstart.auth;

import dev.coldstart.core.Checks;
import java.net.URI;
import java.time.Duration;

/**
 * Configuration of {@link SessionStore#redis(RedisSessionStoreConfig)}. Immutable value with a
 * builder; builders are not thread-safe, built configs are.
 */
public final class RedisSessionStoreConfig {
    /** Default key prefix: {@code "coldstart:"}. */
    public static final String DEFAULT_KEY_PREFIX = "coldstart:";
    /** Default component name: {@code "session-store"}. */
    public static final String DEFAULT_NAME = "session-store";
    /** Default command timeout: 2 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final URI redisUri;
    private final String name;
    private final String keyPrefix;
    private final Duration commandTimeout;
    private final int maxUpdateAttempts;
    private final boolean required;

    private RedisSessionStoreConfig(Builder b) {
        this.redisUri = b.redisUri;
        this.name = b.name;
        this.keyPrefix = b.keyPrefix;
        this.commandTimeout = b.commandTimeout;
        this.maxUpdateAttempts = b.maxUpdateAttempts;
        this.required = b.required;
    }

    /**
     * Starts a builder.
     *
     * @param redisUri for example {@code redis://127.0.0.1:6379}; not null
     * @return a new builder
     */
    public static Builder builder(URI redisUri) {
        return new Builder(redisUri);
    }

    /**
     * A builder holding this config's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(redisUri);
        b.name = name;
        b.keyPrefix = keyPrefix;
        b.commandTimeout = commandTimeout;
        b.maxUpdateAttempts = maxUpdateAttempts;
        b.required = required;
        return b;
    }

    /**
     * The Redis URI.
     *
     * @return the URI
     */
    public URI redisUri() {
        return redisUri;
    }

    /**
     * The component's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The prefix of every key; sessions live under {@code <prefix>session:<id>}, locks under
     * {@code <prefix>lock:<id>}.
     *
     * @return the prefix, possibly empty
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * How long one Redis command may take.
     *
     * @return a positive duration
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * The limit of compare-and-set attempts of one {@link SessionStore#update}.
     *
     * @return a positive number
     */
    public int maxUpdateAttempts() {
        return maxUpdateAttempts;
    }

    /**
     * Whether the service may not be READY without the store.
     *
     * @return true by default
     */
    public boolean required() {
        return required;
    }

    @Override
    public String toString() {
        return "RedisSessionStoreConfig{redisUri=" + redisUri.getScheme() + "://" + redisUri.getHost() + ":"
                + redisUri.getPort() + ", name=" + name + ", keyPrefix=" + keyPrefix + ", commandTimeout="
                + commandTimeout + ", maxUpdateAttempts=" + maxUpdateAttempts + ", required=" + required + '}';
    }

    /** Builder of {@link RedisSessionStoreConfig}. Not thread-safe. */
    public static final class Builder {
        private final URI redisUri;
        private String name = DEFAULT_NAME;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private int maxUpdateAttempts = SessionStore.DEFAULT_MAX_UPDATE_ATTEMPTS;
        private boolean required = true;

        private Builder(URI redisUri) {
            Checks.notNull(redisUri, "redisUri");
            Checks.check("redis".equals(redisUri.getScheme()) || "rediss".equals(redisUri.getScheme()),
                    "redisUri must be a redis:// or rediss:// URI, but was " + redisUri.getScheme() + "://...");
            this.redisUri = redisUri;
        }

        /**
         * Sets the component's name.
         *
         * @param name not blank; default {@code "session-store"}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Sets the key prefix.
         *
         * @param keyPrefix not null, may be empty; default {@code "coldstart:"}
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Checks.notNull(keyPrefix, "keyPrefix");
            return this;
        }

        /**
         * Sets the command timeout.
         *
         * @param commandTimeout positive; default 2 s
         * @return this builder
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = Checks.positive(commandTimeout, "commandTimeout");
            return this;
        }

        /**
         * Sets the attempt limit of {@link SessionStore#update}.
         *
         * @param maxUpdateAttempts positive; default 200
         * @return this builder
         */
        public Builder maxUpdateAttempts(int maxUpdateAttempts) {
            this.maxUpdateAttempts = Checks.positive(maxUpdateAttempts, "maxUpdateAttempts");
            return this;
        }

        /**
         * Sets whether the service may not be READY without the store.
         *
         * @param required default true
         * @return this builder
         */
        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         */
        public RedisSessionStoreConfig build() {
            return new RedisSessionStoreConfig(this);
        }
    }
}
