package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coldstart.core.Availability;
import dev.coldstart.core.Component;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupFailedException;
import dev.coldstart.core.StartupOrchestrator;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CS-24 against real HTTP services on 127.0.0.1 answering SDL and real introspection results. */
class GraphQlSchemasTest {
    static final String CATALOG = "type Query { product(id: ID!): Product }\n"
            + "type Product { id: ID! name: String price: Float }\n";
    static final String REVIEWS = "type Query { reviews(productId: ID!): [Review!]! }\n"
            + "type Review { id: ID! rating: Int! product: Product }\n"
            + "type Product { id: ID! name: String price: Float }\n";
    static final String INVENTORY = "type Query { stock(productId: ID!): Int }\n"
            + "type Product { id: ID! sku: String price: Int }\n";
    private static final RetryPolicy QUICK_RETRIES = RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(50))
            .circuitBreakerFailureThreshold(0).build();
    /** Generous: a cold JVM's first HTTP client and graphql-java classes take a while on 2 busy cores. */
    private static final StartPolicy FAST = StartPolicy.of(Duration.ofSeconds(10), QUICK_RETRIES);

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    /** The answer a real graphql-java server gives to the introspection query for an SDL. */
    static String introspectionAnswer(String sdl) {
        GraphQLSchema schema = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(sdl));
        Map<String, Object> result = GraphQL.newGraphQL(schema).build().execute(IntrospectionQuery.INTROSPECTION_QUERY)
                .toSpecification();
        return TestJson.write(result);
    }

    private TestOrigin service(String name) {
        TestOrigin o = TestOrigin.start(name);
        closeAfter.add(o);
        return o;
    }

    private StartupOrchestrator orchestrator(GraphQlSchemas schemas) {
        return orchestrator(schemas, FAST);
    }

    private StartupOrchestrator orchestrator(GraphQlSchemas schemas, StartPolicy policy) {
        StartupOrchestrator.Builder b = StartupOrchestrator.builder().serviceName("gateway");
        for (Component c : schemas.components()) {
            b.component(c, policy);
        }
        StartupOrchestrator o = b.build();
        closeAfter.add(o);
        return o;
    }

    @Test
    void mergesAnIntrospectedAndAnSdlSchema() {
        TestOrigin catalog = service("catalog").serve("/graphql", "application/json", introspectionAnswer(CATALOG));
        TestOrigin reviews = service("reviews").serve("/schema.graphql", "application/graphql", REVIEWS);
        GraphQlSchemas schemas = GraphQlSchemas.builder()
                .service(GraphQlService.introspection("catalog", catalog.uri("/graphql")))
                .service(GraphQlService.sdl("reviews", reviews.uri("/schema.graphql")))
                .build();

        orchestrator(schemas).start();

        GraphQLSchema merged = schemas.schema();
        assertThat(merged.getQueryType().getFieldDefinitions()).extracting(f -> f.getName())
                .containsExactlyInAnyOrder("product", "reviews");
        assertThat(((GraphQLObjectType) merged.getType("Product")).getFieldDefinitions()).hasSize(3);
        assertThat(merged.getType("Review")).isNotNull();
        assertThat(schemas.includedServices()).containsExactly("catalog", "reviews");
        assertThat(schemas.sdl()).contains("type Review");
        assertThat(catalog.requests("/graphql")).isEqualTo(1);
    }

    @Test
    void aTypeConflictIsAnErrorNamingTheTypeAndBothServicesAndIsNotRetried() {
        TestOrigin catalog = service("catalog").serve("/schema.graphql", "text/plain", CATALOG);
        TestOrigin inventory = service("inventory").serve("/graphql", "application/json", introspectionAnswer(INVENTORY));
        GraphQlSchemas schemas = GraphQlSchemas.builder()
                .service(GraphQlService.sdl("catalog", catalog.uri("/schema.graphql")))
                .service(GraphQlService.introspection("inventory", inventory.uri("/graphql")))
                .build();
        StartupOrchestrator o = orchestrator(schemas);

        assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class)
                .cause().isInstanceOf(GraphQlSchemaConflictException.class)
                .hasMessageContaining("type 'Product' is defined differently by services 'catalog' and 'inventory'")
                .hasMessageContaining("field 'name: String' only in 'catalog'")
                .hasMessageContaining("'catalog' has field 'price: Float', 'inventory' has field 'price: Int'")
                .hasMessageContaining("field 'sku: String' only in 'inventory'")
                .satisfies(e -> {
                    GraphQlSchemaConflictException c = (GraphQlSchemaConflictException) e;
                    assertThat(c.typeName()).isEqualTo("Product");
                    assertThat(c.firstService()).isEqualTo("catalog");
                    assertThat(c.secondService()).isEqualTo("inventory");
                    assertThat(c.differences()).hasSize(3);
                });
        assertThat(o.isReady()).isFalse();
        assertThat(o.report().component("graphql").attempts()).isEqualTo(1);
    }

    @Test
    void anUnreachableOptionalServiceIsLeftOutAndReportedDegradedUntilItAnswers() {
        TestOrigin catalog = service("catalog").serve("/schema.graphql", "text/plain", CATALOG);
        TestOrigin reviews = service("reviews").serve("/schema.graphql", "text/plain", REVIEWS);
        reviews.failWith(503);
        GraphQlSchemas schemas = GraphQlSchemas.builder()
                .service(GraphQlService.sdl("catalog", catalog.uri("/schema.graphql")))
                .service(GraphQlService.sdl("reviews", reviews.uri("/schema.graphql")).optional())
                .build();
        StartupOrchestrator o = orchestrator(schemas);

        o.start();

        Availability a = o.availability();
        assertThat(a.isReady()).isTrue();
        assertThat(a.degradedComponents()).containsExactly("graphql-reviews");
        assertThat(schemas.includedServices()).containsExactly("catalog");
        assertThat(schemas.excludedServices()).containsOnlyKeys("reviews");
        assertThat(schemas.excludedServices().get("reviews")).contains("HTTP 503");
        assertThat(schemas.schema().getType("Review")).isNull();

        reviews.failWith(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> o.availability().isHealthy("graphql-reviews"));
        assertThat(schemas.includedServices()).containsExactly("catalog", "reviews");
        assertThat(schemas.schema().getType("Review")).isNotNull();
        assertThat(o.availability().degradedComponents()).isEmpty();
    }

    @Test
    void anUnreachableRequiredServiceKeepsReadyOff() {
        TestOrigin catalog = service("catalog").serve("/schema.graphql", "text/plain", CATALOG);
        URI down = catalog.uri("/schema.graphql");
        catalog.close();
        GraphQlSchemas schemas = GraphQlSchemas.builder()
                .service(GraphQlService.sdl("catalog", down))
                .requestTimeout(Duration.ofMillis(500))
                .build();
        StartupOrchestrator o = orchestrator(schemas, StartPolicy.of(Duration.ofMillis(1500), QUICK_RETRIES));

        assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("graphql");
        assertThat(o.isReady()).isFalse();
        assertThat(o.report().component("graphql").attempts()).as("retried until the deadline").isGreaterThan(1);
        assertThat(o.report().component("graphql").lastError()).contains("required GraphQL service(s) 'catalog'");
    }

    @Test
    void anInvalidSchemaIsNamedAndNotRetried() {
        TestOrigin catalog = service("catalog").serve("/schema.graphql", "text/plain", "type Query { oops(: Int }");
        GraphQlSchemas schemas = GraphQlSchemas.builder()
                .service(GraphQlService.sdl("catalog", catalog.uri("/schema.graphql"))).build();
        StartupOrchestrator o = orchestrator(schemas);

        assertThatThrownBy(o::start).isInstanceOf(StartupFailedException.class);
        assertThat(o.report().component("graphql").lastError())
                .contains("the schema of service 'catalog' from " + catalog.uri("/schema.graphql") + " cannot be parsed");
        assertThat(o.report().component("graphql").attempts()).isEqualTo(1);
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> GraphQlSchemas.builder().build())
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("services must not be empty, but was []");
        assertThatThrownBy(() -> GraphQlService.sdl("a b", URI.create("http://x/")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("name must hold letters, digits, '-' and '_' only, but was \"a b\"");
        GraphQlService s = GraphQlService.sdl("a", URI.create("http://x/schema.graphql"));
        assertThatThrownBy(() -> GraphQlSchemas.builder().service(s).service(s.optional()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("service names must be unique, but \"a\" was added twice");
    }
}
