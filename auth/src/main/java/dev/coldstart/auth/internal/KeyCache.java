package dev.coldstart.auth.internal;

import dev.coldstart.auth.KeySetStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The key set in use and the single-flight refresh behind it.
 *
 * <p>Readers take {@link #current()}, a volatile read. Every fetch, whatever triggered it (start,
 * schedule, probe, unknown {@code kid}), goes through one in-flight future guarded by a small
 * lock, so at most one request is on the wire and every caller that wants a refresh meanwhile
 * waits for that one. A caller that saw an older snapshot than the current one gets the current
 * one instead of a new fetch (the same reference comparison Nimbus 9.x+ makes in its
 * {@code ReferenceComparisonRefreshJWKSetEvaluator}): after a refresh completed, late arrivals
 * never cause another. Refreshes triggered by unknown {@code kid}s are rate-limited to one per
 * interval, and a {@code kid} still unknown after a successful refresh is refused without fetching
 * during a cool-down. Fetches run on the given executor, never on a caller's thread, so an
 * interrupted or timed-out caller cannot abort a fetch others wait for.
 */
public final class KeyCache {
    /** More cooling kids than this and expired entries are swept; a flood of invented kids stays bounded. */
    private static final int MAX_COOLING_KIDS = 10_000;

    private final Clock clock;
    private final Executor executor;
    private final Callable<KeySnapshot> fetch;
    private final BiConsumer<KeySnapshot, Throwable> onFetched;
    private final long kidRefreshIntervalMillis;
    private final long cooldownMillis;
    private final Duration waitLimit;

    private final Object lock = new Object();
    private volatile KeySnapshot snapshot;
    private CompletableFuture<KeySnapshot> inflight;
    private long nextKidRefreshAt = Long.MIN_VALUE;
    private final ConcurrentHashMap<String, Long> coolingKids = new ConcurrentHashMap<>();
    private final Set<String> pendingKids = new HashSet<>();

    private final LongAdder fetches = new LongAdder();
    private final LongAdder failedFetches = new LongAdder();
    private final LongAdder unknownKeyRefreshes = new LongAdder();
    private final LongAdder unknownKeyRejections = new LongAdder();
    private volatile Instant lastFetchAt;

    /**
     * Creates the cache.
     *
     * @param clock for rate limit and cool-down
     * @param executor where fetches run
     * @param fetch one fetch of a fresh snapshot
     * @param onFetched called after each fetch, on the fetch thread, with the result or the failure
     * @param kidRefreshInterval minimum time between refreshes triggered by unknown kids
     * @param cooldown how long a kid unknown after a refresh is refused without fetching
     * @param waitLimit how long a verification waits for a refresh in flight
     */
    public KeyCache(Clock clock, Executor executor, Callable<KeySnapshot> fetch,
            BiConsumer<KeySnapshot, Throwable> onFetched, Duration kidRefreshInterval, Duration cooldown,
            Duration waitLimit) {
        this.clock = clock;
        this.executor = executor;
        this.fetch = fetch;
        this.onFetched = onFetched;
        this.kidRefreshIntervalMillis = kidRefreshInterval.toMillis();
        this.cooldownMillis = cooldown.toMillis();
        this.waitLimit = waitLimit;
    }

    /**
     * The key set in use.
     *
     * @return the snapshot, or null before the first successful fetch or load
     */
    public KeySnapshot current() {
        return snapshot;
    }

    /**
     * Installs a snapshot that did not come from a fetch (a last-known-good set).
     *
     * @param s the snapshot
     */
    public void install(KeySnapshot s) {
        synchronized (lock) {
            snapshot = s;
        }
    }

    /**
     * Starts a refresh, or joins the one in flight.
     *
     * @return the future of the refreshed snapshot
     */
    public CompletableFuture<KeySnapshot> refresh() {
        synchronized (lock) {
            return inflight != null ? inflight : startFetchLocked();
        }
    }

