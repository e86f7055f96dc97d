package dev.coldstart.auth.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.coldstart.auth.IdentityProvider;
import dev.coldstart.auth.IdentityProviderConfig;
import dev.coldstart.auth.IdentityProviderException;
import dev.coldstart.auth.IssuerMismatchException;
import dev.coldstart.auth.JwtRejectedException;
import dev.coldstart.auth.JwtRejectedException.Reason;
import dev.coldstart.auth.KeySetStats;
import dev.coldstart.auth.ProviderHealth;
import dev.coldstart.auth.StoredKeySet;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.core.VerifiedToken;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The identity provider; see {@link IdentityProvider}. */
public final class DefaultIdentityProvider implements IdentityProvider {
    private static final Logger log = LoggerFactory.getLogger(DefaultIdentityProvider.class);

    private final IdentityProviderConfig config;
    private final String name;
    private final Clock clock;
    private final ProviderHttp http;
    private final ScheduledThreadPoolExecutor executor;
    private final KeyCache cache;
    private final Set<JWSAlgorithm> allowed;
    private final Component keysComponent;
    private final Component refreshComponent;
    private final JWKSource<SecurityContext> jwkSource;
    private final Duration blockingWait;

    private volatile URI jwksUri;
    private volatile URI tokenEndpoint;
    private volatile boolean discovered;
    private volatile boolean lastFetchOk;
    private volatile String lastError;
    private ScheduledFuture<?> schedule;

    /**
     * Creates the provider.
     *
     * @param config the configuration
     */
    public DefaultIdentityProvider(IdentityProviderConfig config) {
        this.config = config;
        this.name = config.name();
        this.clock = config.clock();
        this.http = new ProviderHttp(name, config.connectTimeout(), config.requestTimeout());
        this.jwksUri = config.jwksUri();
        this.discovered = config.discoveryUri() == null;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "coldstart-auth-" + name);
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        // A refresh is at most a discovery plus a JWKS request, each bounded by connect + request timeout.
        this.blockingWait = config.connectTimeout().plus(config.requestTimeout()).multipliedBy(2).plusSeconds(1);
        this.cache = new KeyCache(clock, executor, this::fetch, this::fetched, config.unknownKeyRefreshInterval(),
                config.unknownKeyCooldown(), blockingWait);
        Set<JWSAlgorithm> algs = new HashSet<>();
        config.allowedAlgorithms().forEach(a -> algs.add(JWSAlgorithm.parse(a)));
        this.allowed = Set.copyOf(algs);
        this.keysComponent = new KeysComponent();
        this.refreshComponent = new RefreshComponent();
        this.jwkSource = this::select;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public IdentityProviderConfig config() {
        return config;
    }

    @Override
    public Component component() {
        return keysComponent;
    }

    @Override
    public Component refreshComponent() {
        return refreshComponent;
    }

    @Override
    public Optional<URI> tokenEndpoint() {
        return Optional.ofNullable(tokenEndpoint);
    }

    @Override
    public JWKSource<SecurityContext> jwkSource() {
        return jwkSource;
    }

    @Override
    public KeySetStats stats() {
        return cache.stats();
    }

    @Override
    public ProviderHealth health() {
        KeySnapshot s = cache.current();
        if (s == null) {
            return new ProviderHealth(ProviderHealth.Status.DOWN, ProviderHealth.KeySource.NONE, null, List.of(),
                    lastError == null ? "no key set fetched yet" : lastError);
        }
        ProviderHealth.Status status;
        if (tooOld(s)) {
            status = ProviderHealth.Status.DOWN;
        } else if (s.source() == ProviderHealth.KeySource.LAST_KNOWN_GOOD || !lastFetchOk) {
            status = ProviderHealth.Status.DEGRADED;
        } else {
            status = ProviderHealth.Status.UP;
        }
        return new ProviderHealth(status, s.source(), s.fetchedAt(), s.keyIds(), lastError);
    }

    @Override
    public void refresh() throws InterruptedException {
        await(cache.refresh());
    }

    @Override
    public void close() {
        cancelSchedule();
        executor.shutdownNow();
        try {
            config.keySetStore().close();
        } catch (Exception e) {
            log.warn("{} - closing the key-set store failed: {}", name, e.toString());
        }
    }

    // ---------------------------------------------------------------- fetching

