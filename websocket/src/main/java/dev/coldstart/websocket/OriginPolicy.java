package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.CorsPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may open a connection: an allow-list of exact origins
 * ({@code scheme://host[:port]}), or any origin.
 *
 * <p>Browsers send an {@code Origin} header with every WebSocket handshake (RFC 6455, section
 * 4.1, item 8) and attach the site's cookies whatever page opened the socket, so a server that
 * accepts cookie credentials without checking the origin lets any web page act as the logged-in
 * user (cross-site WebSocket hijacking). Origins are compared after normalisation: scheme and host
 * in lower case, default ports (80 for http/ws, 443 for https/wss) removed, no path.
 *
 * <p>Two rules are checked at {@link Builder#build()}, as the CORS specification does for
 * {@code Access-Control-Allow-Origin: *}: any origin together with
 * {@linkplain Builder#allowCredentials(boolean) credentials} is a {@link ConfigurationException},
 * and an empty allow-list is one too (it would refuse every browser).
 *
 * <p>A request without an {@code Origin} header does not come from a browser (browsers always
 * send it); whether such clients may connect is {@link Builder#allowMissingOrigin(boolean)},
 * false by default. The type is kept small so that an HTTP CORS policy can reuse it.
 *
 * <p>Immutable and thread-safe; {@link #allows(String)} takes no lock. Builders are not thread-safe.
 *
 * <pre>{@code
 * OriginPolicy origins = OriginPolicy.builder()
 *         .allowOrigin("https://app.example.com")
 *         .allowCredentials(true)
 *         .build();
 * }</pre>
 */
public final class OriginPolicy {
    private final Set<String> allowed;
    private final boolean anyOrigin;
    private final boolean allowCredentials;
    private final boolean allowMissingOrigin;

    private OriginPolicy(Builder b) {
        this.allowed = Set.copyOf(b.allowed);
        this.anyOrigin = b.anyOrigin;
        this.allowCredentials = b.allowCredentials;
        this.allowMissingOrigin = b.allowMissingOrigin;
    }

    /**
     * Starts a builder: no origin allowed, no credentials, missing origin refused.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The origin part of a CORS policy, so that the HTTP API's CORS answers and the WebSocket
     * upgrade check one list and cannot drift apart: its origins (or any origin) and its
     * credentials flag; requests without {@code Origin} are refused (use {@link #toBuilder()} to
     * allow them).
     *
     * @param cors the policy; not null
     * @return a new origin policy
     * @throws ConfigurationException if the CORS policy lists no origin
     */
    public static OriginPolicy from(CorsPolicy cors) {
        Checks.notNull(cors, "cors");
        Builder b = builder().allowCredentials(cors.allowCredentials());
        if (cors.allowsAnyOrigin()) {
            b.allowAnyOrigin();
        } else {
            cors.allowedOrigins().forEach(b::allowOrigin);
        }
        return b.build();
    }

    /**
     * A builder holding this policy's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.allowed.addAll(allowed);
        b.anyOrigin = anyOrigin;
        b.allowCredentials = allowCredentials;
        b.allowMissingOrigin = allowMissingOrigin;
        return b;
    }

    /**
     * Whether a request carrying this {@code Origin} header may proceed.
     *
     * @param origin the header's value; null when the request has none; {@code "null"} (an opaque
     *     origin, sent by sandboxed frames and {@code file:} pages) is never allowed, even with
     *     {@link Builder#allowAnyOrigin()}
     * @return true when allowed
     */
    public boolean allows(String origin) {
        if (origin == null || origin.isEmpty()) {
            return allowMissingOrigin;
        }
        if ("null".equals(origin)) {
            return false;
        }
        if (anyOrigin) {
            return true;
        }
        String normalised = normaliseOrNull(origin);
        return normalised != null && allowed.contains(normalised);
    }

    /**
     * The normalised allowed origins.
     *
     * @return an immutable set; empty when {@link #anyOrigin()} is true
     */
    public Set<String> allowedOrigins() {
        return allowed;
    }

    /**
     * Whether any origin is allowed.
     *
     * @return true for a wildcard policy
     */
    public boolean anyOrigin() {
        return anyOrigin;
    }

    /**
     * Whether requests may carry credentials that the browser attaches on its own (cookies,
     * HTTP authentication); never true together with {@link #anyOrigin()}.
     *
     * @return true when credentials are allowed
     */
    public boolean allowCredentials() {
        return allowCredentials;
    }

    /**
     * Whether a request without an {@code Origin} header (a non-browser client) is allowed.
     *
     * @return false by default
     */
    public boolean allowMissingOrigin() {
        return allowMissingOrigin;
    }

    @Override
    public String toString() {
        return "OriginPolicy{" + (anyOrigin ? "anyOrigin" : "allowed=" + allowed)
                + ", allowCredentials=" + allowCredentials + ", allowMissingOrigin=" + allowMissingOrigin + '}';
    }

    /**
     * Normalises an origin: lower-case scheme and host, default port removed.
     *
     * @param origin for example {@code "HTTPS://App.Example.com:443"}
     * @return for example {@code "https://app.example.com"}
     * @throws ConfigurationException if it is not {@code scheme://host[:port]} without path, query
     *     or user info
     */
    static String normalise(String origin) {
        String n = normaliseOrNull(Checks.notBlank(origin, "origin"));
        if (n == null) {
            throw new ConfigurationException("origin must be scheme://host[:port] without path, for example "
                    + "https://app.example.com, but was \"" + origin + "\"");
        }
        return n;
    }

    private static String normaliseOrNull(String origin) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                        && !"/".equals(uri.getRawPath()))) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = host.toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || (port == 80 && (scheme.equals("http") || scheme.equals("ws")))
                || (port == 443 && (scheme.equals("https") || scheme.equals("wss")));
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    /** Builder for {@link OriginPolicy}; not thread-safe. */
    public static final class Builder {
        private final Set<String> allowed = new LinkedHashSet<>();
        private boolean anyOrigin;
        private boolean allowCredentials;
        private boolean allowMissingOrigin;

        private Builder() {
        }

        /**
         * Adds allowed origins.
         *
         * @param origins each {@code scheme://host[:port]}, for example {@code https://app.example.com};
         *     {@code "*"} is refused, use {@link #allowAnyOrigin()}
         * @return this builder
         * @throws ConfigurationException if an origin is blank, {@code "*"} or not of that form
         */
        public Builder allowOrigin(String... origins) {
            for (String o : origins) {
                Checks.check(!"*".equals(o), "origin must be an exact origin; use allowAnyOrigin() for a wildcard, but was \"*\"");
                allowed.add(normalise(o));
            }
            return this;
        }

        /**
         * Allows any origin: for public, credential-less endpoints only.
         *
         * @return this builder
         */
        public Builder allowAnyOrigin() {
            this.anyOrigin = true;
            return this;
        }

        /**
         * Sets whether requests may carry credentials the browser attaches on its own (cookies).
         *
         * @param allowCredentials false by default
         * @return this builder
         */
        public Builder allowCredentials(boolean allowCredentials) {
            this.allowCredentials = allowCredentials;
            return this;
        }

        /**
         * Sets whether a request without {@code Origin} (a non-browser client) is allowed.
         *
         * @param allowMissingOrigin false by default
         * @return this builder
         */
        public Builder allowMissingOrigin(boolean allowMissingOrigin) {
            this.allowMissingOrigin = allowMissingOrigin;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return an immutable policy
         * @throws ConfigurationException if any origin is allowed together with credentials, or if
         *     neither an origin nor any origin nor a missing origin is allowed
         */
        public OriginPolicy build() {
            Checks.check(!(anyOrigin && allowCredentials),
                    "allowCredentials must be false when any origin is allowed (a wildcard origin with credentials lets "
                            + "every web page use the user's cookies), but was true; list the allowed origins instead");
            Checks.check(anyOrigin || !allowed.isEmpty() || allowMissingOrigin,
                    "allowedOrigins must not be empty unless allowAnyOrigin() or allowMissingOrigin(true) is set, but was []");
            if (anyOrigin) {
                allowed.clear();
            }
            return new OriginPolicy(this);
        }
    }
}
