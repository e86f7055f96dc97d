package dev.coldstart.core;

/**
 * A token that a {@link TokenVerifier} refused. The message says why (expired, unknown key,
 * wrong audience ...) and what the caller can do; it never contains the token or key material, so
 * it may be logged and, in short form, returned to the client. Modules may subclass it to expose
 * a structured reason.
 */
public class TokenRejectedException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the token was refused; never the token itself
     */
    public TokenRejectedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message why the token was refused; never the token itself
     * @param cause the underlying failure; may be null
     */
    public TokenRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
