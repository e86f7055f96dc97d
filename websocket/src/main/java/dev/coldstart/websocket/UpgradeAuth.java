package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import dev.coldstart.core.TokenVerifier;

/**
 * How an upgrade request proves who it comes from: where the bearer token is looked for and the
 * {@link TokenVerifier} that checks it (for example an identity provider of {@code coldstart-auth}).
 *
 * <p>The token is looked for, in this order, in the {@code Authorization: Bearer} header, in a
 * query parameter (off by default: URLs end up in access logs) and in a cookie (off by default).
 * Browsers cannot set headers on a WebSocket handshake, so browser clients use the query parameter
 * or the cookie. A cookie is a credential the browser attaches on its own, from any page: the
 * server therefore refuses at build time a cookie source unless its {@link OriginPolicy} lists
 * origins and allows credentials.
 *
 * <p>The check runs after the origin check and the admission check and before the upgrade: a
 * missing token or one the verifier rejects ({@link dev.coldstart.core.TokenRejectedException})
 * gets {@code 401} without upgrading; a verifier that fails otherwise (its key server is down)
 * gets {@code 503} with Retry-After, since the client is not at fault.
 *
 * <p>Immutable and thread-safe; builders are not thread-safe.
 */
public final class UpgradeAuth {
    private static final UpgradeAuth NONE = new UpgradeAuth(null, null, null);

    private final TokenVerifier verifier;
    private final String queryParameter;
    private final String cookieName;

    private UpgradeAuth(TokenVerifier verifier, String queryParameter, String cookieName) {
        this.verifier = verifier;
        this.queryParameter = queryParameter;
        this.cookieName = cookieName;
    }

    /**
     * No authentication: every request that passes the origin and admission checks is upgraded.
     *
     * @return the shared instance
     */
    public static UpgradeAuth none() {
        return NONE;
    }

    /**
     * Starts a builder requiring a token checked by the verifier, from the Authorization header only.
     *
     * @param verifier the verifier; not null
     * @return a new builder
     * @throws ConfigurationException if the verifier is null
     */
    public static Builder bearer(TokenVerifier verifier) {
        return new Builder(Checks.notNull(verifier, "verifier"));
    }

    /**
     * The verifier.
     *
     * @return the verifier, or null when no token is required
     */
    public TokenVerifier verifier() {
        return verifier;
    }

    /**
     * Whether a token is required.
     *
     * @return true when a verifier is set
     */
    public boolean required() {
        return verifier != null;
    }

    /**
     * The query parameter that may carry the token.
     *
     * @return its name, or null when tokens in the URL are not accepted
     */
    public String queryParameter() {
        return queryParameter;
    }

    /**
     * The cookie that may carry the token.
     *
     * @return its name, or null when cookies are not accepted
     */
    public String cookieName() {
        return cookieName;
    }

    @Override
    public String toString() {
        return verifier == null ? "UpgradeAuth{none}"
                : "UpgradeAuth{header=Authorization, queryParameter=" + queryParameter + ", cookieName=" + cookieName + '}';
    }

    /** Builder for {@link UpgradeAuth}; not thread-safe. */
    public static final class Builder {
        private final TokenVerifier verifier;
        private String queryParameter;
        private String cookieName;

        private Builder(TokenVerifier verifier) {
            this.verifier = verifier;
        }

        /**
         * Also accepts the token from a query parameter, for browser clients.
         *
         * @param name the parameter's name, for example {@code "access_token"}; not blank
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder queryParameter(String name) {
            this.queryParameter = Checks.notBlank(name, "queryParameter");
            return this;
        }

        /**
         * Also accepts the token from a cookie, for browser clients. Requires an {@link OriginPolicy}
         * that lists origins and allows credentials.
         *
         * @param name the cookie's name; not blank
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder cookie(String name) {
            this.cookieName = Checks.notBlank(name, "cookieName");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return immutable settings
         */
        public UpgradeAuth build() {
            return new UpgradeAuth(verifier, queryParameter, cookieName);
        }
    }
}
