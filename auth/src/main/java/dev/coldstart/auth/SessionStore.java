package dev.coldstart.auth;

import dev.coldstart.auth.internal.InMemorySessionStore;
import dev.coldstart.auth.internal.RedisSessionStore;
import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Sessions shared by concurrent requests (and, with Redis, by replicas), safe against the races of
 * a service under load: versioned compare-and-set so no update is lost, invalidation that no
 * concurrent refresh can undo, and per-session locks held as leases with a time-to-live and an
 * owner token.
 *
 * <p>Two implementations: {@link #redis(RedisSessionStoreConfig)} (Lettuce; each write is one Lua
 * script, atomic in Redis) for several processes, and {@link #inMemory()} for a single process.
 * Both are thread-safe.
 *
 * <p>Rules both keep: every successful write increments the version; {@link #compareAndSet} writes
 * only if the version is still the one read, and never creates a session; {@link #invalidate}
 * replaces the session by a tombstone for its remaining time-to-live, so a refresh that read the
 * session before the invalidation fails with {@link CasResult.Outcome#NOT_FOUND} instead of
 * reviving it.
 *
 * <pre>{@code
 * SessionStore store = SessionStore.redis(RedisSessionStoreConfig.builder(URI.create("redis://127.0.0.1:6379"))
 *         .keyPrefix("orders:").build());
 * Session s = store.create(Map.of("user", "alice"), Duration.ofMinutes(30));
 * store.update(s.id(), a -> { a.put("cart", "3"); return a; }, Duration.ofMinutes(30));
 * try (SessionLease lease = store.lock(s.id(), Duration.ofSeconds(10), Duration.ofSeconds(2))) {
 *     // exclusive work on the session
 * }
 * }</pre>
 */
public interface SessionStore extends AutoCloseable {

    /** Default limit of compare-and-set attempts in {@link #update}: 200. */
    int DEFAULT_MAX_UPDATE_ATTEMPTS = 200;

    /**
     * A store in this process's memory, on the system clock.
     *
     * @return a new store
     */
    static SessionStore inMemory() {
        return inMemory(Clock.systemUTC());
    }

    /**
     * A store in this process's memory.
     *
     * @param clock decides expiry of sessions and leases (tests use a fake one); not null
     * @return a new store
     */
    static SessionStore inMemory(Clock clock) {
        return new InMemorySessionStore(Checks.notNull(clock, "clock"), DEFAULT_MAX_UPDATE_ATTEMPTS);
    }

    /**
     * A store in Redis. Needs {@code io.lettuce:lettuce-core} on the class path. Connects when
     * its {@link #component()} starts (or on first use).
     *
     * @param config the configuration; not null
     * @return a new store
     */
    static SessionStore redis(RedisSessionStoreConfig config) {
        return new RedisSessionStore(Checks.notNull(config, "config"));
    }

    /**
     * Creates a session with a fresh random id (128 bits, URL-safe) and version 1.
     *
     * @param attributes its attributes; names not blank, values not null
     * @param ttl how long it lives unless written again; positive
     * @return the session
     */
    Session create(Map<String, String> attributes, Duration ttl);

    /**
     * Reads a session.
     *
     * @param id its id
     * @return the session, or empty if it does not exist, expired or was invalidated
     */
    Optional<Session> get(String id);

    /**
     * Replaces a session's attributes and time-to-live if its version is still {@code expectedVersion}.
     *
     * @param id its id
     * @param expectedVersion the version the caller read
     * @param attributes the new attributes
     * @param ttl the new time-to-live; positive
     * @return what happened; never creates a session
     */
    CasResult compareAndSet(String id, long expectedVersion, Map<String, String> attributes, Duration ttl);

    /**
     * Read-modify-write with compare-and-set, retried on conflict with a short jittered backoff.
     *
     * @param id the session's id
     * @param change gets a mutable copy of the attributes, returns the new attributes
     * @param ttl the new time-to-live; positive
     * @return the session as written, or empty if it does not exist, expired or was invalidated
     * @throws SessionConflictException if every attempt lost the race
     */
    Optional<Session> update(String id, UnaryOperator<Map<String, String>> change, Duration ttl);

    /**
     * Invalidates a session: it reads as absent from now on and no compare-and-set can revive it.
     *
     * @param id its id
     * @return true if a live session was invalidated; false if there was none
     */
    boolean invalidate(String id);

    /**
     * Takes the lock of a session if nobody holds it.
     *
     * @param id the session's id
     * @param leaseTtl how long the lease lasts unless renewed; positive
     * @return the lease, or empty if another owner holds the lock
     */
    Optional<SessionLease> tryLock(String id, Duration leaseTtl);

    /**
     * Takes the lock of a session, waiting (polling with backoff) while another owner holds it.
     *
     * @param id the session's id
     * @param leaseTtl how long the lease lasts unless renewed; positive
     * @param waitTimeout how long to wait at most; zero or more
     * @return the lease
     * @throws LockTimeoutException if still held by another owner when the wait ends
     */
    SessionLease lock(String id, Duration leaseTtl, Duration waitTimeout);

    /**
     * The store as a startable component: for Redis, connecting and a {@code PING} probe; for
     * memory, always up.
     *
     * @return the component
     */
    Component component();

    /**
     * Releases connections; sessions in memory are dropped.
     */
    @Override
    void close();
}
