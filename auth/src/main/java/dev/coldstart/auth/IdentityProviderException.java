package dev.coldstart.auth;

import dev.coldstart.core.ColdstartException;
import java.net.URI;

/**
 * A transient failure to read from an identity provider: it did not answer in time, could not be
 * reached, answered with an error status or with a body that is not what the protocol requires.
 * The {@link dev.coldstart.core.StartupOrchestrator} retries these with backoff until the start
 * deadline; each kind is its own subtype so that operators (and tests) can tell them apart
 * without parsing messages. A permanent misconfiguration is an {@link IssuerMismatchException}
 * instead. Immutable.
 */
public class IdentityProviderException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /** The provider's configured name. */
    private final String providerName;
    /** The URL that was requested. */
    private final URI uri;

    /**
     * Creates the exception.
     *
     * @param providerName the provider's configured name
     * @param uri the URL that was requested
     * @param message what happened, what was expected and what to do
     * @param cause the underlying failure; may be null
     */
    public IdentityProviderException(String providerName, URI uri, String message, Throwable cause) {
        super(message, cause);
        this.providerName = providerName;
        this.uri = uri;
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
     * The URL that was requested (discovery document, JWKS or token endpoint).
     *
     * @return the URL
     */
    public URI uri() {
        return uri;
    }
}
