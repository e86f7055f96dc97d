package dev.coldstart.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * An access token obtained by {@link ClientCredentialsTokens}. Immutable; {@link #toString()}
 * never shows the token.
 *
 * @param value the token to send as {@code Authorization: Bearer <value>}
 * @param issuedAt when this process received it
 * @param expiresAt when it expires ({@code issuedAt + expires_in})
 */
public record AccessToken(String value, Instant issuedAt, Instant expiresAt) {

    /**
     * The token's lifetime.
     *
     * @return {@code expiresAt - issuedAt}
     */
    public Duration lifetime() {
        return Duration.between(issuedAt, expiresAt);
    }

    @Override
    public String toString() {
        return "AccessToken{issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + ", value=***}";
    }
}
