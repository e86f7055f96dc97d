package dev.coldstart.auth;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a session as read from a {@link SessionStore}. Immutable and thread-safe.
 *
 * @param id the session's id (random, URL-safe)
 * @param version incremented by every successful write; the compare-and-set token
 * @param attributes the session's attributes; immutable
 * @param expiresAt when the store forgets the session unless it is written again
 */
public record Session(String id, long version, Map<String, String> attributes, Instant expiresAt) {

    /**
     * Copies the attributes.
     *
     * @param id the id
     * @param version the version
     * @param attributes the attributes; copied
     * @param expiresAt the expiry
     */
    public Session {
        attributes = Map.copyOf(attributes);
    }

    /**
     * One attribute.
     *
     * @param name its name
     * @return its value, or null if absent
     */
    public String attribute(String name) {
        return attributes.get(name);
    }
}