    private KeySnapshot fetch() throws InterruptedException {
        if (!discovered) {
            discover();
        }
        URI uri = jwksUri;
        String body = http.getJson(uri, "JWKS");
        JWKSet set;
        try {
            set = JWKSet.parse(body);
        } catch (ParseException e) {
            throw http.invalid(uri, "JWKS", "is not a JWK set (" + e.getMessage() + ")", e);
        }
        KeySnapshot s = KeySnapshot.of(set.toPublicJWKSet(), clock.instant(), ProviderHealth.KeySource.PROVIDER, uri);
        if (s.usableKeys() == 0) {
            throw http.invalid(uri, "JWKS", "holds no RSA or EC signature key (" + set.size() + " key(s) in total)", null);
        }
        KeySnapshot previous = cache.current();
        if (previous == null || !previous.keyIds().equals(s.keyIds())) {
            log.info("{} - key set from {}: {} key(s) {}{}", name, uri, s.usableKeys(), s.keyIds(),
                    previous == null ? "" : ", was " + previous.keyIds());
        }
        persist(s);
        return s;
    }

    private void discover() throws InterruptedException {
        URI uri = config.discoveryUri();
        String body = http.getJson(uri, "discovery document");
        Map<String, Object> doc = http.parseObject(uri, "discovery document", body, true);
        Object issuer = doc.get("issuer");
        if (!config.issuer().equals(issuer)) {
            throw new IssuerMismatchException(name, uri, config.issuer(), issuer == null ? null : issuer.toString());
        }
        if (config.jwksUri() == null) {
            jwksUri = uriMember(uri, doc, "jwks_uri", true);
        }
        tokenEndpoint = uriMember(uri, doc, "token_endpoint", false);
        discovered = true;
        log.info("{} - discovery: issuer {}, jwks_uri {}, token_endpoint {}", name, issuer, jwksUri, tokenEndpoint);
    }

