package dev.coldstart.testkit;

import dev.coldstart.core.Checks;
import java.time.Duration;
import java.util.List;

/**
 * The figures of CS-22 (CORS configuration mismatches). Immutable value with a
 * builder; builders are not thread-safe, built parameters are.
 */
public final class Cs22Parameters {
    /** The origins both endpoints allow when configured alike, by default: https://app.example.com, https://admin.example.com. */
    public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of("https://app.example.com", "https://admin.example.com");
    /** The origin the misconfigured WebSocket endpoint allows instead of the API's second origin, by default: https://chat.example.com. */
    public static final String DEFAULT_WEB_SOCKET_ONLY_ORIGIN = "https://chat.example.com";
    /** An origin no endpoint allows, by default: https://evil.example.net. */
    public static final String DEFAULT_DISALLOWED_ORIGIN = "https://evil.example.net";
    /** The method asked for in the preflight, by default: POST. */
    public static final String DEFAULT_PREFLIGHT_METHOD = "POST";
    /** The request header asked for in the preflight, by default: Content-Type. */
    public static final String DEFAULT_PREFLIGHT_HEADER = "Content-Type";
    /** Whether the endpoints accept credentials, by default: true. */
    public static final boolean DEFAULT_ALLOW_CREDENTIALS = true;
    /** The start deadline the service must give its components, by default: 10 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);

    private static final Cs22Parameters DEFAULTS = builder().build();

    private final List<String> allowedOrigins;
    private final String webSocketOnlyOrigin;
    private final String disallowedOrigin;
    private final String preflightMethod;
    private final String preflightHeader;
    private final boolean allowCredentials;
    private final Duration startTimeout;

    private Cs22Parameters(Builder b) {
        this.allowedOrigins = b.allowedOrigins;
        this.webSocketOnlyOrigin = b.webSocketOnlyOrigin;
        this.disallowedOrigin = b.disallowedOrigin;
        this.preflightMethod = b.preflightMethod;
        this.preflightHeader = b.preflightHeader;
        this.allowCredentials = b.allowCredentials;
        this.startTimeout = b.startTimeout;
    }

    /**
     * The figures of the scenario's defaults.
     *
     * @return the shared defaults
     */
    public static Cs22Parameters ofDefaults() {
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
        b.allowedOrigins = allowedOrigins;
        b.webSocketOnlyOrigin = webSocketOnlyOrigin;
        b.disallowedOrigin = disallowedOrigin;
        b.preflightMethod = preflightMethod;
        b.preflightHeader = preflightHeader;
        b.allowCredentials = allowCredentials;
        b.startTimeout = startTimeout;
        return b;
    }

    /**
     * The origins both endpoints allow when configured alike.
     *
     * @return the value
     */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /**
     * The origin the misconfigured WebSocket endpoint allows instead of the API's second origin.
     *
     * @return the value
     */
    public String webSocketOnlyOrigin() {
        return webSocketOnlyOrigin;
    }

    /**
     * An origin no endpoint allows.
     *
     * @return the value
     */
    public String disallowedOrigin() {
        return disallowedOrigin;
    }

    /**
     * The method asked for in the preflight.
     *
     * @return the value
     */
    public String preflightMethod() {
        return preflightMethod;
    }

    /**
     * The request header asked for in the preflight.
     *
     * @return the value
     */
    public String preflightHeader() {
        return preflightHeader;
    }

    /**
     * Whether the endpoints accept credentials.
     *
     * @return the value
     */
    public boolean allowCredentials() {
        return allowCredentials;
    }

    /**
     * The start deadline the service must give its components.
     *
     * @return the value
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    @Override
    public String toString() {
        return "Cs22Parameters{" + "allowedOrigins=" + allowedOrigins + ", webSocketOnlyOrigin=" + webSocketOnlyOrigin + ", disallowedOrigin=" + disallowedOrigin + ", preflightMethod=" + preflightMethod + ", preflightHeader=" + preflightHeader + ", allowCredentials=" + allowCredentials + ", startTimeout=" + startTimeout + '}';
    }

    /** Builder of {@link Cs22Parameters}. Not thread-safe. */
    public static final class Builder {
        private List<String> allowedOrigins = DEFAULT_ALLOWED_ORIGINS;
        private String webSocketOnlyOrigin = DEFAULT_WEB_SOCKET_ONLY_ORIGIN;
        private String disallowedOrigin = DEFAULT_DISALLOWED_ORIGIN;
        private String preflightMethod = DEFAULT_PREFLIGHT_METHOD;
        private String preflightHeader = DEFAULT_PREFLIGHT_HEADER;
        private boolean allowCredentials = DEFAULT_ALLOW_CREDENTIALS;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets the origins both endpoints allow when configured alike.
         *
         * @param allowedOrigins not null; default https://app.example.com, https://admin.example.com
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not not null
         */
        public Builder allowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = List.copyOf(Checks.notNull(allowedOrigins, "allowedOrigins"));
            return this;
        }

        /**
         * Sets the origin the misconfigured WebSocket endpoint allows instead of the API's second origin.
         *
         * @param webSocketOnlyOrigin not blank; default https://chat.example.com
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not not blank
         */
        public Builder webSocketOnlyOrigin(String webSocketOnlyOrigin) {
            this.webSocketOnlyOrigin = Checks.notBlank(webSocketOnlyOrigin, "webSocketOnlyOrigin");
            return this;
        }

        /**
         * Sets an origin no endpoint allows.
         *
         * @param disallowedOrigin not blank; default https://evil.example.net
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not not blank
         */
        public Builder disallowedOrigin(String disallowedOrigin) {
            this.disallowedOrigin = Checks.notBlank(disallowedOrigin, "disallowedOrigin");
            return this;
        }

        /**
         * Sets the method asked for in the preflight.
         *
         * @param preflightMethod not blank; default POST
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not not blank
         */
        public Builder preflightMethod(String preflightMethod) {
            this.preflightMethod = Checks.notBlank(preflightMethod, "preflightMethod");
            return this;
        }

        /**
         * Sets the request header asked for in the preflight.
         *
         * @param preflightHeader not blank; default Content-Type
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if not not blank
         */
        public Builder preflightHeader(String preflightHeader) {
            this.preflightHeader = Checks.notBlank(preflightHeader, "preflightHeader");
            return this;
        }

        /**
         * Sets whether the endpoints accept credentials.
         *
         * @param allowCredentials any; default true
         * @return this builder
         */
        public Builder allowCredentials(boolean allowCredentials) {
            this.allowCredentials = allowCredentials;
            return this;
        }

        /**
         * Sets the start deadline the service must give its components.
         *
         * @param startTimeout positive; default 10 s
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
        public Cs22Parameters build() {
            return new Cs22Parameters(this);
        }
    }
}
