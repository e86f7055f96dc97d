package dev.coldstart.auth;

import java.net.URI;

/**
 * The identity provider answered with a body that is not the JSON the protocol requires (the "invalid JSON" failure): an HTML error page, a truncated document, a document without {@code jwks_uri} or without keys. Transient: retried while the start deadline allows. Immutable.
 */
public class ProviderResponseException extends IdentityProviderException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param providerName the provider's configured name
     * @param uri the URL that was requested
     * @param message what happened, what was expected and what to do
     * @param cause the underlying failure; may be null
     */
    public ProviderResponseException(String providerName, URI uri, String message, Throwable cause) {
        super(providerName, uri, message, cause);
    }
}
