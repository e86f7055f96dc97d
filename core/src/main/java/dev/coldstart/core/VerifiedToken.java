package dev.coldstart.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a verified token proves, as returned by {@link TokenVerifier#verify(String)}. Immutable and
 * thread-safe.
 *
 * @param subject the subject ({@code sub} claim); may be null when the token has none
 * @param expiresAt the expiry ({@code exp} claim); may be null when the token has none
 * @param claims every claim with a non-null value, by name; immutable
 */
public record VerifiedToken(String subject, Instant expiresAt, Map<String, Object> claims) {

    /**
     * Copies the claims, dropping null names and values.
     *
     * @param subject the subject; may be null
     * @param expiresAt the expiry; may be null
     * @param claims the claims; null means none
     */
    public VerifiedToken {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (claims != null) {
            claims.forEach((k, v) -> {
                if (k != null && v != null) {
                    copy.put(k, v);
                }
            });
        }
        claims = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * One claim.
     *
     * @param name the claim's name
     * @return its value, or null if absent
     */
    public Object claim(String name) {
        return claims.get(name);
    }
}
