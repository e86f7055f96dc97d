package dev.coldstart.auth;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of an identity provider's health as seen by this service: whether its keys are
 * fresh, where they came from and the last error. Reported through the probes of
 * {@link IdentityProvider#components()} and readable at any time with
 * {@link IdentityProvider#health()}. Immutable and thread-safe.
 *
 * @param status up, degraded or down
 * @param keySource where the key set in use came from
 * @param keysFetchedAt when the key set in use was fetched from the provider; null if none
 * @param keyIds the {@code kid}s of the key set in use; empty if none
 * @param lastError the last fetch failure (type and message), or null if the last fetch succeeded
 */
public record ProviderHealth(Status status, KeySource keySource, Instant keysFetchedAt, List<String> keyIds,
        String lastError) {

    /** Overall state of a provider. */
    public enum Status {
        /** The last fetch succeeded: keys are fresh. */
        UP,
        /** Tokens still verify, but with keys that could not be refreshed (last fetch failed, or last-known-good keys). */
        DEGRADED,
        /** No usable keys: nothing fetched yet and nothing stored, or the keys are older than the maximum age. */
        DOWN
    }

    /** Where the key set in use came from. */
    public enum KeySource {
        /** No key set yet. */
        NONE,
        /** Fetched from the provider by this process. */
        PROVIDER,
        /** Loaded from the {@link KeySetStore} because the provider could not be reached. */
        LAST_KNOWN_GOOD
    }

    /**
     * Copies the key ids.
     *
     * @param status up, degraded or down
     * @param keySource where the key set came from
     * @param keysFetchedAt when it was fetched; may be null
     * @param keyIds the key ids; copied
     * @param lastError the last failure; may be null
     */
    public ProviderHealth {
        keyIds = List.copyOf(keyIds);
    }
}
