package dev.coldstart.auth.internal;

import dev.coldstart.auth.CasResult;
import dev.coldstart.auth.LockTimeoutException;
import dev.coldstart.auth.Session;
import dev.coldstart.auth.SessionConflictException;
import dev.coldstart.auth.SessionLease;
import dev.coldstart.auth.SessionStore;
import dev.coldstart.core.Checks;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/** What both stores share: the compare-and-set retry loop, the lock wait, ids and argument checks. */
abstract class AbstractSessionStore implements SessionStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final int maxUpdateAttempts;

    AbstractSessionStore(String name, int maxUpdateAttempts) {
        this.name = name;
        this.maxUpdateAttempts = maxUpdateAttempts;
    }

    final String storeName() {
        return name;
    }

    static String randomToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static Map<String, String> checkedAttributes(Map<String, String> attributes) {
        Checks.requireArgument(attributes, "attributes");
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            Checks.notBlank(e.getKey(), "attribute name");
            Checks.requireArgument(e.getValue(), "attribute '" + e.getKey() + "'");
        }
        return Map.copyOf(attributes);
    }

    static Duration checkedTtl(Duration ttl, String field) {
        Checks.positive(ttl, field);
        Checks.check(ttl.toMillis() > 0, field + " must be at least 1 ms, but was " + ttl);
        return ttl;
    }

    @Override
    public final Optional<Session> update(String id, UnaryOperator<Map<String, String>> change, Duration ttl) {
        Checks.requireArgument(change, "change");
        checkedTtl(ttl, "ttl");
        for (int attempt = 1; attempt <= maxUpdateAttempts; attempt++) {
            Optional<Session> current = get(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Session s = current.get();
            Map<String, String> next = change.apply(new HashMap<>(s.attributes()));
            CasResult r = compareAndSet(id, s.version(), next, ttl);
            switch (r.outcome()) {
                case UPDATED:
                    return Optional.of(r.session());
                case NOT_FOUND:
                    return Optional.empty();
                default:
                    backoff(attempt);
            }
        }
        throw new SessionConflictException(name, id, maxUpdateAttempts);
    }

    @Override
    public final SessionLease lock(String id, Duration leaseTtl, Duration waitTimeout) {
        Checks.notNegative(waitTimeout, "waitTimeout");
        long start = System.nanoTime();
        long deadline = start + waitTimeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            Optional<SessionLease> lease = tryLock(id, leaseTtl);
            if (lease.isPresent()) {
                return lease.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new LockTimeoutException(name, id, Duration.ofNanos(System.nanoTime() - start));
            }
            // Poll with capped backoff: Redis has no waiting SET NX, and a lease ends by expiry or release.
            long pause = Math.min(left, TimeUnit.MILLISECONDS.toNanos(Math.min(50, 2L << Math.min(attempt, 5))));
            LockSupport.parkNanos(pause);
            if (Thread.currentThread().isInterrupted()) {
                throw new LockTimeoutException(name, id, Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    /** Jittered pause between lost compare-and-set rounds, so that writers spread out instead of colliding again. */
    private static void backoff(int attempt) {
        long ceilingMicros = Math.min(5_000, 100L << Math.min(attempt, 6));
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(ceilingMicros + 1)));
    }
}
