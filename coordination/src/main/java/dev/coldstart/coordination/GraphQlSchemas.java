package dev.coldstart.coordination;

import dev.coldstart.coordination.internal.JsonReader;
import dev.coldstart.coordination.internal.SchemaMerger;
import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.core.Json;
import dev.coldstart.core.NonRetryableException;
import graphql.introspection.IntrospectionQuery;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.Document;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.schema.idl.errors.SchemaProblem;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the GraphQL schemas of downstream services at start-up and merges them into one schema
 * with graphql-java (scenario CS-24): a gateway that stitches them finds out before READY, not on
 * the first query, that one is unreachable or that two disagree.
 *
 * <p>Each schema is read by introspection or as SDL ({@link GraphQlService}) and parsed by
 * graphql-java ({@code SchemaParser}, {@code IntrospectionResultToSchema}); the merged registry is
 * built into a {@link GraphQLSchema} by graphql-java, which validates it. The merge unites the root
 * types' fields and takes every other type once; see {@link #components()} for what becomes of
 * failures:
 * <ul>
 *   <li>A type defined differently by two services (same name, other fields or kind):
 *       {@link GraphQlSchemaConflictException} naming the type, both services and the differences;
 *       never retried; the service does not become READY.</li>
 *   <li>A required service unreachable (refused, timed out, non-200): retried under the merge
 *       component's start policy; READY stays off until it answers.</li>
 *   <li>An optional service unreachable: left out of the merged schema; its status component is
 *       down, so the service is READY in degraded mode with {@code <name>-<service>} listed as
 *       degraded. The orchestrator's background retries probe it again; when it answers, its schema
 *       is merged in (unless it conflicts) and the component turns healthy.</li>
 * </ul>
 *
 * <pre>{@code
 * GraphQlSchemas schemas = GraphQlSchemas.builder()
 *         .service(GraphQlService.introspection("catalog", URI.create("http://catalog:8080/graphql")))
 *         .service(GraphQlService.sdl("reviews", URI.create("http://reviews:8080/schema.graphql")).optional())
 *         .build();
 * orchestratorBuilder.components(schemas.components());
 * ...
 * GraphQLSchema merged = schemas.schema();
 * }</pre>
 *
 * <p>graphql-java is an optional dependency of this module: add {@code com.graphql-java:graphql-java}
 * to use this class. Thread-safe; builders are not.
 */
public final class GraphQlSchemas {
    private static final Logger log = LoggerFactory.getLogger(GraphQlSchemas.class);

    /** Default name of the merge component; status components are named {@code <name>-<service>}. */
    public static final String DEFAULT_NAME = "graphql";
    /** Default timeout of one schema request (connect and answer): 5 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** What the merge produced. */
    private record Merged(Map<String, TypeDefinitionRegistry> included, GraphQLSchema schema,
            Map<String, String> excluded) {
    }

    private final String name;
    private final List<GraphQlService> services;
    private final Duration requestTimeout;
    private final List<Component> components;
    private final Object mergeLock = new Object();
    private volatile Merged merged;
    private ExecutorService executor;
    private HttpClient client;

    private GraphQlSchemas(Builder b) {
        this.name = b.name;
        this.services = List.copyOf(b.services.values());
        this.requestTimeout = b.requestTimeout;
        List<Component> all = new ArrayList<>();
        all.add(new MergeComponent());
        for (GraphQlService s : services) {
            if (!s.required()) {
                all.add(new OptionalServiceComponent(s));
            }
        }
        this.components = List.copyOf(all);
    }

    /**
     * Starts a builder; at least one {@link Builder#service(GraphQlService)} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The components to add to the orchestrator: the required merge component named
     * {@code <name>}, then one optional status component per optional service, named
     * {@code <name>-<service>}, which depends on the merge component and is healthy while that
     * service's schema is part of the merged schema.
     *
     * @return an immutable list
     */
    public List<Component> components() {
        return components;
    }

    /**
     * The merged schema.
     *
     * @return the schema, or null before the merge component started
     */
    public GraphQLSchema schema() {
        Merged m = merged;
        return m == null ? null : m.schema();
    }

    /**
     * The merged schema as SDL, printed by graphql-java.
     *
     * @return the SDL, or null before the merge component started
     */
    public String sdl() {
        GraphQLSchema s = schema();
        return s == null ? null : new SchemaPrinter().print(s);
    }

    /**
     * The services whose schemas are part of the merged schema, in configuration order.
     *
     * @return an immutable list; empty before the merge
     */
    public List<String> includedServices() {
        Merged m = merged;
        return m == null ? List.of() : List.copyOf(m.included().keySet());
    }

    /**
     * The optional services left out, with why.
     *
     * @return an immutable map of service name to reason; empty before the merge
     */
    public Map<String, String> excludedServices() {
        Merged m = merged;
        return m == null ? Map.of() : m.excluded();
    }