    private URI uriMember(URI uri, Map<String, Object> doc, String member, boolean required) {
        Object v = doc.get(member);
        if (v == null && !required) {
            return null;
        }
        try {
            URI u = v instanceof String s ? URI.create(s) : null;
            if (u != null && u.isAbsolute()) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw http.invalid(uri, "discovery document", "has no valid absolute URL in '" + member + "' (was " + v + ")", null);
    }

    private void persist(KeySnapshot s) {
        try {
            config.keySetStore().save(name, new StoredKeySet(s.set().toString(), s.fetchedAt(), s.jwksUri()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("{} - could not save the key set as last-known-good in {}: {}; a restart while the provider is "
                    + "down will not find it", name, config.keySetStore(), e.toString());
        }
    }

    private void fetched(KeySnapshot result, Throwable failure) {
        if (failure == null) {
            if (!lastFetchOk && cache.current() != null && lastError != null) {
                log.info("{} - provider answers again, key set refreshed", name);
            }
            lastFetchOk = true;
            lastError = null;
            return;
        }
        String error = describe(failure);
        boolean wasOk = lastFetchOk;
        lastFetchOk = false;
        lastError = error;
        KeySnapshot s = cache.current();
        if (wasOk && s != null) {
            log.warn("{} - key set refresh failed, degraded: keeping the {} key(s) fetched at {}: {}", name,
                    s.usableKeys(), s.fetchedAt(), error);
        } else {
            log.debug("{} - key set fetch failed: {}", name, error);
        }
    }

    private boolean tooOld(KeySnapshot s) {
        return Duration.between(s.fetchedAt(), clock.instant()).compareTo(config.maxKeySetAge()) > 0;
    }

    private void await(CompletableFuture<KeySnapshot> f) throws InterruptedException {
        try {
            f.get(blockingWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof InterruptedException) {
                throw new IllegalStateException(name + " - the key set fetch was interrupted (provider closed?)", c);
            }
            throw new IllegalStateException(name + " - key set fetch failed: " + c, c);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " - key set fetch did not end within " + blockingWait, e);
        }
    }

    private boolean adoptLastKnownGood(IdentityProviderException cause) {
        Optional<StoredKeySet> stored;
        try {
            stored = config.keySetStore().load(name);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("{} - could not read the last-known-good key set from {}: {}", name, config.keySetStore(), e.toString());
            return false;
        }
        if (stored.isEmpty()) {
            return false;
        }
        StoredKeySet k = stored.get();
        Duration age = Duration.between(k.fetchedAt(), clock.instant());
        if (age.compareTo(config.maxKeySetAge()) > 0) {
            log.warn("{} - the last-known-good key set from {} is {} old, older than maxKeySetAge {}; not used",
                    name, k.fetchedAt(), age, config.maxKeySetAge());
            return false;
        }
        KeySnapshot s;
        try {
            s = KeySnapshot.of(JWKSet.parse(k.jwksJson()).toPublicJWKSet(), k.fetchedAt(),
                    ProviderHealth.KeySource.LAST_KNOWN_GOOD, k.jwksUri());
        } catch (ParseException e) {
            log.warn("{} - the last-known-good key set in {} cannot be parsed: {}; not used", name,
                    config.keySetStore(), e.getMessage());
            return false;
        }
        if (s.usableKeys() == 0) {
            return false;
        }
        cache.install(s);
        log.warn("{} - provider not reachable ({}); degraded: verifying with the last-known-good key set {} fetched at "
                + "{} ({} old, at most {})", name, cause.getClass().getSimpleName(), s.keyIds(), k.fetchedAt(), age,
                config.maxKeySetAge());
        return true;
    }

    private synchronized void scheduleRefreshes() {
        if (schedule == null && !executor.isShutdown()) {
            long every = config.refreshInterval().toNanos();
            schedule = executor.scheduleWithFixedDelay(cache::refresh, every, every, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void cancelSchedule() {
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
    }

    // ---------------------------------------------------------------- verification

    @Override
    public VerifiedToken verify(String token) {
        if (token == null || token.isBlank()) {
            throw reject(Reason.MALFORMED, "no token given");
        }
        if (token.length() > config.maxTokenLength()) {
            throw reject(Reason.MALFORMED, "token has " + token.length() + " characters, more than maxTokenLength "
                    + config.maxTokenLength());
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw reject(Reason.MALFORMED, "not a compact JWT (" + e.getMessage() + ")");
        }
        if (jwt instanceof PlainJWT) {
            throw reject(Reason.UNSIGNED, "token is unsigned (alg: none); only signed tokens are accepted");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw reject(Reason.MALFORMED, "token is encrypted (JWE); only signed tokens (JWS) are accepted");
        }
        JWSHeader header = signed.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (!allowed.contains(alg)) {
            throw reject(Reason.ALGORITHM_NOT_ALLOWED, "token is signed with " + alg + ", which is not among the "
                    + "allowed algorithms " + config.allowedAlgorithms());
        }
        JWSVerifier verifier = verifierFor(header.getKeyID());
        if (!verifier.supportedJWSAlgorithms().contains(alg)) {
            throw reject(Reason.ALGORITHM_NOT_ALLOWED, "token is signed with " + alg + " but key '"
                    + header.getKeyID() + "' is for " + verifier.supportedJWSAlgorithms());
        }
        boolean valid;
        try {
            valid = signed.verify(verifier);
        } catch (JOSEException e) {
            valid = false;
        }
        if (!valid) {
            throw reject(Reason.BAD_SIGNATURE, "signature does not verify with key '" + header.getKeyID() + "'");
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw reject(Reason.MALFORMED, "claims are not a JSON object");
        }
        checkClaims(claims);
        Date exp = claims.getExpirationTime();
        return new VerifiedToken(claims.getSubject(), exp == null ? null : exp.toInstant(), claims.toJSONObject());
    }

    private JWSVerifier verifierFor(String kid) {
        KeySnapshot s = cache.current();
        if (s == null) {
            throw reject(Reason.KEYS_UNAVAILABLE, "no key set is available yet (provider not reached, nothing "
                    + "stored); retry once the service is READY");
        }
        if (kid == null) {
            JWSVerifier v = s.soleUnnamed();
            if (v == null) {
                throw reject(Reason.UNKNOWN_KEY, "token has no kid and the key set has " + s.usableKeys()
                        + " usable key(s); a kid is needed to choose");
            }
            return v;
        }
        JWSVerifier v = s.verifier(kid);
        if (v == null) {
            KeySnapshot next = cache.refreshForUnknownKid(kid, s);
            v = next == null ? null : next.verifier(kid);
        }
        if (v == null) {
            throw reject(Reason.UNKNOWN_KEY, "key '" + kid + "' is not in the provider's key set (after a refresh, "
                    + "or refused without fetching during the unknown-key cool-down of " + config.unknownKeyCooldown()
                    + "); get a new token");
        }
        return v;
    }

    private void checkClaims(JWTClaimsSet claims) {
        long now = clock.millis();
        long skew = config.clockSkew().toMillis();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            if (config.requireExpiry()) {
                throw reject(Reason.EXPIRED, "token has no exp claim; tokens without expiry are not accepted");
            }
        } else if (now > exp.getTime() + skew) {
            throw reject(Reason.EXPIRED, "token expired at " + exp.toInstant() + " (now " + Instant.ofEpochMilli(now)
                    + ", clock skew " + config.clockSkew() + "); get a new token");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now + skew < nbf.getTime()) {
            throw reject(Reason.NOT_YET_VALID, "token is not valid before " + nbf.toInstant() + " (now "
                    + Instant.ofEpochMilli(now) + ", clock skew " + config.clockSkew() + ")");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.getTime() > now + skew) {
            throw reject(Reason.ISSUED_IN_FUTURE, "token was issued at " + iat.toInstant() + ", in the future (now "
                    + Instant.ofEpochMilli(now) + ", clock skew " + config.clockSkew() + "); check the clocks");
        }
        if (!config.issuer().equals(claims.getIssuer())) {
            throw reject(Reason.WRONG_ISSUER, "token is issued by '" + claims.getIssuer() + "', expected '"
                    + config.issuer() + "'");
        }
        if (!config.audiences().isEmpty()) {
            List<String> aud = claims.getAudience();
            if (aud == null || Collections.disjoint(aud, config.audiences())) {
                throw reject(Reason.WRONG_AUDIENCE, "token is for audience " + aud + ", expected one of "
                        + config.audiences());
            }
        }
    }

    private JwtRejectedException reject(Reason reason, String detail) {
        log.debug("{} - token refused, {}: {}", name, reason, detail);
        return new JwtRejectedException(reason, name + " - token refused (" + reason + "): " + detail);
    }

    private List<JWK> select(JWKSelector selector, SecurityContext context) throws KeySourceException {
        KeySnapshot s = cache.current();
        if (s == null) {
            throw new KeySourceException(name + " - no key set is available yet");
        }
        List<JWK> found = selector.select(s.set());
        Set<String> kids = selector.getMatcher().getKeyIDs();
        if (found.isEmpty() && kids != null && kids.size() == 1) {
            String kid = kids.iterator().next();
            if (kid != null) {
                KeySnapshot next = cache.refreshForUnknownKid(kid, s);
                if (next != null) {
                    found = selector.select(next.set());
                }
            }
        }
        return found;
    }

    static String describe(Throwable t) {
        String msg = t.getMessage();
        return msg == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + msg;
    }

    // ---------------------------------------------------------------- components

    /** Discovery and JWKS warm-up; up while a key set no older than the maximum age is held. */
    private final class KeysComponent implements Component {
        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean required() {
            return config.required();
        }

        @Override
        public void start() throws Exception {
            KeySnapshot s = cache.current();
            if (s == null || s.source() != ProviderHealth.KeySource.PROVIDER) {
                try {
                    refresh();
                } catch (IdentityProviderException e) {
                    if (cache.current() == null && !adoptLastKnownGood(e)) {
                        throw e;
                    }
                }
            }
            scheduleRefreshes();
        }

        @Override
        public Health probe() {
            KeySnapshot s = cache.current();
            if (s == null) {
                return Health.down("no key set" + (lastError == null ? "" : "; last fetch: " + lastError));
            }
            if (tooOld(s)) {
                return Health.down("key set fetched at " + s.fetchedAt() + " is older than maxKeySetAge "
                        + config.maxKeySetAge() + (lastError == null ? "" : "; last fetch: " + lastError));
            }
            return Health.up();
        }

        @Override
        public void stop(Duration drainTimeout) {
            cancelSchedule();
        }

        @Override
        public String toString() {
            return "IdentityProvider[" + name + "]";
        }
    }

    /** Up while the provider answers; its probe retries the fetch while it does not. */
    private final class RefreshComponent implements Component {
        @Override
        public String name() {
            return name + "-refresh";
        }

        @Override
        public Set<String> dependsOn() {
            return Set.of(name);
        }

        @Override
        public boolean required() {
            return false;
        }

        @Override
        public void start() {
        }

        @Override
        public Health probe() throws InterruptedException {
            KeySnapshot s = cache.current();
            if (lastFetchOk && s != null && s.source() == ProviderHealth.KeySource.PROVIDER) {
                return Health.up();
            }
            refresh(); // throws the typed failure, which the report shows
            return Health.up();
        }

        @Override
        public String toString() {
            return "IdentityProvider[" + name + "-refresh]";
        }
    }
}
