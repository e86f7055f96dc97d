package dev.coldstart.auth;

import dev.coldstart.core.Checks;
import java.net.URI;
import java.time.Instant;

/**
 * A provider's public key set as last fetched, kept by a {@link KeySetStore} so a restart while
 * the provider is down can still verify tokens signed by known keys. Holds public keys only.
 * Immutable and thread-safe.
 *
 * @param jwksJson the JWKS document (public keys only), as JSON text; not blank
 * @param fetchedAt when it was fetched from the provider; not null
 * @param jwksUri where it was fetched from; may be null
 */
public record StoredKeySet(String jwksJson, Instant fetchedAt, URI jwksUri) {

    /**
     * Checks the fields.
     *
     * @param jwksJson the JWKS document; not blank
     * @param fetchedAt the fetch time; not null
     * @param jwksUri the source; may be null
     * @throws dev.coldstart.core.ConfigurationException if {@code jwksJson} is blank or {@code fetchedAt} null
     */
    public StoredKeySet {
        Checks.notBlank(jwksJson, "jwksJson");
        Checks.notNull(fetchedAt, "fetchedAt");
    }

    @Override
    public String toString() {
        return "StoredKeySet{fetchedAt=" + fetchedAt + ", jwksUri=" + jwksUri + ", " + jwksJson.length() + " chars}";
    }
}
