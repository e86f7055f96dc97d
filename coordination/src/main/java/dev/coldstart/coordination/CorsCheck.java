package dev.coldstart.coordination;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.CorsPolicy;
import dev.coldstart.core.Health;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A start-up check that every browser-facing endpoint of a service (the HTTP API, the WebSocket
 * upgrade, an admin UI) admits the same origins, and that none allows any origin ({@code *}) with
 * credentials (scenario CS-22). As a {@link Component} it shows in the startup report and the probe
 * body; when it fails, the service does not become READY.
 *
 * <p>Each endpoint is described either by the {@link CorsPolicy} it applies (the right way: give
 * every endpoint the same object), or by the origins and credentials flag it was configured with
 * elsewhere (for example a WebSocket library's own origin list). The check compares the origins,
 * normalised as browsers send them, and whether credentials are allowed. A mismatch fails the start
 * with a {@link ConfigurationException} (never retried) that lists, per endpoint, the origins the
 * others allow and it does not:
 *
 * <pre>
 * cors-check - the endpoints admit different origins, so a page that can call one cannot call the
 * other: 'http-api' does not allow [https://admin.example.com]; 'websocket' does not allow
 * [https://shop.example.com]. Give every endpoint the same CorsPolicy
 * </pre>
 *
 * <pre>{@code
 * CorsPolicy cors = CorsPolicy.builder().allowedOrigins("https://shop.example.com").build();
 * Component check = CorsCheck.builder()
 *         .endpoint("http-api", cors)
 *         .endpoint("websocket", cors)
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; builders are not thread-safe.
 */
public final class CorsCheck implements Component {
    private static final Logger log = LoggerFactory.getLogger(CorsCheck.class);

    /** Default component name: {@code "cors-check"}. */
    public static final String DEFAULT_NAME = "cors-check";

    /** One endpoint as configured. */
    private record Endpoint(String name, List<String> origins, boolean credentials) {
    }

    private final String name;
    private final List<Endpoint> endpoints;

    private CorsCheck(Builder b) {
        this.name = b.name;
        this.endpoints = List.copyOf(b.endpoints.values());
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Runs the check.
     *
     * @throws ConfigurationException listing the mismatched origins per endpoint, or the endpoints
     *     that allow any origin with credentials
     */
    @Override
    public void start() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            // The orchestrator logs the failure once, at ERROR, with this message.
            throw new ConfigurationException(name + " - " + String.join("; ", problems));
        }
        log.info("{} - {} endpoint(s) admit the same origins {}", name, endpoints.size(),
                endpoints.isEmpty() ? List.of() : endpoints.get(0).origins());
    }

    /**
     * Always up: the configuration does not change after the start-up check.
     *
     * @return up
     */
    @Override
    public Health probe() {
        return Health.up();
    }

    /**
     * What is wrong with the endpoints' configuration, without throwing.
     *
     * @return one sentence per problem; empty when the check passes
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.credentials() && e.origins().contains(CorsPolicy.ANY_ORIGIN)) {
                problems.add("endpoint '" + e.name() + "' allows any origin (*) with credentials, which browsers refuse "
                        + "(Fetch standard, CORS protocol) and which would expose its users' sessions to every site: list "
                        + "the allowed origins instead");
            }
        }
        Set<String> union = new LinkedHashSet<>();
        endpoints.forEach(e -> union.addAll(e.origins()));
        List<String> missing = new ArrayList<>();
        for (Endpoint e : endpoints) {
            Set<String> lacks = new LinkedHashSet<>(union);
            e.origins().forEach(lacks::remove);
            if (!lacks.isEmpty()) {
                missing.add("'" + e.name() + "' does not allow " + lacks);
            }
        }
        if (!missing.isEmpty()) {
            problems.add("the endpoints admit different origins, so a page that can call one cannot call the other: "
                    + String.join("; ", missing) + ". Give every endpoint the same CorsPolicy");
        }
        Set<Boolean> credentials = new LinkedHashSet<>();
        endpoints.forEach(e -> credentials.add(e.credentials()));
        if (credentials.size() > 1) {
            List<String> with = new ArrayList<>();
            List<String> without = new ArrayList<>();
            endpoints.forEach(e -> (e.credentials() ? with : without).add(e.name()));
            problems.add("credentials are allowed by " + with + " but not by " + without
                    + ". Give every endpoint the same CorsPolicy");
        }
        return problems;
    }

    @Override
    public String toString() {
        return "CorsCheck{name=" + name + ", endpoints=" + endpoints + '}';
    }

    /** Builder of {@link CorsCheck}; not thread-safe. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the component's name.
         *
         * @param name not blank; default {@value CorsCheck#DEFAULT_NAME}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Adds an endpoint that applies a policy.
         *
         * @param endpoint the endpoint's name, for messages, such as {@code "http-api"}; unique
         * @param policy its policy; not null
         * @return this builder
         * @throws ConfigurationException if the name is blank or already used
         */
        public Builder endpoint(String endpoint, CorsPolicy policy) {
            Checks.notNull(policy, "policy");
            return add(endpoint, policy.allowedOrigins(), policy.allowCredentials());
        }

        /**
         * Adds an endpoint configured outside a {@link CorsPolicy}, by its origins and credentials flag.
         * {@code *} with credentials is accepted here and reported by the check.
         *
         * @param endpoint the endpoint's name, for messages; unique
         * @param allowedOrigins its origins, such as {@code https://app.example.com}, or {@code *}
         * @param allowCredentials whether it accepts credentials
         * @return this builder
         * @throws ConfigurationException if the name is blank or already used, or an origin is not one
         */
        public Builder endpoint(String endpoint, Collection<String> allowedOrigins, boolean allowCredentials) {
            Checks.notNull(allowedOrigins, "allowedOrigins");
            List<String> origins = new ArrayList<>();
            for (String o : allowedOrigins) {
                String n = CorsPolicy.normalizeOrigin(o);
                if (!origins.contains(n)) {
                    origins.add(n);
                }
            }
            return add(endpoint, origins, allowCredentials);
        }

        private Builder add(String endpoint, List<String> origins, boolean credentials) {
            Checks.notBlank(endpoint, "endpoint");
            Checks.check(!endpoints.containsKey(endpoint), "endpoint must be unique, but was \"" + endpoint
                    + "\" twice");
            endpoints.put(endpoint, new Endpoint(endpoint, List.copyOf(origins), credentials));
            return this;
        }

        /**
         * Builds the check; it runs when the orchestrator starts it.
         *
         * @return a new component
         * @throws ConfigurationException if no endpoint was added
         */
        public CorsCheck build() {
            Checks.check(!endpoints.isEmpty(), "endpoints must not be empty, but was []; add the HTTP API and "
                    + "the WebSocket endpoint");
            return new CorsCheck(this);
        }
    }
}
