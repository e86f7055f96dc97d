package dev.coldstart.auth;

import java.time.Instant;

/**
 * Counters of an identity provider's key-set traffic since it was created, for tests, metrics and
 * the operator. Immutable snapshot.
 *
 * @param fetches JWKS requests sent to the provider (discovery requests not included)
 * @param failedFetches of those, the ones that failed
 * @param unknownKeyRefreshes refreshes started because a token named an unknown {@code kid}
 * @param unknownKeyRejections tokens refused for an unknown {@code kid} without a fetch (rate limit
 *     or cool-down)
 * @param lastFetchAt when the last JWKS request ended; null if none
 */
public record KeySetStats(long fetches, long failedFetches, long unknownKeyRefreshes, long unknownKeyRejections,
        Instant lastFetchAt) {
}