    /**
     * Handles a {@code kid} missing from the snapshot a verification looked at.
     *
     * @param kid the unknown key id
     * @param seen the snapshot the caller looked at
     * @return a snapshot to look again in (newer than {@code seen}), or null if the caller must
     *     refuse the token now (cool-down, rate limit, or the refresh failed)
     */
    public KeySnapshot refreshForUnknownKid(String kid, KeySnapshot seen) {
        if (isCooling(kid, clock.millis())) {
            unknownKeyRejections.increment(); // fast path for floods of the same kid: no lock
            return null;
        }
        CompletableFuture<KeySnapshot> f;
        synchronized (lock) {
            long now = clock.millis();
            KeySnapshot cur = snapshot;
            if (cur != seen && cur != null && cur.has(kid)) {
                return cur; // refreshed since the caller looked: no fetch
            }
            if (isCooling(kid, now)) {
                unknownKeyRejections.increment();
                return null;
            }
            f = inflight;
            if (f == null) {
                if (now < nextKidRefreshAt) {
                    cool(kid, now);
                    unknownKeyRejections.increment();
                    return null;
                }
                nextKidRefreshAt = now + kidRefreshIntervalMillis;
                unknownKeyRefreshes.increment();
                f = startFetchLocked();
            }
            if (pendingKids.size() < MAX_COOLING_KIDS) {
                pendingKids.add(kid);
            }
        }
        try {
            return f.get(waitLimit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null; // the fetch failed or hangs: refuse now, the rate limit keeps the provider safe
        }
    }

    private boolean isCooling(String kid, long now) {
        Long until = coolingKids.get(kid);
        if (until == null) {
            return false;
        }
        if (until > now) {
            return true;
        }
        coolingKids.remove(kid, until);
        return false;
    }

    /**
     * Counters since creation.
     *
     * @return a snapshot
     */
    public KeySetStats stats() {
        return new KeySetStats(fetches.sum(), failedFetches.sum(), unknownKeyRefreshes.sum(),
                unknownKeyRejections.sum(), lastFetchAt);
    }

    private void cool(String kid, long now) {
        if (cooldownMillis <= 0) {
            return;
        }
        if (coolingKids.size() >= MAX_COOLING_KIDS) {
            coolingKids.values().removeIf(t -> t <= now);
            if (coolingKids.size() >= MAX_COOLING_KIDS) {
                return; // still full of live entries: the rate limit alone protects the provider
            }
        }
        coolingKids.put(kid, now + cooldownMillis);
    }

    /** Caller holds the lock. */
    private CompletableFuture<KeySnapshot> startFetchLocked() {
        CompletableFuture<KeySnapshot> f = new CompletableFuture<>();
        inflight = f;
        try {
            executor.execute(() -> runFetch(f));
        } catch (RejectedExecutionException e) {
            inflight = null;
            f.completeExceptionally(new IllegalStateException("the identity provider was closed", e));
        }
        return f;
    }

    private void runFetch(CompletableFuture<KeySnapshot> f) {
        fetches.increment();
        KeySnapshot result = null;
        Throwable failure = null;
        try {
            result = fetch.call();
        } catch (Throwable t) {
            failure = t;
            failedFetches.increment();
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        lastFetchAt = clock.instant();
        synchronized (lock) {
            // Publish the new snapshot before the in-flight slot frees up, so that whoever finds the
            // slot empty also finds the new snapshot and needs no fetch of its own.
            if (result != null) {
                snapshot = result;
                // Kids that asked for this refresh and are still unknown cool down before the slot
                // frees up, so late arrivals with the same kid are refused without a fetch of their own.
                long now = clock.millis();
                for (String kid : pendingKids) {
                    if (!result.has(kid)) {
                        cool(kid, now);
                    }
                }
            }
            pendingKids.clear();
            inflight = null;
        }
        try {
            onFetched.accept(result, failure);
        } finally {
            if (failure == null) {
                f.complete(result);
            } else {
                f.completeExceptionally(failure);
            }
        }
    }
}
