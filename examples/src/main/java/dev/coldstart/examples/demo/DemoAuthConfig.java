package dev.coldstart.examples.demo;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The demo's optional OIDC settings: the issuer whose bearer tokens {@code /api/me} accepts, an
 * optional second (partner) issuer the demo starts without, where the last-known-good key set is
 * kept, and the client credentials the demo uses as a caller. Without an issuer the demo has no
 * auth at all. Immutable and thread-safe; build with {@link #builder()}.
 */
public final class DemoAuthConfig {
    /** Default audience the demo's tokens must name. */
    public static final String DEFAULT_AUDIENCE = "coldstart-demo";
    /** Default start deadline of each auth component. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /** Default timeout of one request to the provider. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Default lead between publishing a new signing key of the demo's own and signing with it. */
    public static final Duration DEFAULT_SIGNING_KEY_PUBLISH_LEAD = Duration.ofMinutes(10);
    /** Environment variable holding the client secret, kept off the command line. */
    public static final String CLIENT_SECRET_ENV = "COLDSTART_OIDC_CLIENT_SECRET";

    private static final DemoAuthConfig DEFAULTS = builder().build();

    static final String USAGE = String.join("\n",
            "  --oidc-issuer URL     OIDC issuer (Keycloak-style realm URL) whose bearer tokens /api/me",
            "                        accepts; its discovery and JWKS are fetched before READY (default: no auth)",
            "  --oidc-audience AUD   audience the tokens must name (default " + DEFAULT_AUDIENCE + ")",
            "  --oidc-partner-issuer URL  a second, optional issuer: the demo is READY (degraded) without it",
            "  --oidc-start-timeout SECS  start deadline of the provider and the other auth components (default 30)",
            "  --oidc-key-cache DIR  keep the last-known-good key set in DIR, so a restart while the",
            "                        provider is down still validates tokens signed by known keys",
            "  --oidc-client-id ID   client-credentials client of the demo as a caller (secret from "
                    + CLIENT_SECRET_ENV + ")",
            "  --oidc-token-endpoint URL  the provider's token endpoint for --oidc-client-id");

    private final String issuer;
    private final String audience;
    private final String secondaryIssuer;
    private final Path keySetDirectory;
    private final Duration startTimeout;
    private final Duration requestTimeout;
    private final Duration signingKeyPublishLead;
    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;

    private DemoAuthConfig(Builder b) {
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.secondaryIssuer = b.secondaryIssuer;
        this.keySetDirectory = b.keySetDirectory;
        this.startTimeout = b.startTimeout;
        this.requestTimeout = b.requestTimeout;
        this.signingKeyPublishLead = b.signingKeyPublishLead;
        this.tokenEndpoint = b.tokenEndpoint;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
    }

    /**
     * No auth: no issuer configured.
     *
     * @return the defaults
     */
    public static DemoAuthConfig ofDefaults() {
        return DEFAULTS;
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.issuer = issuer;
        b.audience = audience;
        b.secondaryIssuer = secondaryIssuer;
        b.keySetDirectory = keySetDirectory;
        b.startTimeout = startTimeout;
        b.requestTimeout = requestTimeout;
        b.signingKeyPublishLead = signingKeyPublishLead;
        b.tokenEndpoint = tokenEndpoint;
        b.clientId = clientId;
        b.clientSecret = clientSecret;
        return b;
    }

    /**
     * Applies one of the {@code --oidc-*} options at {@code args[i]}, reading the client secret from
     * {@code env} when the client id is given.
     *
     * @param b the builder to apply it to
     * @param args the command line
     * @param i the option's index
     * @param env the environment, for {@value #CLIENT_SECRET_ENV}
     * @return how many arguments it used (the option and its value), or 0 if it is not one of these
     * @throws ConfigurationException if its value is missing or invalid
     */
    static int parseOption(Builder b, String[] args, int i, Map<String, String> env) {
        String option = args[i];
        switch (option) {
            case "--oidc-issuer" -> b.issuer(value(args, i, option));
            case "--oidc-audience" -> b.audience(value(args, i, option));
            case "--oidc-partner-issuer" -> b.secondaryIssuer(value(args, i, option));
            case "--oidc-key-cache" -> b.keySetDirectory(Path.of(value(args, i, option)));
            case "--oidc-start-timeout" -> b.startTimeout(Duration.ofSeconds(seconds(value(args, i, option), option)));
            case "--oidc-token-endpoint" -> b.tokenEndpoint(URI.create(value(args, i, option)));
            case "--oidc-client-id" -> {
                String secret = env.get(CLIENT_SECRET_ENV);
                if (secret == null || secret.isBlank()) {
                    throw new ConfigurationException(option + " needs the client secret in " + CLIENT_SECRET_ENV
                            + ", but it was not set; export it before starting the demo");
                }
                b.clientCredentials(value(args, i, option), secret);
            }
            default -> {
                return 0;
            }
        }
        return 2;
    }

    private static long seconds(String v, String option) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(option + " must be a whole number of seconds, but was " + v);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new ConfigurationException(option + " needs a value");
        }
        return args[i + 1];
    }

    /**
     * Whether auth is on, that is an issuer is configured.
     *
     * @return true with {@link #issuer()}
     */
    public boolean enabled() {
        return issuer != null;
    }

    /**
     * The required issuer.
     *
     * @return the issuer URL; null when auth is off (the default)
     */
    public String issuer() {
        return issuer;
    }

    /**
     * The audience tokens must name.
     *
     * @return not blank; default {@value #DEFAULT_AUDIENCE}
     */
    public String audience() {
        return audience;
    }

    /**
     * The optional second issuer.
     *
     * @return its URL; null by default
     */
    public String secondaryIssuer() {
        return secondaryIssuer;
    }

    /**
     * Where the last-known-good key set is kept.
     *
     * @return a directory; null (not kept) by default
     */
    public Path keySetDirectory() {
        return keySetDirectory;
    }

    /**
     * Start deadline of each auth component: the provider is retried with backoff until then.
     *
     * @return positive; default {@link #DEFAULT_START_TIMEOUT}
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * Timeout of one request to a provider.
     *
     * @return positive; default {@link #DEFAULT_REQUEST_TIMEOUT}
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Lead between publishing a new key of the demo's own and signing with it.
     *
     * @return not negative; default {@link #DEFAULT_SIGNING_KEY_PUBLISH_LEAD}
     */
    public Duration signingKeyPublishLead() {
        return signingKeyPublishLead;
    }

    /**
     * The token endpoint of the client credentials.
     *
     * @return the URL; null unless {@link #clientId()} is set
     */
    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    /**
     * The client id the demo obtains tokens with as a caller.
     *
     * @return the id; null (the demo is no caller) by default
     */
    public String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    @Override
    public String toString() {
        return "DemoAuthConfig{issuer=" + issuer + ", audience=" + audience + ", secondaryIssuer=" + secondaryIssuer
                + ", keySetDirectory=" + keySetDirectory + ", startTimeout=" + startTimeout
                + ", requestTimeout=" + requestTimeout
                + ", signingKeyPublishLead=" + signingKeyPublishLead + ", tokenEndpoint=" + tokenEndpoint
                + ", clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none" : "***") + '}';
    }

    /** Builds a {@link DemoAuthConfig}; not thread-safe. */
    public static final class Builder {
        private String issuer;
        private String audience = DEFAULT_AUDIENCE;
        private String secondaryIssuer;
        private Path keySetDirectory;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration signingKeyPublishLead = DEFAULT_SIGNING_KEY_PUBLISH_LEAD;
        private URI tokenEndpoint;
        private String clientId;
        private String clientSecret;

        private Builder() {
        }

        /**
         * Sets the required issuer, which turns auth on.
         *
         * @param issuer an http(s) URL, or null for no auth
         * @return this builder
         */
        public Builder issuer(String issuer) {
            this.issuer = issuer == null ? null : httpUrl(issuer, "issuer");
            return this;
        }

        /**
         * Sets the audience tokens must name.
         *
         * @param audience not blank; default {@value DemoAuthConfig#DEFAULT_AUDIENCE}
         * @return this builder
         */
        public Builder audience(String audience) {
            this.audience = Checks.notBlank(audience, "audience");
            return this;
        }

        /**
         * Sets an optional second issuer the demo starts without (degraded).
         *
         * @param secondaryIssuer an http(s) URL, or null for none
         * @return this builder
         */
        public Builder secondaryIssuer(String secondaryIssuer) {
            this.secondaryIssuer = secondaryIssuer == null ? null : httpUrl(secondaryIssuer, "secondaryIssuer");
            return this;
        }

        /**
         * Sets where the last-known-good key set is kept.
         *
         * @param keySetDirectory a directory, or null not to keep it
         * @return this builder
         */
        public Builder keySetDirectory(Path keySetDirectory) {
            this.keySetDirectory = keySetDirectory;
            return this;
        }

        /**
         * Sets the start deadline of each auth component.
         *
         * @param startTimeout positive; default {@link DemoAuthConfig#DEFAULT_START_TIMEOUT}
         * @return this builder
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Checks.positive(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Sets the timeout of one request to a provider.
         *
         * @param requestTimeout positive; default {@link DemoAuthConfig#DEFAULT_REQUEST_TIMEOUT}
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Checks.positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * Sets the lead between publishing a new key of the demo's own and signing with it.
         *
         * @param publishLead not negative; default {@link DemoAuthConfig#DEFAULT_SIGNING_KEY_PUBLISH_LEAD}
         * @return this builder
         */
        public Builder signingKeyPublishLead(Duration publishLead) {
            this.signingKeyPublishLead = Checks.notNegative(publishLead, "signingKeyPublishLead");
            return this;
        }

        /**
         * Sets the provider's token endpoint for the client credentials.
         *
         * @param tokenEndpoint an http(s) URL, or null
         * @return this builder
         */
        public Builder tokenEndpoint(URI tokenEndpoint) {
            this.tokenEndpoint = tokenEndpoint == null ? null
                    : URI.create(httpUrl(tokenEndpoint.toString(), "tokenEndpoint"));
            return this;
        }

        /**
         * Sets the client credentials the demo obtains tokens with as a caller.
         *
         * @param clientId not blank
         * @param clientSecret not blank; never logged
         * @return this builder
         */
        public Builder clientCredentials(String clientId, String clientSecret) {
            this.clientId = Checks.notBlank(clientId, "clientId");
            this.clientSecret = Checks.notBlank(clientSecret, "clientSecret");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws ConfigurationException if a client id is set without an issuer or a token endpoint,
         *     or a partner issuer without an issuer
         */
        public DemoAuthConfig build() {
            if (issuer == null && (secondaryIssuer != null || clientId != null)) {
                throw new ConfigurationException("issuer must be set with a partner issuer or client credentials, "
                        + "but was null; add --oidc-issuer");
            }
            if (clientId != null && tokenEndpoint == null) {
                throw new ConfigurationException("tokenEndpoint must be set with client credentials, but was null; "
                        + "add --oidc-token-endpoint");
            }
            return new DemoAuthConfig(this);
        }

        private static String httpUrl(String url, String field) {
            Checks.notBlank(url, field);
            Checks.check(url.startsWith("http://") || url.startsWith("https://"),
                    field + " must be an absolute http(s) URL, but was " + url);
            return url;
        }
    }
}
