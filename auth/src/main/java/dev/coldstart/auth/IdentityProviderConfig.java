package dev.coldstart.auth;

import com.nimbusds.jose.JWSAlgorithm;
import dev.coldstart.core.Checks;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Configuration of one {@link IdentityProvider}: where its keys are, what a valid token looks like
 * and how keys are refreshed. Immutable value with a builder; builders are not thread-safe, built
 * configs are.
 *
 * <p>Give either the issuer alone (its discovery document is read from
 * {@code <issuer>/.well-known/openid-configuration}, OpenID Connect Discovery 1.0, section 4), or
 * the issuer and a {@link Builder#jwksUri(URI)} to skip discovery.
 *
 * <pre>{@code
 * IdentityProviderConfig config = IdentityProviderConfig.builder("keycloak", "https://sso.example.com/realms/shop")
 *         .audiences("orders-api")
 *         .keySetStore(KeySetStore.file(Path.of("/var/lib/orders/jwks")))
 *         .build();
 * }</pre>
 */
public final class IdentityProviderConfig {
    /** Default accepted algorithms: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512. */
    public static final Set<String> DEFAULT_ALLOWED_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384",
            "PS512", "ES256", "ES384", "ES512");
    /** Default tolerated clock difference for {@code exp}, {@code nbf} and {@code iat}: 60 s (Nimbus's default too). */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    /** Default TCP connect timeout: 2 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Default time a request to the provider may take until its response arrives: 5 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Default interval of background key-set refreshes: 5 min. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);
    /** Default minimum time between two refreshes triggered by unknown {@code kid}s: 10 s. */
    public static final Duration DEFAULT_UNKNOWN_KEY_REFRESH_INTERVAL = Duration.ofSeconds(10);
    /** Default time a {@code kid} still unknown after a refresh is refused without fetching: 60 s. */
    public static final Duration DEFAULT_UNKNOWN_KEY_COOLDOWN = Duration.ofSeconds(60);
    /** Default maximum age of the key set in use before the provider's component reports down: 24 h. */
    public static final Duration DEFAULT_MAX_KEY_SET_AGE = Duration.ofHours(24);
    /** Default longest accepted token: 16384 characters. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 16_384;

    private final String name;
    private final String issuer;
    private final URI discoveryUri;
    private final URI explicitDiscoveryUri;
    private final URI jwksUri;
    private final Set<String> audiences;
    private final Set<String> allowedAlgorithms;
    private final Duration clockSkew;
    private final boolean requireExpiry;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration refreshInterval;
    private final Duration unknownKeyRefreshInterval;
    private final Duration unknownKeyCooldown;
    private final Duration maxKeySetAge;
    private final KeySetStore keySetStore;
    private final boolean required;
    private final int maxTokenLength;
    private final Clock clock;

    private IdentityProviderConfig(Builder b) {
        this.name = b.name;
        this.issuer = b.issuer;
        this.jwksUri = b.jwksUri;
        this.explicitDiscoveryUri = b.discoveryUri;
        this.discoveryUri = b.discoveryUri != null || b.jwksUri != null ? b.discoveryUri
                : URI.create(stripSlash(b.issuer) + "/.well-known/openid-configuration");
        this.audiences = Set.copyOf(b.audiences);
        this.allowedAlgorithms = Set.copyOf(b.allowedAlgorithms);
        this.clockSkew = b.clockSkew;
        this.requireExpiry = b.requireExpiry;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.refreshInterval = b.refreshInterval;
        this.unknownKeyRefreshInterval = b.unknownKeyRefreshInterval;
        this.unknownKeyCooldown = b.unknownKeyCooldown;
        this.maxKeySetAge = b.maxKeySetAge;
        this.keySetStore = b.keySetStore;
        this.required = b.required;
        this.maxTokenLength = b.maxTokenLength;
        this.clock = b.clock;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Starts a builder.
     *
     * @param name the provider's name, used as component name and in logs; not blank
     * @param issuer the issuer exactly as tokens name it in {@code iss}, for example
     *     {@code https://sso.example.com/realms/shop}; not blank
     * @return a new builder
     * @throws dev.coldstart.core.ConfigurationException if either is blank
     */
    public static Builder builder(String name, String issuer) {
        return new Builder(name, issuer);
    }

    /**
     * A builder holding this config's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(name, issuer);
        b.discoveryUri = explicitDiscoveryUri;
        b.jwksUri = jwksUri;
        b.audiences.addAll(audiences);
        b.allowedAlgorithms.clear();
        b.allowedAlgorithms.addAll(allowedAlgorithms);
        b.clockSkew = clockSkew;
        b.requireExpiry = requireExpiry;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.refreshInterval = refreshInterval;
        b.unknownKeyRefreshInterval = unknownKeyRefreshInterval;
        b.unknownKeyCooldown = unknownKeyCooldown;
        b.maxKeySetAge = maxKeySetAge;
        b.keySetStore = keySetStore;
        b.required = required;
        b.maxTokenLength = maxTokenLength;
        b.clock = clock;
        return b;
    }

    /**
     * The provider's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The expected issuer.
     *
     * @return the issuer
     */
    public String issuer() {
        return issuer;
    }

    /**
     * The discovery document's URL.
     *
     * @return the URL, or null when discovery is skipped because {@link #jwksUri()} is set
     */
    public URI discoveryUri() {
        return discoveryUri;
    }

    /**
     * The JWKS URL when set directly.
     *
     * @return the URL, or null when it is read from the discovery document
     */
    public URI jwksUri() {
        return jwksUri;
    }

    /**
     * The accepted audiences; a token must name at least one in {@code aud}.
     *
     * @return an immutable set; empty means the audience is not checked
     */
    public Set<String> audiences() {
        return audiences;
    }

    /**
     * The accepted JWS algorithms, asymmetric only.
     *
     * @return an immutable set of names such as {@code RS256}
     */
    public Set<String> allowedAlgorithms() {
        return allowedAlgorithms;
    }

    /**
     * The tolerated clock difference for {@code exp}, {@code nbf} and {@code iat}.
     *
     * @return zero or more
     */
    public Duration clockSkew() {
        return clockSkew;
    }

    /**
     * Whether a token without {@code exp} is refused.
     *
     * @return true by default
     */
    public boolean requireExpiry() {
        return requireExpiry;
    }

    /**
     * The TCP connect timeout of requests to the provider.
     *
     * @return a positive duration
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long a request to the provider may take until its response arrives.
     *
     * @return a positive duration
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * The interval of background key-set refreshes, which pick up keys published ahead of use and
     * drop keys the provider no longer publishes.
     *
     * @return a positive duration
     */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    /**
     * The minimum time between two refreshes triggered by unknown {@code kid}s (the rate limit).
     *
     * @return zero or more; zero disables the rate limit (the cool-down still applies)
     */
    public Duration unknownKeyRefreshInterval() {
        return unknownKeyRefreshInterval;
    }

    /**
     * How long a {@code kid} still unknown after a refresh is refused without fetching again.
     *
     * @return zero or more
     */
    public Duration unknownKeyCooldown() {
        return unknownKeyCooldown;
    }

    /**
     * The maximum age of the key set in use, fresh or last-known-good; beyond it the provider's
     * component reports down and readiness goes down with it (when required).
     *
     * @return a positive duration
     */
    public Duration maxKeySetAge() {
        return maxKeySetAge;
    }

    /**
     * Where the last-known-good key set is kept.
     *
     * @return the store; {@link KeySetStore#none()} by default
     */
    public KeySetStore keySetStore() {
        return keySetStore;
    }

    /**
     * Whether the service may not be READY without this provider's keys.
     *
     * @return true by default
     */
    public boolean required() {
        return required;
    }

    /**
     * The longest accepted token, in characters.
     *
     * @return a positive number
     */
    public int maxTokenLength() {
        return maxTokenLength;
    }

    /**
     * The clock for token validity and key ages.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "IdentityProviderConfig{name=" + name + ", issuer=" + issuer + ", discoveryUri=" + discoveryUri
                + ", jwksUri=" + jwksUri + ", audiences=" + audiences + ", allowedAlgorithms=" + allowedAlgorithms
                + ", clockSkew=" + clockSkew + ", requireExpiry=" + requireExpiry + ", connectTimeout="
                + connectTimeout + ", requestTimeout=" + requestTimeout + ", refreshInterval=" + refreshInterval
                + ", unknownKeyRefreshInterval=" + unknownKeyRefreshInterval + ", unknownKeyCooldown="
                + unknownKeyCooldown + ", maxKeySetAge=" + maxKeySetAge + ", keySetStore=" + keySetStore
                + ", required=" + required + ", maxTokenLength=" + maxTokenLength + '}';
    }

    /** Builder of {@link IdentityProviderConfig}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String issuer;
        private URI discoveryUri;
        private URI jwksUri;
        private final Set<String> audiences = new LinkedHashSet<>();
        private final Set<String> allowedAlgorithms = new LinkedHashSet<>(DEFAULT_ALLOWED_ALGORITHMS);
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private boolean requireExpiry = true;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
        private Duration unknownKeyRefreshInterval = DEFAULT_UNKNOWN_KEY_REFRESH_INTERVAL;
        private Duration unknownKeyCooldown = DEFAULT_UNKNOWN_KEY_COOLDOWN;
        private Duration maxKeySetAge = DEFAULT_MAX_KEY_SET_AGE;
        private KeySetStore keySetStore = KeySetStore.none();
        private boolean required = true;
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
        private Clock clock = Clock.systemUTC();

        private Builder(String name, String issuer) {
            this.name = Checks.notBlank(name, "name");
            this.issuer = Checks.notBlank(issuer, "issuer");
        }

        /**
         * Sets the discovery document's URL when it is not {@code <issuer>/.well-known/openid-configuration}.
         *
         * @param discoveryUri an absolute http(s) URL; not null
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not an absolute http(s) URL
         */
        public Builder discoveryUri(URI discoveryUri) {
            this.discoveryUri = httpUri(discoveryUri, "discoveryUri");
            return this;
        }

        /**
         * Sets the JWKS URL directly, skipping discovery (unless a discovery URL is set too, which
         * is then still read for the token endpoint and the issuer check).
         *
         * @param jwksUri an absolute http(s) URL; not null
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not an absolute http(s) URL
         */
        public Builder jwksUri(URI jwksUri) {
            this.jwksUri = httpUri(jwksUri, "jwksUri");
            return this;
        }

        /**
         * Adds accepted audiences; a token must name at least one of them in {@code aud}. None by
         * default, which means the audience is not checked: set it for any service that shares a
         * provider with others.
         *
         * @param audiences not blank
         * @return this builder
         */
        public Builder audiences(String... audiences) {
            for (String a : audiences) {
                this.audiences.add(Checks.notBlank(a, "audiences"));
            }
            return this;
        }

        /**
         * Replaces the accepted JWS algorithms. Only asymmetric algorithms are accepted: a key set
         * holds public keys, and accepting HMAC would let a token signed with the public key as
         * shared secret through (algorithm confusion).
         *
         * @param algorithms names such as {@code RS256} or {@code ES256}; at least one
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if empty, unknown or symmetric
         */
        public Builder allowedAlgorithms(String... algorithms) {
            Checks.check(algorithms.length > 0, "allowedAlgorithms must not be empty, but was []");
            Set<String> set = new LinkedHashSet<>();
            for (String a : algorithms) {
                JWSAlgorithm alg = JWSAlgorithm.parse(Checks.notBlank(a, "allowedAlgorithms"));
                boolean asymmetric = JWSAlgorithm.Family.RSA.contains(alg) || JWSAlgorithm.Family.EC.contains(alg);
                Checks.check(asymmetric, "allowedAlgorithms must be RSA or EC signature algorithms (RS256, PS256, "
                        + "ES256 ...), but was " + a);
                set.add(alg.getName());
            }
            allowedAlgorithms.clear();
            allowedAlgorithms.addAll(set);
            return this;
        }

        /**
         * Sets the tolerated clock difference for {@code exp}, {@code nbf} and {@code iat}.
         *
         * @param clockSkew zero or more; default 60 s
         * @return this builder
         */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = Checks.notNegative(clockSkew, "clockSkew");
            return this;
        }

        /**
         * Sets whether tokens without {@code exp} are refused.
         *
         * @param requireExpiry default true
         * @return this builder
         */
        public Builder requireExpiry(boolean requireExpiry) {
            this.requireExpiry = requireExpiry;
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
         * Sets how long a request may take until its response arrives; a slower provider fails
         * the attempt with {@link ProviderTimeoutException}.
         *
         * @param requestTimeout positive; default 5 s
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Checks.positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * Sets the interval of background refreshes.
         *
         * @param refreshInterval positive; default 5 min
         * @return this builder
         */
        public Builder refreshInterval(Duration refreshInterval) {
            this.refreshInterval = Checks.positive(refreshInterval, "refreshInterval");
            return this;
        }

        /**
         * Sets the minimum time between two refreshes triggered by unknown {@code kid}s.
         *
         * @param interval zero or more; default 10 s
         * @return this builder
         */
        public Builder unknownKeyRefreshInterval(Duration interval) {
            this.unknownKeyRefreshInterval = Checks.notNegative(interval, "unknownKeyRefreshInterval");
            return this;
        }

        /**
         * Sets how long a {@code kid} still unknown after a refresh is refused without fetching.
         *
         * @param cooldown zero or more; default 60 s
         * @return this builder
         */
        public Builder unknownKeyCooldown(Duration cooldown) {
            this.unknownKeyCooldown = Checks.notNegative(cooldown, "unknownKeyCooldown");
            return this;
        }

        /**
         * Sets the maximum age of the key set in use (fresh or last-known-good).
         *
         * @param maxKeySetAge positive; default 24 h
         * @return this builder
         */
        public Builder maxKeySetAge(Duration maxKeySetAge) {
            this.maxKeySetAge = Checks.positive(maxKeySetAge, "maxKeySetAge");
            return this;
        }

        /**
         * Sets where the last-known-good key set is kept.
         *
         * @param keySetStore not null; default {@link KeySetStore#none()}
         * @return this builder
         */
        public Builder keySetStore(KeySetStore keySetStore) {
            this.keySetStore = Checks.notNull(keySetStore, "keySetStore");
            return this;
        }

        /**
         * Sets whether the service may not be READY without this provider (default true).
         *
         * @param required false for a secondary provider the service can run without
         * @return this builder
         */
        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /**
         * Marks the provider optional: without it the service is READY in degraded mode.
         *
         * @return this builder
         */
        public Builder optional() {
            return required(false);
        }

        /**
         * Sets the longest accepted token.
         *
         * @param maxTokenLength in characters, positive; default 16384
         * @return this builder
         */
        public Builder maxTokenLength(int maxTokenLength) {
            this.maxTokenLength = Checks.positive(maxTokenLength, "maxTokenLength");
            return this;
        }

        /**
         * Sets the clock for token validity and key ages (tests use a fake one).
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
         * @throws dev.coldstart.core.ConfigurationException if the issuer is not an absolute URL
         *     while discovery is used
         */
        public IdentityProviderConfig build() {
            if (discoveryUri == null && jwksUri == null) {
                URI u;
                try {
                    u = URI.create(issuer);
                } catch (IllegalArgumentException e) {
                    u = null;
                }
                Checks.check(u != null && u.isAbsolute() && ("http".equals(u.getScheme()) || "https".equals(u.getScheme())),
                        "issuer must be an absolute http(s) URL when discovery is used (or set jwksUri), but was " + issuer);
            }
            return new IdentityProviderConfig(this);
        }

        private static URI httpUri(URI uri, String field) {
            Checks.notNull(uri, field);
            Checks.check(uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())),
                    field + " must be an absolute http(s) URL, but was " + uri);
            return uri;
        }
    }
}