    /**
     * The configured services, in order.
     *
     * @return an immutable list
     */
    public List<GraphQlService> services() {
        return services;
    }

    @Override
    public String toString() {
        return "GraphQlSchemas{name=" + name + ", services=" + services + ", included=" + includedServices() + '}';
    }

    private synchronized HttpClient client() {
        if (client == null) {
            AtomicInteger n = new AtomicInteger();
            executor = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "coldstart-" + name + "-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            client = HttpClient.newBuilder().connectTimeout(requestTimeout).executor(executor).build();
        }
        return client;
    }

    private synchronized void closeClient() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
            client = null;
        }
    }

    private CompletableFuture<TypeDefinitionRegistry> fetch(GraphQlService s) {
        HttpRequest.Builder request = HttpRequest.newBuilder(s.uri()).timeout(requestTimeout);
        if (s.source() == GraphQlService.Source.INTROSPECTION) {
            String body = Json.writer().beginObject().field("query", IntrospectionQuery.INTROSPECTION_QUERY).endObject().toString();
            request.header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.header("Accept", "application/graphql, text/plain").GET();
        }
        return client().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .orTimeout(requestTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)
                .thenApply(r -> parse(s, r));
    }

    private TypeDefinitionRegistry parse(GraphQlService s, HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new CompletionException(new IOException((s.source() == GraphQlService.Source.INTROSPECTION ? "POST " : "GET ")
                    + s.uri() + " answered HTTP " + r.statusCode() + " instead of 200"));
        }
        try {
            if (s.source() == GraphQlService.Source.SDL) {
                return new SchemaParser().parse(r.body());
            }
            Map<String, Object> doc = JsonReader.parseObject(r.body());
            Object data = doc.get("data");
            if (!(data instanceof Map) || !((Map<?, ?>) data).containsKey("__schema")) {
                throw new NonRetryableException(name + " - service '" + s.name() + "' answered the introspection query "
                        + "at " + s.uri() + " without data.__schema" + (doc.containsKey("errors") ? " (errors: "
                        + doc.get("errors") + ")" : "") + "; enable introspection or publish the schema as SDL");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> schemaData = (Map<String, Object>) data;
            Document document = new IntrospectionResultToSchema().createSchemaDefinition(schemaData);
            return new SchemaParser().buildRegistry(document);
        } catch (SchemaProblem | IllegalArgumentException e) {
            throw new NonRetryableException(name + " - the schema of service '" + s.name() + "' from " + s.uri()
                    + " cannot be parsed: " + e.getMessage() + "; fix the service's schema", e);
        }
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Merges in configuration order; graphql-java builds and validates the result. */
    private GraphQLSchema build(Map<String, TypeDefinitionRegistry> included) {
        SchemaMerger merger = new SchemaMerger();
        for (Map.Entry<String, TypeDefinitionRegistry> e : included.entrySet()) {
            try {
                merger.add(e.getKey(), e.getValue());
            } catch (SchemaMerger.Conflict c) {
                String message = name + " - " + c.getMessage() + ". One merged schema can hold one '" + c.typeName()
                        + "': make the definitions equal, or rename the type in one of the services";
                throw new GraphQlSchemaConflictException(message, c.typeName(), c.firstService(), c.secondService(),
                        c.differences());
            }
        }
        try {
            return UnExecutableSchemaGenerator.makeUnExecutableSchema(merger.merged());
        } catch (SchemaProblem | IllegalStateException e) {
            throw new NonRetryableException(name + " - the merged schema of " + included.keySet() + " is not valid: "
                    + e.getMessage() + "; a type may refer to a type of a service that was left out", e);
        }
    }

    private Map<String, TypeDefinitionRegistry> inConfigOrder(Map<String, TypeDefinitionRegistry> fetched) {
        Map<String, TypeDefinitionRegistry> ordered = new LinkedHashMap<>();
        for (GraphQlService s : services) {
            if (fetched.containsKey(s.name())) {
                ordered.put(s.name(), fetched.get(s.name()));
            }
        }
        return ordered;
    }

    /** The required component that fetches every schema and merges them. */
    private final class MergeComponent implements Component {
        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() throws Exception {
            Map<String, CompletableFuture<TypeDefinitionRegistry>> pending = new LinkedHashMap<>();
            for (GraphQlService s : services) {
                pending.put(s.name(), fetch(s));
            }
            Map<String, TypeDefinitionRegistry> fetched = new LinkedHashMap<>();
            Map<String, String> excluded = new LinkedHashMap<>();
            List<String> requiredDown = new ArrayList<>();
            Throwable firstFailure = null;
            for (GraphQlService s : services) {
                try {
                    // Interruptible, so the orchestrator's start deadline can end the wait.
                    fetched.put(s.name(), pending.get(s.name()).get());
                } catch (ExecutionException e) {
                    Throwable cause = unwrap(e.getCause());
                    if (cause instanceof NonRetryableException nre) {
                        throw nre;
                    }
                    String reason = s.uri() + " unreachable: " + describe(cause);
                    if (s.required()) {
                        requiredDown.add("'" + s.name() + "' (" + reason + ")");
                        firstFailure = firstFailure == null ? cause : firstFailure;
                    } else {
                        excluded.put(s.name(), reason);
                    }
                }
            }
            if (!requiredDown.isEmpty()) {
                throw new IOException(name + " - required GraphQL service(s) " + String.join(", ", requiredDown)
                        + "; the merged schema needs them, so the service is not READY until they answer", firstFailure);
            }
            GraphQLSchema schema = build(fetched);
            synchronized (mergeLock) {
                merged = new Merged(Collections.unmodifiableMap(fetched), schema, Collections.unmodifiableMap(excluded));
            }
            excluded.forEach((service, reason) -> log.warn("{} - optional service '{}' left out of the merged schema: {}",
                    name, service, reason));
            log.info("{} - merged the schemas of {} ({} types){}", name, fetched.keySet(), schema.getAllTypesAsList().size(),
                    excluded.isEmpty() ? "" : "; left out: " + excluded.keySet());
        }

        @Override
        public Health probe() {
            return merged != null ? Health.up() : Health.down("the schemas were not merged yet");
        }

        @Override
        public void stop(Duration drainTimeout) {
            closeClient();
        }

        @Override
        public String toString() {
            return "Component[" + name + "]";
        }
    }

    /** Healthy while its optional service's schema is part of the merged schema; tries to add it when probed. */
    private final class OptionalServiceComponent implements Component {
        private final GraphQlService service;
        private final String componentName;

        OptionalServiceComponent(GraphQlService service) {
            this.service = service;
            this.componentName = name + "-" + service.name();
        }

        @Override
        public String name() {
            return componentName;
        }

        @Override
        public Set<String> dependsOn() {
            return Set.of(name);
        }

        @Override
        public boolean required() {
            return false;
        }

        @Override
        public void start() {
            // The merge component fetched the schema; probe() says whether it is in.
        }

        @Override
        public Health probe() throws Exception {
            Merged m = merged;
            if (m == null) {
                return Health.down("the schemas were not merged yet");
            }
            if (m.included().containsKey(service.name())) {
                return Health.up();
            }
            TypeDefinitionRegistry registry;
            try {
                registry = fetch(service).get();
            } catch (ExecutionException e) {
                Throwable cause = unwrap(e.getCause());
                return Health.down("left out of the merged schema: " + (cause instanceof NonRetryableException
                        ? cause.getMessage() : service.uri() + " unreachable: " + describe(cause)));
            }
            synchronized (mergeLock) {
                Merged current = merged;
                Map<String, TypeDefinitionRegistry> included = new LinkedHashMap<>(current.included());
                included.put(service.name(), registry);
                included = inConfigOrder(included);
                GraphQLSchema schema;
                try {
                    schema = build(included);
                } catch (NonRetryableException e) {
                    return Health.down("left out of the merged schema: " + e.getMessage());
                }
                Map<String, String> excluded = new LinkedHashMap<>(current.excluded());
                excluded.remove(service.name());
                merged = new Merged(Collections.unmodifiableMap(included), schema, Collections.unmodifiableMap(excluded));
            }
            log.info("{} - optional service '{}' answered; its schema is merged in", name, service.name());
            return Health.up();
        }

        @Override
        public String toString() {
            return "Component[" + componentName + "]";
        }
    }

    /** Builder of {@link GraphQlSchemas}; not thread-safe. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private final Map<String, GraphQlService> services = new LinkedHashMap<>();
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets the merge component's name, also the prefix of the status components' names.
         *
         * @param name not blank; default {@value GraphQlSchemas#DEFAULT_NAME}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Adds a downstream service; services are fetched in parallel and merged in the order added.
         *
         * @param service not null; names must be unique
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or its name was used before
         */
        public Builder service(GraphQlService service) {
            Checks.notNull(service, "service");
            Checks.check(!services.containsKey(service.name()), "service names must be unique, but \"" + service.name()
                    + "\" was added twice");
            services.put(service.name(), service);
            return this;
        }

        /**
         * Sets the timeout of one schema request (connect and answer).
         *
         * @param requestTimeout positive; default 5 s
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Checks.positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * Builds the schemas' components; nothing is fetched until the merge component starts.
         *
         * @return a new instance
         * @throws dev.coldstart.core.ConfigurationException if no service was added
         */
        public GraphQlSchemas build() {
            Checks.check(!services.isEmpty(), "services must not be empty, but was []; add the downstream GraphQL services");
            return new GraphQlSchemas(this);
        }
    }
}
