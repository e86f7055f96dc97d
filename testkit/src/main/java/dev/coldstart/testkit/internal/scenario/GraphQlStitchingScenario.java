package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.coordination.GraphQlService;
import dev.coldstart.core.Json;
import dev.coldstart.testkit.ApiIntegrationEnvironment;
import dev.coldstart.testkit.ApiIntegrationScenarios;
import dev.coldstart.testkit.ApiIntegrationService;
import dev.coldstart.testkit.Cs24Parameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.fault.FaultyHttpPeer;
import dev.coldstart.testkit.fault.HttpFault;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.language.ObjectTypeDefinition;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * CS-24: three downstream GraphQL services on real HTTP peers: {@code catalog} answers the
 * introspection query (a real graphql-java execution), {@code reviews} and {@code inventory} serve
 * SDL. {@code inventory} defines {@code Product} with other fields than {@code catalog}: the start
 * fails, naming the type and both services, without waiting out the start deadline. {@code reviews}
 * optional and unreachable: the service is READY without it and reports it degraded. {@code catalog}
 * required and unreachable: READY stays off until the start deadline fails the start.
 */
public final class GraphQlStitchingScenario {
    static final String CATALOG = "type Query { product(id: ID!): Product products: [Product!]! }\n"
            + "type Product { id: ID! name: String! price: Float! }\n";
    static final String REVIEWS = "type Query { reviews(productId: ID!): [Review!]! }\n"
            + "type Review { id: ID! rating: Int! body: String product: Product }\n"
            + "type Product { id: ID! name: String! price: Float! }\n";
    static final String INVENTORY = "type Query { stock(productId: ID!): Int }\n"
            + "type Product { id: ID! sku: String! price: Int! }\n";

    private GraphQlStitchingScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param scenarios the user's scenarios
     * @param ctx the context
     * @param p the figures
     * @throws Exception when it cannot run
     */
    public static void run(ApiIntegrationScenarios scenarios, ScenarioContext ctx, Cs24Parameters p) throws Exception {
        FaultyHttpPeer catalogPeer = ctx.closeAfter(FaultyHttpPeer.start("cs24-catalog"));
        catalogPeer.stubJson("/graphql", introspectionAnswer(CATALOG));
        FaultyHttpPeer reviewsPeer = ctx.closeAfter(FaultyHttpPeer.start("cs24-reviews"));
        reviewsPeer.stub("/schema.graphql", 200, "application/graphql", REVIEWS);
        FaultyHttpPeer inventoryPeer = ctx.closeAfter(FaultyHttpPeer.start("cs24-inventory"));
        inventoryPeer.stub("/schema.graphql", 200, "application/graphql", INVENTORY);
        GraphQlService catalog = GraphQlService.introspection("catalog", catalogPeer.uri("/graphql"));
        GraphQlService reviews = GraphQlService.sdl("reviews", reviewsPeer.uri("/schema.graphql")).optional();
        GraphQlService inventory = GraphQlService.sdl("inventory", inventoryPeer.uri("/schema.graphql"));
        Duration within = p.startTimeout().plusSeconds(15);

        // 1. A conflict: an error naming the type and both services, at once.
        ApiScenarioSupport.FailedStart conflict = ApiScenarioSupport.startExpectingFailure(ctx, scenarios,
                env(ctx, "cs24-conflict", p, List.of(catalog, inventory)), within);
        ctx.figure("conflictError", ApiScenarioSupport.oneLine(conflict.text(), 300));
        ctx.figure("conflictDetectedMillis", conflict.millis());
        assertThat(conflict.everReady()).as("CS-24: conflicting schemas never reach READY").isFalse();
        assertThat(conflict.text()).as("CS-24: the error names the type and both services")
                .contains("Product").contains("catalog").contains("inventory");
        assertThat(conflict.attemptsOfComponentMentioning("Product")).as("CS-24: a conflict is an error, not retried")
                .isEqualTo(1);
        assertThat(conflict.millis()).as("CS-24: the conflicting start ends without a hang")
                .isLessThanOrEqualTo(p.maxConflictDetection().toMillis());

        // 2. An optional service unreachable: stitched out, reported degraded.
        reviewsPeer.setFault(HttpFault.connectionReset());
        ApiIntegrationService s = ApiScenarioSupport.service(ctx, scenarios,
                env(ctx, "cs24-optional-down", p, List.of(catalog, reviews)));
        ApiScenarioSupport.startReady(ctx, s, within);
        List<String> degraded = s.orchestrator().availability().degradedComponents();
        String sdl = ApiScenarioSupport.required(ctx, s.mergedGraphQlSchema(), "mergedGraphQlSchema()");
        TypeDefinitionRegistry merged = new SchemaParser().parse(sdl);
        ctx.figure("optionalDownDegraded", degraded);
        ctx.figure("optionalDownMergedTypes", merged.types().keySet());
        assertThat(degraded).as("CS-24: the unreachable optional service is reported degraded")
                .anySatisfy(name -> assertThat(name).contains("reviews"));
        assertThat(merged.getType("Product")).as("CS-24: the required service's types are merged").isPresent();
        assertThat(merged.getType("Query", ObjectTypeDefinition.class).orElseThrow().getFieldDefinitions())
                .extracting(f -> f.getName()).contains("product", "products").doesNotContain("reviews");
        assertThat(merged.getType("Review")).as("CS-24: the unreachable optional service is stitched out").isEmpty();
        assertThat(reviewsPeer.requestCount("/schema.graphql")).as("CS-24: the optional service was asked").isPositive();

        // 3. A required service unreachable: READY stays off.
        reviewsPeer.clearFaults();
        catalogPeer.setFault(HttpFault.status(503));
        ApiScenarioSupport.FailedStart requiredDown = ApiScenarioSupport.startExpectingFailure(ctx, scenarios,
                env(ctx, "cs24-required-down", p, List.of(catalog, reviews)), within);
        ctx.figure("requiredDownFailedAfterMillis", requiredDown.millis());
        ctx.figure("requiredDownCatalogRequests", catalogPeer.requestCount("/graphql"));
        assertThat(requiredDown.everReady()).as("CS-24: a required service that is down keeps READY off").isFalse();
        assertThat(requiredDown.millis()).as("CS-24: ... for the whole start deadline, retrying")
                .isGreaterThanOrEqualTo(p.startTimeout().toMillis() - 100);
        assertThat(requiredDown.text()).contains("catalog");
    }

    private static ApiIntegrationEnvironment env(ScenarioContext ctx, String name, Cs24Parameters p,
            List<GraphQlService> services) {
        return ApiScenarioSupport.env(ctx, name, p.startTimeout()).graphQlServices(services).build();
    }

    /** What a real graphql-java server answers to the introspection query for an SDL. */
    static String introspectionAnswer(String sdl) {
        GraphQLSchema schema = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(sdl));
        return json(GraphQL.newGraphQL(schema).build().execute(IntrospectionQuery.INTROSPECTION_QUERY).toSpecification());
    }

    private static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                sb.append(Json.quote(String.valueOf(e.getKey()))).append(':');
                append(sb, e.getValue());
                sb.append(it.hasNext() ? "," : "");
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i > 0 ? "," : "");
                append(sb, l.get(i));
            }
            sb.append(']');
        } else {
            sb.append(Json.quote(v.toString()));
        }
    }
}
