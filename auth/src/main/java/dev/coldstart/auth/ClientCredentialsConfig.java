package dev.coldstart.auth;

import dev.coldstart.core.Checks;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Configuration of {@link ClientCredentialsTokens}: the OAuth 2.0 client-credentials grant
 * (RFC 6749, section 4.4) with refresh ahead of expiry. Immutable value with a builder; builders
 * are not thread-safe, built configs are. {@link #toString()} masks the secret.
 */
public final class ClientCredentialsConfig {
    /** Default time before expiry at which a token is refreshed in the background: 60 s (at most half its lifetime). */
    public static final Duration DEFAULT_REFRESH_AHEAD = Duration.ofSeconds(60);
    /** Default time a caller of {@link ClientCredentialsTokens#token()} waits for a token, retries included: 10 s. */
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(10);
    /** Default first backoff between failed token requests: 100 ms (doubling, full jitter). */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    /** Default cap on the backoff: 2 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);

    private final String name;
    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final String audience;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration refreshAhead;
    private final Duration fetchTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final boolean required;
    private final Clock clock;

    private ClientCredentialsConfig(Builder b) {
        this.name = b.name;
        this.tokenEndpoint = b.tokenEndpoint;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.scope = b.scope;
        this.audience = b.audience;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.refreshAhead = b.refreshAhead;
        this.fetchTimeout = b.fetchTimeout;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.required = b.required;
        this.clock = b.clock;
    }

    /**
     * Starts a builder.
     *
     * @param name the component's name, used in logs; not blank
     * @param tokenEndpoint the token endpoint, for Keycloak {@code <issuer>/protocol/openid-connect/token}; http(s)
     * @param clientId the client id; not blank
     * @param clientSecret the client secret; not blank; never logged
     * @return a new builder
     */
    public static Builder builder(String name, URI tokenEndpoint, String clientId, String clientSecret) {
        return new Builder(name, tokenEndpoint, clientId, clientSecret);
    }

    /**
     * A builder holding this config's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(name, tokenEndpoint, clientId, clientSecret);
        b.scope = scope;
        b.audience = audience;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.refreshAhead = refreshAhead;
        b.fetchTimeout = fetchTimeout;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.required = required;
        b.clock = clock;
        return b;
    }

    /** @return the component's name */
    public String name() {
        return name;
    }

    /** @return the token endpoint */
    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    /** @return the client id */
    public String clientId() {
        return clientId;
    }

    /** @return the client secret; handle with care */
    public String clientSecret() {
        return clientSecret;
    }

    /** @return the requested scope, or null for the client's default */
    public String scope() {
        return scope;
    }

    /** @return the {@code audience} parameter (Auth0 and others), or null to send none */
    public String audience() {
        return audience;
    }

    /** @return the TCP connect timeout */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return how long one token request may take */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** @return how long before expiry a token is refreshed in the background (at most half its lifetime) */
    public Duration refreshAhead() {
        return refreshAhead;
    }

    /** @return how long {@link ClientCredentialsTokens#token()} waits at most, retries included */
    public Duration fetchTimeout() {
        return fetchTimeout;
    }

    /** @return the first backoff between failed requests */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the cap on the backoff */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return whether the service may not be READY without a token */
    public boolean required() {
        return required;
    }

    /** @return the clock deciding expiry */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "ClientCredentialsConfig{name=" + name + ", tokenEndpoint=" + tokenEndpoint + ", clientId=" + clientId
                + ", clientSecret=***, scope=" + scope + ", audience=" + audience + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", refreshAhead=" + refreshAhead + ", fetchTimeout="
                + fetchTimeout + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", required="
                + required + '}';
    }

    /** Builder of {@link ClientCredentialsConfig}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final URI tokenEndpoint;
        private final String clientId;
        private final String clientSecret;
        private String scope;
        private String audience;
        private Duration connectTimeout = IdentityProviderConfig.DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = IdentityProviderConfig.DEFAULT_REQUEST_TIMEOUT;
        private Duration refreshAhead = DEFAULT_REFRESH_AHEAD;
        private Duration fetchTimeout = DEFAULT_FETCH_TIMEOUT;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private boolean required = true;
        private Clock clock = Clock.systemUTC();

        private Builder(String name, URI tokenEndpoint, String clientId, String clientSecret) {
            this.name = Checks.notBlank(name, "name");
            Checks.notNull(tokenEndpoint, "tokenEndpoint");
            Checks.check(tokenEndpoint.isAbsolute() && ("http".equals(tokenEndpoint.getScheme())
                    || "https".equals(tokenEndpoint.getScheme())),
                    "tokenEndpoint must be an absolute http(s) URL, but was " + tokenEndpoint);
            this.tokenEndpoint = tokenEndpoint;
            this.clientId = Checks.notBlank(clientId, "clientId");
            Checks.check(clientSecret != null && !clientSecret.isBlank(), "clientSecret must not be blank");
            this.clientSecret = clientSecret;
        }

        /**
         * Sets the scope to request.
         *
         * @param scope space-separated scopes; not blank
         * @return this builder
         */
        public Builder scope(String scope) {
            this.scope = Checks.notBlank(scope, "scope");
            return this;
        }

        /**
         * Sets the {@code audience} parameter some providers need.
         *
         * @param audience not blank
         * @return this builder
         */
        public Builder audience(String audience) {
            this.audience = Checks.notBlank(audience, "audience");
            return this;
        }

        /**
         * Sets the TCP connect timeout.
         *
         * @param connectTimeout positive; default 2 s
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Sets how long one token request may take.
         *
         * @param requestTimeout positive; default 5 s
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Checks.positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * Sets how long before expiry a token is refreshed in the background; clamped to half the
         * token's lifetime.
         *
         * @param refreshAhead zero or more; default 60 s
         * @return this builder
         */
        public Builder refreshAhead(Duration refreshAhead) {
            this.refreshAhead = Checks.notNegative(refreshAhead, "refreshAhead");
            return this;
        }

        /**
         * Sets how long a caller waits for a token, retries included.
         *
         * @param fetchTimeout positive; default 10 s
         * @return this builder
         */
        public Builder fetchTimeout(Duration fetchTimeout) {
            this.fetchTimeout = Checks.positive(fetchTimeout, "fetchTimeout");
            return this;
        }

        /**
         * Sets the backoff between failed token requests (doubling with full jitter up to the cap).
         *
         * @param initialBackoff positive; default 100 ms
         * @param maxBackoff at least {@code initialBackoff}; default 2 s
         * @return this builder
         */
        public Builder backoff(Duration initialBackoff, Duration maxBackoff) {
            Checks.positive(initialBackoff, "initialBackoff");
            Checks.positive(maxBackoff, "maxBackoff");
            Checks.check(maxBackoff.compareTo(initialBackoff) >= 0, "maxBackoff must be greater than or equal to "
                    + "initialBackoff (" + initialBackoff + "), but was " + maxBackoff);
            this.initialBackoff = initialBackoff;
            this.maxBackoff = maxBackoff;
            return this;
        }

        /**
         * Sets whether the service may not be READY without a token.
         *
         * @param required default true
         * @return this builder
         */
        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /**
         * Sets the clock deciding expiry.
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
        public ClientCredentialsConfig build() {
            return new ClientCredentialsConfig(this);
        }
    }
}
