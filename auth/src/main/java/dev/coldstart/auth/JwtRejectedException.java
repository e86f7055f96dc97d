package dev.coldstart.auth;

import dev.coldstart.core.TokenRejectedException;

/**
 * A JWT refused by an {@link IdentityProvider}, with the structured {@link Reason}. The message
 * never contains the token or key material. Immutable.
 */
public class JwtRejectedException extends TokenRejectedException {
    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        /** Not a compact JWT, or larger than the accepted size. */
        MALFORMED,
        /** An unsecured JWT ({@code alg: none}). */
        UNSIGNED,
        /** Signed with an algorithm outside the allowed set, for example HS256 against an RSA key set. */
        ALGORITHM_NOT_ALLOWED,
        /** Its {@code kid} is not in the provider's key set, even after a refresh (or during the cool-down). */
        UNKNOWN_KEY,
        /** No key set is available: the provider has not been reached and no last-known-good set exists. */
        KEYS_UNAVAILABLE,
        /** The signature does not verify with the key its {@code kid} names. */
        BAD_SIGNATURE,
        /** {@code exp} lies in the past by more than the clock skew, or is missing. */
        EXPIRED,
        /** {@code nbf} lies in the future by more than the clock skew. */
        NOT_YET_VALID,
        /** {@code iat} lies in the future by more than the clock skew. */
        ISSUED_IN_FUTURE,
        /** {@code iss} is not the provider's issuer. */
        WRONG_ISSUER,
        /** {@code aud} names none of the accepted audiences. */
        WRONG_AUDIENCE
    }

    /** Why the token was rejected. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why
     * @param message the details; never the token
     */
    public JwtRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Why the token was refused.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
