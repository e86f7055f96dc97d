package dev.coldstart.auth;

import dev.coldstart.core.NonRetryableException;
import java.net.URI;

/**
 * The discovery document names another issuer than the one configured. OpenID Connect Discovery
 * 1.0, section 4.3, requires the {@code issuer} value to be identical to the issuer URL used to
 * find the document; a mismatch is a misconfiguration (wrong realm, wrong host name behind a
 * proxy, a provider configured with another frontend URL) that retrying cannot cure, so it is a
 * {@link NonRetryableException} and the component fails at once. Immutable.
 */
public class IssuerMismatchException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    /** The provider's configured name. */
    private final String providerName;
    /** The URL that was requested. */
    private final URI uri;
    /** The issuer the configuration expects. */
    private final String expectedIssuer;
    /** The issuer the discovery document names. */
    private final String actualIssuer;

    /**
     * Creates the exception.
     *
     * @param providerName the provider's configured name
     * @param uri the discovery document's URL
     * @param expectedIssuer the configured issuer
     * @param actualIssuer the issuer the document names; may be null if it names none
     */
    public IssuerMismatchException(String providerName, URI uri, String expectedIssuer, String actualIssuer) {
        super(providerName + " - the discovery document at " + uri + " names issuer '" + actualIssuer
                + "', but '" + expectedIssuer + "' is configured; OpenID Connect requires them to be identical. "
                + "Fix the configured issuer (realm, scheme, host, port, trailing slash) or the provider's "
                + "frontend URL; retrying will not help");
        this.providerName = providerName;
        this.uri = uri;
        this.expectedIssuer = expectedIssuer;
        this.actualIssuer = actualIssuer;
    }

    /**
     * The provider's configured name.
     *
     * @return the name
     */
    public String providerName() {
        return providerName;
    }

    /**
     * The discovery document's URL.
     *
     * @return the URL
     */
    public URI uri() {
        return uri;
    }

    /**
     * The configured issuer.
     *
     * @return the issuer
     */
    public String expectedIssuer() {
        return expectedIssuer;
    }

    /**
     * The issuer named by the discovery document.
     *
     * @return the issuer, or null if the document names none
     */
    public String actualIssuer() {
        return actualIssuer;
    }
}
