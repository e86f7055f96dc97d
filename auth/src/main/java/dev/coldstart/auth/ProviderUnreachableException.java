package dev.coldstart.auth;

import java.net.URI;

/**
 * The identity provider could not be reached: connection refused, reset or not accepted in time (the "down" failure). Transient: retried while the start deadline allows. Immutable.
 */
public class ProviderUnreachableException extends IdentityProviderException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param providerName the provider's configured name
     * @param uri the URL that was requested
     * @param message what happened, what was expected and what to do
     * @param cause the underlying failure; may be null
     */
    public ProviderUnreachableException(String providerName, URI uri, String message, Throwable cause) {
        super(providerName, uri, message, cause);
    }
}
