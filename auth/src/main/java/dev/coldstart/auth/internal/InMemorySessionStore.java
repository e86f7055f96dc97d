package dev.coldstart.auth.internal;

import dev.coldstart.auth.CasResult;
import dev.coldstart.auth.Session;
import dev.coldstart.auth.SessionLease;
import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions and leases in two concurrent maps; every operation on one id is atomic through
 * {@link ConcurrentHashMap#compute}. Expiry is checked lazily against the clock.
 */
public final class InMemorySessionStore extends AbstractSessionStore {
    private record Entry(long version, Map<String, String> attributes, long expiresAtMillis, boolean invalidated) {
    }

    private record LeaseEntry(String token, long expiresAtMillis) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LeaseEntry> locks = new ConcurrentHashMap<>();
    private final Component component;

    /**
     * Creates the store.
     *
     * @param clock decides expiry
     * @param maxUpdateAttempts attempt limit of update
     */
    public InMemorySessionStore(Clock clock, int maxUpdateAttempts) {
        super("session-store", maxUpdateAttempts);
        this.clock = clock;
        this.component = Component.builder("session-store").build();
    }

    private boolean live(Entry e, long now) {
        return e != null && !e.invalidated() && e.expiresAtMillis() > now;
    }

    private Session session(String id, Entry e) {
        return new Session(id, e.version(), e.attributes(), Instant.ofEpochMilli(e.expiresAtMillis()));
    }

    @Override
    public Session create(Map<String, String> attributes, Duration ttl) {
        Map<String, String> attrs = checkedAttributes(attributes);
        checkedTtl(ttl, "ttl");
        while (true) {
            String id = randomToken();
            long now = clock.millis();
            Entry e = new Entry(1, attrs, now + ttl.toMillis(), false);
            boolean[] created = {false};
            sessions.compute(id, (k, old) -> {
                if (old != null && old.expiresAtMillis() > now) {
                    return old;
                }
                created[0] = true;
                return e;
            });
            if (created[0]) {
                return session(id, e);
            }
        }
    }

    @Override
    public Optional<Session> get(String id) {
        Checks.requireArgument(id, "id");
        Entry e = sessions.get(id);
        long now = clock.millis();
        if (!live(e, now)) {
            if (e != null && e.expiresAtMillis() <= now) {
                sessions.remove(id, e);
            }
            return Optional.empty();
        }
        return Optional.of(session(id, e));
    }

    @Override
    public CasResult compareAndSet(String id, long expectedVersion, Map<String, String> attributes, Duration ttl) {
        Checks.requireArgument(id, "id");
        Map<String, String> attrs = checkedAttributes(attributes);
        checkedTtl(ttl, "ttl");
        CasResult[] result = new CasResult[1];
        sessions.computeIfPresent(id, (k, e) -> {
            long now = clock.millis();
            if (!live(e, now)) {
                return e;
            }
            if (e.version() != expectedVersion) {
                result[0] = new CasResult(CasResult.Outcome.CONFLICT, null);
                return e;
            }
            Entry next = new Entry(e.version() + 1, attrs, now + ttl.toMillis(), false);
            result[0] = new CasResult(CasResult.Outcome.UPDATED, session(id, next));
            return next;
        });
        return result[0] == null ? new CasResult(CasResult.Outcome.NOT_FOUND, null) : result[0];
    }

    @Override
    public boolean invalidate(String id) {
        Checks.requireArgument(id, "id");
        boolean[] done = {false};
        sessions.computeIfPresent(id, (k, e) -> {
            if (!live(e, clock.millis())) {
                return e;
            }
            done[0] = true;
            return new Entry(e.version() + 1, Map.of(), e.expiresAtMillis(), true);
        });
        return done[0];
    }

    @Override
    public Optional<SessionLease> tryLock(String id, Duration leaseTtl) {
        Checks.requireArgument(id, "id");
        checkedTtl(leaseTtl, "leaseTtl");
        String token = randomToken();
        long now = clock.millis();
        LeaseEntry mine = new LeaseEntry(token, now + leaseTtl.toMillis());
        LeaseEntry held = locks.compute(id, (k, old) -> old == null || old.expiresAtMillis() <= now ? mine : old);
        return held == mine ? Optional.of(new Lease(id, mine)) : Optional.empty();
    }

    @Override
    public Component component() {
        return component;
    }

    @Override
    public void close() {
        sessions.clear();
        locks.clear();
    }

    @Override
    public String toString() {
        return "SessionStore.inMemory()";
    }

    private final class Lease implements SessionLease {
        private final String id;
        private volatile LeaseEntry entry;

        Lease(String id, LeaseEntry entry) {
            this.id = id;
            this.entry = entry;
        }

        @Override
        public String sessionId() {
            return id;
        }

        @Override
        public String ownerToken() {
            return entry.token();
        }

        @Override
        public Instant expiresAt() {
            return Instant.ofEpochMilli(entry.expiresAtMillis());
        }

        @Override
        public boolean renew(Duration leaseTtl) {
            checkedTtl(leaseTtl, "leaseTtl");
            LeaseEntry mine = entry;
            long now = clock.millis();
            LeaseEntry renewed = new LeaseEntry(mine.token(), now + leaseTtl.toMillis());
            LeaseEntry result = locks.computeIfPresent(id, (k, cur) ->
                    cur.token().equals(mine.token()) && cur.expiresAtMillis() > now ? renewed : cur);
            if (result == renewed) {
                entry = renewed;
                return true;
            }
            return false;
        }

        @Override
        public boolean release() {
            LeaseEntry mine = entry;
            long now = clock.millis();
            boolean[] released = {false};
            locks.computeIfPresent(id, (k, cur) -> {
                if (cur.token().equals(mine.token())) {
                    released[0] = cur.expiresAtMillis() > now;
                    return null;
                }
                return cur;
            });
            return released[0];
        }
    }
}
