package dev.coldstart.auth;

import dev.coldstart.auth.internal.FileKeySetStore;
import dev.coldstart.auth.internal.RedisKeySetStore;
import dev.coldstart.core.Checks;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an {@link IdentityProvider} keeps its last-known-good key set, with its fetch time, so that
 * a restart while the provider is down can still verify tokens signed by known keys (up to
 * {@link IdentityProviderConfig#maxKeySetAge()}). Only public keys are stored.
 *
 * <p>Implementations are thread-safe. A store that fails (disk full, Redis down) must throw; the
 * provider logs a warning and carries on without it, since the store is a fallback, never a
 * reason to refuse service.
 */
public interface KeySetStore extends AutoCloseable {

    /**
     * Saves the key set of a provider, replacing the previous one.
     *
     * @param providerName the provider's name; not blank
     * @param keySet the key set; not null
     * @throws Exception if it could not be saved
     */
    void save(String providerName, StoredKeySet keySet) throws Exception;

    /**
     * Loads the key set last saved for a provider.
     *
     * @param providerName the provider's name; not blank
     * @return the key set, or empty if none was saved
     * @throws Exception if the store could not be read
     */
    Optional<StoredKeySet> load(String providerName) throws Exception;

    /**
     * Releases the store's resources; by default nothing.
     */
    @Override
    default void close() {
    }

    /**
     * A store that keeps nothing: the default, for services that must not start on stale keys.
     *
     * @return the shared null store
     */
    static KeySetStore none() {
        return NoKeySetStore.INSTANCE;
    }

    /**
     * A store of one JSON file per provider, {@code <directory>/<providerName>.jwks.json}, written
     * atomically (temporary file, then rename) so a crash never leaves half a file.
     *
     * @param directory the directory; created on first save if missing; not null
     * @return a new store
     */
    static KeySetStore file(Path directory) {
        return new FileKeySetStore(Checks.notNull(directory, "directory"));
    }

    /**
     * A store in Redis under {@code <keyPrefix>jwks:<providerName>} (a hash of the JWKS, its fetch
     * time and URL), shared by every replica of a service. Needs {@code io.lettuce:lettuce-core}
     * on the class path. Connects lazily on first use; {@link #close()} shuts the client down.
     *
     * @param redisUri for example {@code redis://127.0.0.1:6379}; not null
     * @param keyPrefix the prefix of every key, for example {@code "orders:"}; not null, may be empty
     * @return a new store
     */
    static KeySetStore redis(URI redisUri, String keyPrefix) {
        return new RedisKeySetStore(Checks.notNull(redisUri, "redisUri"), Checks.notNull(keyPrefix, "keyPrefix"));
    }
}

/** The null object behind {@link KeySetStore#none()}. */
final class NoKeySetStore implements KeySetStore {
    static final NoKeySetStore INSTANCE = new NoKeySetStore();

    private NoKeySetStore() {
    }

    @Override
    public void save(String providerName, StoredKeySet keySet) {
    }

    @Override
    public Optional<StoredKeySet> load(String providerName) {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "KeySetStore.none()";
    }
}
