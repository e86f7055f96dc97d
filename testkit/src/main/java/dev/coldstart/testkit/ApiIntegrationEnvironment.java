package dev.coldstart.testkit;

import dev.coldstart.coordination.GraphQlService;
import dev.coldstart.core.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What an API integration scenario hands to
 * {@link ApiIntegrationScenarios#apiIntegrationService(ApiIntegrationEnvironment)}: the settings the
 * service must apply (request gate, CORS origins, asset origins, GraphQL services, client build
 * manifest) and the parts the scenario controls (the {@link GatewayBackend}, a fresh database).
 * Built by the scenarios; immutable and thread-safe, builders are not.
 */
public final class ApiIntegrationEnvironment {
    private final String instanceName;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final Duration startTimeout;
    private final GatewayBackend backend;
    private final int requestQueueCapacity;
    private final Duration requestDeadline;
    private final List<String> httpAllowedOrigins;
    private final List<String> webSocketAllowedOrigins;
    private final boolean allowCredentials;
    private final List<URI> assetOrigins;
    private final String assetCheckPath;
    private final Duration assetCheckInterval;
    private final int assetRecoverAfter;
    private final List<GraphQlService> graphQlServices;
    private final URI clientManifestUri;

    private ApiIntegrationEnvironment(Builder b) {
        this.instanceName = b.instanceName;
        this.jdbcUrl = b.jdbcUrl;
        this.jdbcUser = b.jdbcUser;
        this.jdbcPassword = b.jdbcPassword;
        this.startTimeout = b.startTimeout;
        this.backend = b.backend;
        this.requestQueueCapacity = b.requestQueueCapacity;
        this.requestDeadline = b.requestDeadline;
        this.httpAllowedOrigins = b.httpAllowedOrigins;
        this.webSocketAllowedOrigins = b.webSocketAllowedOrigins;
        this.allowCredentials = b.allowCredentials;
        this.assetOrigins = b.assetOrigins;
        this.assetCheckPath = b.assetCheckPath;
        this.assetCheckInterval = b.assetCheckInterval;
        this.assetRecoverAfter = b.assetRecoverAfter;
        this.graphQlServices = b.graphQlServices;
        this.clientManifestUri = b.clientManifestUri;
    }

    /**
     * Starts a builder with the defaults the scenarios use when a setting does not matter to them.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether both endpoints are given the same origins, so the service must build one
     * {@code CorsPolicy} and give that object to both.
     *
     * @return true when the HTTP API's and the WebSocket's origins are equal
     */
    public boolean sharedCorsPolicy() {
        return httpAllowedOrigins.equals(webSocketAllowedOrigins);
    }

    /**
     * A name for the instance, for logs and the JDBC application name.
     *
     * @return the value
     */
    public String instanceName() {
        return instanceName;
    }

    /**
     * A fresh PostgreSQL database for services that need one; null when the scenario gives none.
     *
     * @return the value
     */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The database user; null with no database.
     *
     * @return the value
     */
    public String jdbcUser() {
        return jdbcUser;
    }

    /**
     * The database password; null with no database.
     *
     * @return the value
     */
    public String jdbcPassword() {
        return jdbcPassword;
    }

    /**
     * The start deadline the service must give its components.
     *
     * @return the value
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The backend the service's gated endpoint calls; add its component to the orchestrator.
     *
     * @return the value
     */
    public GatewayBackend backend() {
        return backend;
    }

    /**
     * How many requests the service's request gate may hold.
     *
     * @return the value
     */
    public int requestQueueCapacity() {
        return requestQueueCapacity;
    }

    /**
     * How long one request may wait in the gate.
     *
     * @return the value
     */
    public Duration requestDeadline() {
        return requestDeadline;
    }

    /**
     * The origins the HTTP API must allow (CORS).
     *
     * @return the value
     */
    public List<String> httpAllowedOrigins() {
        return httpAllowedOrigins;
    }

    /**
     * The origins the WebSocket upgrade must allow; when equal to the HTTP API's, both endpoints must share one {@code CorsPolicy} object.
     *
     * @return the value
     */
    public List<String> webSocketAllowedOrigins() {
        return webSocketAllowedOrigins;
    }

    /**
     * Whether both endpoints accept credentials.
     *
     * @return the value
     */
    public boolean allowCredentials() {
        return allowCredentials;
    }

    /**
     * The asset origins in order, primary first; empty when the scenario uses none.
     *
     * @return the value
     */
    public List<URI> assetOrigins() {
        return assetOrigins;
    }

    /**
     * The path the service must check on each asset origin.
     *
     * @return the value
     */
    public String assetCheckPath() {
        return assetCheckPath;
    }

    /**
     * The interval between asset origin checks.
     *
     * @return the value
     */
    public Duration assetCheckInterval() {
        return assetCheckInterval;
    }

    /**
     * The consecutive good checks after which a recovered origin is used again.
     *
     * @return the value
     */
    public int assetRecoverAfter() {
        return assetRecoverAfter;
    }

    /**
     * The downstream GraphQL services whose schemas the service must fetch and merge at start-up; empty when the scenario uses none.
     *
     * @return the value
     */
    public List<GraphQlService> graphQlServices() {
        return graphQlServices;
    }

    /**
     * Where the client's build manifest is served; null means the client assets packaged with the service.
     *
     * @return the value
     */
    public URI clientManifestUri() {
        return clientManifestUri;
    }

    @Override
    public String toString() {
        return "ApiIntegrationEnvironment{instanceName=" + instanceName + ", jdbcUrl=" + jdbcUrl + ", startTimeout="
                + startTimeout + ", requestQueueCapacity=" + requestQueueCapacity + ", requestDeadline=" + requestDeadline
                + ", httpAllowedOrigins=" + httpAllowedOrigins + ", webSocketAllowedOrigins=" + webSocketAllowedOrigins
                + ", allowCredentials=" + allowCredentials + ", assetOrigins=" + assetOrigins + ", graphQlServices="
                + graphQlServices + ", clientManifestUri=" + clientManifestUri + '}';
    }

    /** Builder of {@link ApiIntegrationEnvironment}; not thread-safe. */
    public static final class Builder {
        private String instanceName = "api-service";
        private String jdbcUrl = null;
        private String jdbcUser = null;
        private String jdbcPassword = null;
        private Duration startTimeout = Duration.ofSeconds(10);
        private GatewayBackend backend = GatewayBackend.ready();
        private int requestQueueCapacity = 128;
        private Duration requestDeadline = Duration.ofSeconds(10);
        private List<String> httpAllowedOrigins = List.of("https://app.example.com");
        private List<String> webSocketAllowedOrigins = List.of("https://app.example.com");
        private boolean allowCredentials = false;
        private List<URI> assetOrigins = List.of();
        private String assetCheckPath = "/assets/health.txt";
        private Duration assetCheckInterval = Duration.ofMillis(100);
        private int assetRecoverAfter = 3;
        private List<GraphQlService> graphQlServices = List.of();
        private URI clientManifestUri = null;

        private Builder() {
        }

        /**
         * Sets a name for the instance, for logs and the JDBC application name.
         *
         * @param instanceName the value
         * @return this builder
         */
        public Builder instanceName(String instanceName) {
            this.instanceName = Checks.notBlank(instanceName, "instanceName");
            return this;
        }

        /**
         * Sets a fresh PostgreSQL database for services that need one; null when the scenario gives none.
         *
         * @param jdbcUrl the value
         * @return this builder
         */
        public Builder jdbcUrl(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /**
         * Sets the database user; null with no database.
         *
         * @param jdbcUser the value
         * @return this builder
         */
        public Builder jdbcUser(String jdbcUser) {
            this.jdbcUser = jdbcUser;
            return this;
        }

        /**
         * Sets the database password; null with no database.
         *
         * @param jdbcPassword the value
         * @return this builder
         */
        public Builder jdbcPassword(String jdbcPassword) {
            this.jdbcPassword = jdbcPassword;
            return this;
        }

        /**
         * Sets the start deadline the service must give its components.
         *
         * @param startTimeout the value
         * @return this builder
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Checks.positive(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Sets the backend the service's gated endpoint calls; add its component to the orchestrator.
         *
         * @param backend the value
         * @return this builder
         */
        public Builder backend(GatewayBackend backend) {
            this.backend = Checks.notNull(backend, "backend");
            return this;
        }

        /**
         * Sets how many requests the service's request gate may hold.
         *
         * @param requestQueueCapacity the value
         * @return this builder
         */
        public Builder requestQueueCapacity(int requestQueueCapacity) {
            this.requestQueueCapacity = Checks.positive(requestQueueCapacity, "requestQueueCapacity");
            return this;
        }

        /**
         * Sets how long one request may wait in the gate.
         *
         * @param requestDeadline the value
         * @return this builder
         */
        public Builder requestDeadline(Duration requestDeadline) {
            this.requestDeadline = Checks.positive(requestDeadline, "requestDeadline");
            return this;
        }

        /**
         * Sets the origins the HTTP API must allow (CORS).
         *
         * @param httpAllowedOrigins the value
         * @return this builder
         */
        public Builder httpAllowedOrigins(List<String> httpAllowedOrigins) {
            this.httpAllowedOrigins = List.copyOf(Checks.notNull(httpAllowedOrigins, "httpAllowedOrigins"));
            return this;
        }

        /**
         * Sets the origins the WebSocket upgrade must allow; when equal to the HTTP API's, both endpoints must share one {@code CorsPolicy} object.
         *
         * @param webSocketAllowedOrigins the value
         * @return this builder
         */
        public Builder webSocketAllowedOrigins(List<String> webSocketAllowedOrigins) {
            this.webSocketAllowedOrigins = List.copyOf(Checks.notNull(webSocketAllowedOrigins, "webSocketAllowedOrigins"));
            return this;
        }

        /**
         * Sets whether both endpoints accept credentials.
         *
         * @param allowCredentials the value
         * @return this builder
         */
        public Builder allowCredentials(boolean allowCredentials) {
            this.allowCredentials = allowCredentials;
            return this;
        }

        /**
         * Sets the asset origins in order, primary first; empty when the scenario uses none.
         *
         * @param assetOrigins the value
         * @return this builder
         */
        public Builder assetOrigins(List<URI> assetOrigins) {
            this.assetOrigins = List.copyOf(Checks.notNull(assetOrigins, "assetOrigins"));
            return this;
        }

        /**
         * Sets the path the service must check on each asset origin.
         *
         * @param assetCheckPath the value
         * @return this builder
         */
        public Builder assetCheckPath(String assetCheckPath) {
            this.assetCheckPath = Checks.notBlank(assetCheckPath, "assetCheckPath");
            return this;
        }

        /**
         * Sets the interval between asset origin checks.
         *
         * @param assetCheckInterval the value
         * @return this builder
         */
        public Builder assetCheckInterval(Duration assetCheckInterval) {
            this.assetCheckInterval = Checks.positive(assetCheckInterval, "assetCheckInterval");
            return this;
        }

        /**
         * Sets the consecutive good checks after which a recovered origin is used again.
         *
         * @param assetRecoverAfter the value
         * @return this builder
         */
        public Builder assetRecoverAfter(int assetRecoverAfter) {
            this.assetRecoverAfter = Checks.positive(assetRecoverAfter, "assetRecoverAfter");
            return this;
        }

        /**
         * Sets the downstream GraphQL services whose schemas the service must fetch and merge at start-up; empty when the scenario uses none.
         *
         * @param graphQlServices the value
         * @return this builder
         */
        public Builder graphQlServices(List<GraphQlService> graphQlServices) {
            this.graphQlServices = List.copyOf(Checks.notNull(graphQlServices, "graphQlServices"));
            return this;
        }

        /**
         * Sets where the client's build manifest is served; null means the client assets packaged with the service.
         *
         * @param clientManifestUri the value
         * @return this builder
         */
        public Builder clientManifestUri(URI clientManifestUri) {
            this.clientManifestUri = clientManifestUri;
            return this;
        }

        /**
         * Builds the environment.
         *
         * @return an immutable environment
         */
        public ApiIntegrationEnvironment build() {
            return new ApiIntegrationEnvironment(this);
        }
    }
}
