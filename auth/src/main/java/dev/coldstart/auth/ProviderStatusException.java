package dev.coldstart.auth;

import java.net.URI;

/**
 * The identity provider answered with an HTTP status other than 200 (the "500" failure; also a
 * 404 while a realm is still being imported, or a 503 while the provider starts). Transient:
 * retried while the start deadline allows. Immutable.
 */
public class ProviderStatusException extends IdentityProviderException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status the provider answered. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param providerName the provider's configured name
     * @param uri the URL that was requested
     * @param status the HTTP status received
     * @param message what happened, what was expected and what to do
     */
    public ProviderStatusException(String providerName, URI uri, int status, String message) {
        super(providerName, uri, message, null);
        this.status = status;
    }

    /**
     * The HTTP status received.
     *
     * @return the status code, for example 500
     */
    public int status() {
        return status;
    }
}
