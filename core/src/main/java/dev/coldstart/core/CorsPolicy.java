package dev.coldstart.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which browser origins may call a service across origins, and how: one immutable value shared by
 * every endpoint that faces browsers (the HTTP API's CORS answers and the WebSocket upgrade's
 * origin check), so that they cannot drift apart.
 *
 * <p>It follows the Fetch standard's CORS protocol (fetch.spec.whatwg.org, "CORS protocol"):
 * an origin is a scheme, a host and an optional port ({@code https://app.example.com},
 * {@code http://127.0.0.1:5173}), compared without regard to case and without the scheme's default
 * port; {@value #ANY_ORIGIN} allows every origin. The standard forbids answering
 * {@code Access-Control-Allow-Origin: *} to a request with credentials, so a policy that allows any
 * origin and credentials cannot be built. Header names are compared without regard to case,
 * methods with it (methods are case-sensitive in HTTP).
 *
 * <p>It lives in {@code core} so that modules that apply it (coordination's HTTP handler, the
 * WebSocket upgrade) need not depend on each other. Equal policies (same origins, methods, headers,
 * credentials and max age) are {@link #equals(Object) equal}. Immutable and thread-safe; builders
 * are not thread-safe.
 *
 * <pre>{@code
 * CorsPolicy cors = CorsPolicy.builder()
 *         .allowedOrigins("https://shop.example.com", "https://admin.example.com")
 *         .allowedMethods("GET", "POST")
 *         .allowedHeaders("Content-Type", "Authorization")
 *         .allowCredentials(true)
 *         .maxAge(Duration.ofMinutes(10))
 *         .build();
 * boolean ok = cors.allowsOrigin(request.getHeader("Origin"));
 * }</pre>
 */
public final class CorsPolicy {
    /** The origin that stands for every origin: {@code *}. */
    public static final String ANY_ORIGIN = "*";
    /** Default allowed methods: GET, HEAD, POST (the CORS-safelisted methods). */
    public static final List<String> DEFAULT_ALLOWED_METHODS = List.of("GET", "HEAD", "POST");
    /** Default allowed request headers: Content-Type and Authorization. */
    public static final List<String> DEFAULT_ALLOWED_HEADERS = List.of("Content-Type", "Authorization");
    /** Default time a browser may cache a preflight answer: 10 minutes (Chromium caps it at 2 hours). */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;
    private final Set<String> allowedMethods;
    private final Set<String> allowedHeaders;
    private final Set<String> allowedHeadersLower;
    private final Set<String> exposedHeaders;
    private final boolean allowCredentials;
    private final Duration maxAge;
    // Kept in the order given, for headers and messages; the sets above answer lookups.
    private final List<String> orderedOrigins;
    private final List<String> orderedMethods;
    private final List<String> orderedHeaders;
    private final List<String> orderedExposed;

    private CorsPolicy(Builder b) {
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.anyOrigin = allowedOrigins.contains(ANY_ORIGIN);
        this.allowedMethods = Set.copyOf(b.allowedMethods);
        this.allowedHeaders = Set.copyOf(b.allowedHeaders);
        Set<String> lower = new LinkedHashSet<>();
        for (String h : b.allowedHeaders) {
            lower.add(h.toLowerCase(Locale.ROOT));
        }
        this.allowedHeadersLower = Set.copyOf(lower);
        this.exposedHeaders = Set.copyOf(b.exposedHeaders);
        this.allowCredentials = b.allowCredentials;
        this.maxAge = b.maxAge;
        this.orderedOrigins = List.copyOf(b.allowedOrigins);
        this.orderedMethods = List.copyOf(b.allowedMethods);
        this.orderedHeaders = List.copyOf(b.allowedHeaders);
        this.orderedExposed = List.copyOf(b.exposedHeaders);
    }

    /**
     * Starts a builder with no origin, the default methods and headers, no credentials and the
     * default max age.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this policy's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.allowedOrigins.addAll(orderedOrigins);
        b.allowedMethods.clear();
        b.allowedMethods.addAll(orderedMethods);
        b.allowedHeaders.clear();
        b.allowedHeaders.addAll(orderedHeaders);
        b.exposedHeaders.addAll(orderedExposed);
        b.allowCredentials = allowCredentials;
        b.maxAge = maxAge;
        return b;
    }

    /**
     * Normalises an origin as browsers serialise it (RFC 6454, section 6.2): lower-case scheme and
     * host, the scheme's default port dropped, no path.
     *
     * @param origin for example {@code HTTPS://App.Example.com:443}
     * @return for example {@code https://app.example.com}, or {@value #ANY_ORIGIN} unchanged
     * @throws ConfigurationException if it is not an origin (a path, a query, user info, no host,
     *     or a scheme other than http or https)
     */
    public static String normalizeOrigin(String origin) {
        Checks.notBlank(origin, "origin");
        String trimmed = origin.trim();
        if (ANY_ORIGIN.equals(trimmed)) {
            return ANY_ORIGIN;
        }
        String normalized = tryNormalize(trimmed);
        if (normalized == null) {
            throw new ConfigurationException("origin must be a scheme, a host and an optional port such as "
                    + "https://app.example.com or http://127.0.0.1:5173 (no path, no trailing slash), but was \""
                    + origin + "\"");
        }
        return normalized;
    }

    private static String tryNormalize(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme();
        if (scheme == null || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /**
     * Whether a browser origin may call: it is listed, or the policy allows any origin. Reads
     * immutable state only: no lock, safe on a request path.
     *
     * @param origin the request's {@code Origin} header; may be null
     * @return false for null, {@code "null"} (opaque origins) and anything that is not an origin
     *     unless any origin is allowed; true for a listed origin in any case or with its default port
     */
    public boolean allowsOrigin(String origin) {
        if (origin == null || origin.isEmpty()) {
            return false;
        }
        if (anyOrigin) {
            return true;
        }
        if (allowedOrigins.contains(origin)) {
            return true;
        }
        String normalized = tryNormalize(origin.trim());
        return normalized != null && allowedOrigins.contains(normalized);
    }

    /**
     * Whether a method may be used in a cross-origin request.
     *
     * @param method a method such as {@code PUT}; compared with case
     * @return true if listed
     */
    public boolean allowsMethod(String method) {
        return method != null && allowedMethods.contains(method);
    }

    /**
     * Whether a request header may be sent in a cross-origin request.
     *
     * @param header a header name; compared without case
     * @return true if listed
     */
    public boolean allowsHeader(String header) {
        return header != null && allowedHeadersLower.contains(header.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The allowed origins, normalised, in the order given.
     *
     * @return an immutable list; {@code ["*"]} for any origin
     */
    public List<String> allowedOrigins() {
        return orderedOrigins;
    }

    /**
     * Whether every origin is allowed ({@value #ANY_ORIGIN} was given).
     *
     * @return true for any origin
     */
    public boolean allowsAnyOrigin() {
        return anyOrigin;
    }

    /**
     * The methods allowed across origins, in the order given.
     *
     * @return an immutable list
     */
    public List<String> allowedMethods() {
        return orderedMethods;
    }

    /**
     * The request headers allowed across origins, in the order given.
     *
     * @return an immutable list
     */
    public List<String> allowedHeaders() {
        return orderedHeaders;
    }

    /**
     * The response headers a browser script may read ({@code Access-Control-Expose-Headers}).
     *
     * @return an immutable list, empty by default
     */
    public List<String> exposedHeaders() {
        return orderedExposed;
    }

    /**
     * Whether requests may carry credentials (cookies, HTTP authentication); answered as
     * {@code Access-Control-Allow-Credentials: true}.
     *
     * @return false by default
     */
    public boolean allowCredentials() {
        return allowCredentials;
    }

    /**
     * How long a browser may cache a preflight answer ({@code Access-Control-Max-Age}).
     *
     * @return zero or more; zero means do not cache
     */
    public Duration maxAge() {
        return maxAge;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CorsPolicy)) {
            return false;
        }
        CorsPolicy other = (CorsPolicy) o;
        return allowCredentials == other.allowCredentials && allowedOrigins.equals(other.allowedOrigins)
                && allowedMethods.equals(other.allowedMethods) && allowedHeadersLower.equals(other.allowedHeadersLower)
                && exposedHeaders.equals(other.exposedHeaders) && maxAge.equals(other.maxAge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowedOrigins, allowedMethods, allowedHeadersLower, exposedHeaders, allowCredentials, maxAge);
    }

    @Override
    public String toString() {
        return "CorsPolicy{allowedOrigins=" + orderedOrigins + ", allowedMethods=" + orderedMethods + ", allowedHeaders="
                + orderedHeaders + ", exposedHeaders=" + orderedExposed + ", allowCredentials=" + allowCredentials
                + ", maxAge=" + maxAge + '}';
    }

    /** Builder of {@link CorsPolicy}; not thread-safe. */
    public static final class Builder {
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private final Set<String> allowedMethods = new LinkedHashSet<>(DEFAULT_ALLOWED_METHODS);
        private final Set<String> allowedHeaders = new LinkedHashSet<>(DEFAULT_ALLOWED_HEADERS);
        private final Set<String> exposedHeaders = new LinkedHashSet<>();
        private boolean allowCredentials;
        private Duration maxAge = DEFAULT_MAX_AGE;

        private Builder() {
        }

        /**
         * Adds allowed origins.
         *
         * @param origins origins such as {@code https://app.example.com}, or {@value #ANY_ORIGIN}
         * @return this builder
         * @throws ConfigurationException if one is not an origin (see {@link #normalizeOrigin(String)})
         */
        public Builder allowedOrigins(String... origins) {
            return allowedOrigins(List.of(Checks.notNull(origins, "allowedOrigins")));
        }

        /**
         * Adds allowed origins.
         *
         * @param origins origins such as {@code https://app.example.com}, or {@value #ANY_ORIGIN}
         * @return this builder
         * @throws ConfigurationException if one is not an origin (see {@link #normalizeOrigin(String)})
         */
        public Builder allowedOrigins(Collection<String> origins) {
            Checks.notNull(origins, "allowedOrigins");
            for (String o : origins) {
                Checks.notBlank(o, "allowedOrigins");
                try {
                    allowedOrigins.add(normalizeOrigin(o));
                } catch (ConfigurationException e) {
                    throw new ConfigurationException("allowedOrigins must hold origins such as https://app.example.com "
                            + "(scheme, host and optional port; no path, no trailing slash) or \"*\", but was \"" + o + "\"");
                }
            }
            return this;
        }

        /**
         * Replaces the allowed methods.
         *
         * @param methods HTTP methods such as {@code GET}; not empty; default GET, HEAD, POST
         * @return this builder
         * @throws ConfigurationException if empty or a method is blank or not an HTTP token
         */
        public Builder allowedMethods(String... methods) {
            Checks.notNull(methods, "allowedMethods");
            Checks.check(methods.length > 0, "allowedMethods must not be empty, but was []");
            Set<String> m = new LinkedHashSet<>();
            for (String method : methods) {
                m.add(token(method, "allowedMethods"));
            }
            allowedMethods.clear();
            allowedMethods.addAll(m);
            return this;
        }

        /**
         * Replaces the allowed request headers.
         *
         * @param headers header names; may be empty; default Content-Type, Authorization
         * @return this builder
         * @throws ConfigurationException if a name is blank or not an HTTP token
         */
        public Builder allowedHeaders(String... headers) {
            Checks.notNull(headers, "allowedHeaders");
            Set<String> h = new LinkedHashSet<>();
            for (String header : headers) {
                h.add(token(header, "allowedHeaders"));
            }
            allowedHeaders.clear();
            allowedHeaders.addAll(h);
            return this;
        }

        /**
         * Replaces the response headers a browser script may read.
         *
         * @param headers header names; may be empty (the default)
         * @return this builder
         * @throws ConfigurationException if a name is blank or not an HTTP token
         */
        public Builder exposedHeaders(String... headers) {
            Checks.notNull(headers, "exposedHeaders");
            Set<String> h = new LinkedHashSet<>();
            for (String header : headers) {
                h.add(token(header, "exposedHeaders"));
            }
            exposedHeaders.clear();
            exposedHeaders.addAll(h);
            return this;
        }

        /**
         * Sets whether requests may carry credentials.
         *
         * @param allowCredentials default false; true is refused with {@value #ANY_ORIGIN} at {@link #build()}
         * @return this builder
         */
        public Builder allowCredentials(boolean allowCredentials) {
            this.allowCredentials = allowCredentials;
            return this;
        }

        /**
         * Sets how long a browser may cache a preflight answer; sent in whole seconds, rounded down.
         *
         * @param maxAge zero or more; default 10 minutes
         * @return this builder
         * @throws ConfigurationException if null or negative
         */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = Checks.notNegative(maxAge, "maxAge");
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return an immutable policy
         * @throws ConfigurationException if no origin was given, or if {@value #ANY_ORIGIN} is combined
         *     with other origins or with credentials
         */
        public CorsPolicy build() {
            Checks.check(!allowedOrigins.isEmpty(), "allowedOrigins must not be empty, but was []; list the origins "
                    + "of the pages that call this service, such as https://app.example.com");
            if (allowedOrigins.contains(ANY_ORIGIN)) {
                Checks.check(allowedOrigins.size() == 1, "allowedOrigins must be either \"*\" or a list of origins, "
                        + "but was " + allowedOrigins);
                Checks.check(!allowCredentials, "allowCredentials must be false when allowedOrigins is \"*\" (the Fetch "
                        + "standard forbids Access-Control-Allow-Origin: * on requests with credentials), but was true; "
                        + "list the origins that may send credentials instead");
            }
            return new CorsPolicy(this);
        }

        private static String token(String value, String field) {
            Checks.notBlank(value, field);
            String v = value.trim();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
                if (!ok) {
                    throw new ConfigurationException(field + " must hold HTTP tokens such as Content-Type, but was \""
                            + value + "\"");
                }
            }
            return v;
        }
    }
}
