package dev.coldstart.coordination;

import dev.coldstart.core.Checks;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * A downstream GraphQL service whose schema {@link GraphQlSchemas} fetches at start-up: its name,
 * where its schema is read, how, and whether the service may start without it. Immutable and
 * thread-safe.
 *
 * <ul>
 *   <li>{@link #introspection(String, URI)}: a {@code POST} of graphql-java's standard introspection
 *       query to the service's GraphQL endpoint; the answer's {@code data} is turned into SDL by
 *       graphql-java ({@code IntrospectionResultToSchema}).</li>
 *   <li>{@link #sdl(String, URI)}: a {@code GET} of a URL that serves the schema as SDL text (many
 *       services publish {@code /schema.graphql}).</li>
 * </ul>
 *
 * <p>A service is required unless {@link #optional()} is called: a required service that cannot be
 * fetched keeps the service from READY; an optional one is left out of the merged schema and
 * reported degraded.
 */
public final class GraphQlService {
    /** How the schema is read. */
    public enum Source {
        /** {@code POST} of the introspection query to the GraphQL endpoint. */
        INTROSPECTION,
        /** {@code GET} of SDL text. */
        SDL
    }

    private final String name;
    private final URI uri;
    private final Source source;
    private final boolean required;

    private GraphQlService(String name, URI uri, Source source, boolean required) {
        this.name = name;
        this.uri = uri;
        this.source = source;
        this.required = required;
    }

    /**
     * A required service whose schema is read by introspection.
     *
     * @param name the service's name, for messages and component names; letters, digits, {@code -}
     *     and {@code _}
     * @param endpoint its GraphQL endpoint, such as {@code http://catalog:8080/graphql}
     * @return the service
     * @throws dev.coldstart.core.ConfigurationException if an argument is invalid
     */
    public static GraphQlService introspection(String name, URI endpoint) {
        return new GraphQlService(checkName(name), checkUri(endpoint), Source.INTROSPECTION, true);
    }

    /**
     * A required service whose schema is read as SDL text.
     *
     * @param name the service's name; letters, digits, {@code -} and {@code _}
     * @param schemaUrl where the SDL is served, such as {@code http://reviews:8080/schema.graphql}
     * @return the service
     * @throws dev.coldstart.core.ConfigurationException if an argument is invalid
     */
    public static GraphQlService sdl(String name, URI schemaUrl) {
        return new GraphQlService(checkName(name), checkUri(schemaUrl), Source.SDL, true);
    }

    /**
     * This service, optional: left out of the merged schema (and reported degraded) when it cannot
     * be fetched.
     *
     * @return a new value
     */
    public GraphQlService optional() {
        return new GraphQlService(name, uri, source, false);
    }

    /**
     * The service's name.
     *
     * @return not blank
     */
    public String name() {
        return name;
    }

    /**
     * Where the schema is read.
     *
     * @return the endpoint or SDL URL
     */
    public URI uri() {
        return uri;
    }

    /**
     * How the schema is read.
     *
     * @return the source kind
     */
    public Source source() {
        return source;
    }

    /**
     * Whether the service may not be READY without this schema.
     *
     * @return true unless {@link #optional()}
     */
    public boolean required() {
        return required;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GraphQlService s && name.equals(s.name) && uri.equals(s.uri) && source == s.source
                && required == s.required;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, uri, source, required);
    }

    @Override
    public String toString() {
        return name + " (" + source.name().toLowerCase(Locale.ROOT) + " " + uri + (required ? ", required)" : ", optional)");
    }

    private static String checkName(String name) {
        Checks.notBlank(name, "name");
        Checks.check(name.matches("[A-Za-z0-9_-]+"), "name must hold letters, digits, '-' and '_' only, but was \""
                + name + "\"");
        return name;
    }

    private static URI checkUri(URI uri) {
        Checks.notNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Checks.check((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null,
                "uri must be an absolute http or https URI, but was " + uri);
        return uri;
    }
}
