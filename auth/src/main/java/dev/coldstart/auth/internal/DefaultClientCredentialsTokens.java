package dev.coldstart.auth.internal;

import dev.coldstart.auth.AccessToken;
import dev.coldstart.auth.ClientCredentialsConfig;
import dev.coldstart.auth.ClientCredentialsTokens;
import dev.coldstart.auth.IdentityProviderException;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ColdstartException;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Client-credentials tokens; see {@link ClientCredentialsTokens}. */
public final class DefaultClientCredentialsTokens implements ClientCredentialsTokens {
    private static final Logger log = LoggerFactory.getLogger(DefaultClientCredentialsTokens.class);
    private static final long DEFAULT_EXPIRES_IN_SECONDS = 60;

    private final ClientCredentialsConfig config;
    private final String name;
    private final ProviderHttp http;
    private final ExecutorService executor;
    private final AtomicReference<AccessToken> current = new AtomicReference<>();
    private final Object lock = new Object();
    private CompletableFuture<AccessToken> inflight;
    private final AtomicLong requests = new AtomicLong();
    private final String form;
    private final String basic;
    private final Component component;

    /**
     * Creates the token source.
     *
     * @param config the configuration
     */
    public DefaultClientCredentialsTokens(ClientCredentialsConfig config) {
        this.config = config;
        this.name = config.name();
        this.http = new ProviderHttp(name, config.connectTimeout(), config.requestTimeout());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "coldstart-auth-" + name);
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "client_credentials");
        if (config.scope() != null) {
            params.put("scope", config.scope());
        }
        if (config.audience() != null) {
            params.put("audience", config.audience());
        }
        StringJoiner j = new StringJoiner("&");
        params.forEach((k, v) -> j.add(enc(k) + "=" + enc(v)));
        this.form = j.toString();
        // RFC 6749, 2.3.1: client id and secret are form-urlencoded before Basic encoding.
        this.basic = "Basic " + Base64.getEncoder().encodeToString((enc(config.clientId()) + ":"
                + enc(config.clientSecret())).getBytes(StandardCharsets.UTF_8));
        this.component = new TokenComponent();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Instant refreshAt(AccessToken t) {
        Duration ahead = config.refreshAhead();
        Duration half = t.lifetime().dividedBy(2);
        return t.expiresAt().minus(ahead.compareTo(half) < 0 ? ahead : half);
    }

    /** Tokens are not handed out in their last moments, so they do not expire in flight. */
    private static Instant usableUntil(AccessToken t) {
        Duration margin = t.lifetime().dividedBy(10);
        return t.expiresAt().minus(margin.compareTo(Duration.ofSeconds(5)) < 0 ? margin : Duration.ofSeconds(5));
    }

    @Override
    public AccessToken token() {
        AccessToken t = current.get();
        Instant now = config.clock().instant();
        if (t != null && now.isBefore(refreshAt(t))) {
            return t;
        }
        if (t != null && now.isBefore(usableUntil(t))) {
            refreshAsync(config.fetchTimeout()); // refresh ahead: the caller keeps the current token
            return t;
        }
        return await(refreshAsync(config.fetchTimeout()), config.fetchTimeout());
    }

    @Override
    public void invalidate(AccessToken refused) {
        Checks.requireArgument(refused, "refused");
        if (current.compareAndSet(refused, null)) {
            log.info("{} - token refused by a callee (401), fetching a fresh one", name);
        }
    }

    @Override
    public <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        AccessToken t = token();
        HttpResponse<T> r = client.send(withToken(request, t), handler);
        if (r.statusCode() != 401) {
            return r;
        }
        invalidate(t);
        return client.send(withToken(request, token()), handler);
    }

    private static HttpRequest withToken(HttpRequest request, AccessToken t) {
        return HttpRequest.newBuilder(request, (n, v) -> !"authorization".equalsIgnoreCase(n))
                .header("Authorization", "Bearer " + t.value()).build();
    }

    @Override
    public <T> T call(AuthorizedCall<T> call, Predicate<? super T> unauthorized) throws Exception {
        AccessToken t = token();
        T result = call.call(t.value());
        if (!unauthorized.test(result)) {
            return result;
        }
        invalidate(t);
        return call.call(token().value());
    }

    @Override
    public Component component() {
        return component;
    }

    @Override
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private CompletableFuture<AccessToken> refreshAsync(Duration budget) {
        synchronized (lock) {
            if (inflight != null) {
                return inflight;
            }
            // A caller that read the old token just before a refresh finished must not start another one.
            AccessToken fresh = current.get();
            if (fresh != null && config.clock().instant().isBefore(refreshAt(fresh))) {
                return CompletableFuture.completedFuture(fresh);
            }
            CompletableFuture<AccessToken> f = new CompletableFuture<>();
            inflight = f;
            long deadline = System.nanoTime() + budget.toNanos();
            try {
                executor.execute(() -> fetchWithRetry(f, deadline));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inflight = null;
                f.completeExceptionally(new IllegalStateException(name + " - closed", e));
            }
            return f;
        }
    }

    private void fetchWithRetry(CompletableFuture<AccessToken> f, long deadlineNanos) {
        AccessToken result = null;
        RuntimeException failure = null;
        for (int attempt = 1; ; attempt++) {
            try {
                result = fetchOnce();
                failure = null;
                break;
            } catch (IdentityProviderException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new ColdstartException(name + " - interrupted while fetching a token", e);
                break;
            }
            long ceilingMillis = Math.min(config.maxBackoff().toMillis(),
                    config.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
            long pauseNanos = TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(ceilingMillis + 1));
            if (System.nanoTime() + pauseNanos >= deadlineNanos) {
                break;
            }
            log.debug("{} - token request {} failed: {}; retrying in {} ms", name, attempt, failure.getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(pauseNanos));
            LockSupport.parkNanos(pauseNanos);
        }
        AccessToken previous = current.get();
        if (result != null) {
            current.set(result);
            if (previous == null) {
                log.info("{} - token obtained, valid for {} s", name, result.lifetime().toSeconds());
            } else {
                log.debug("{} - token refreshed, valid for {} s", name, result.lifetime().toSeconds());
            }
        } else if (previous != null && config.clock().instant().isBefore(previous.expiresAt())) {
            log.warn("{} - token refresh failed, keeping the current token until {}: {}", name, previous.expiresAt(),
                    failure.getMessage());
        }
        synchronized (lock) {
            inflight = null;
        }
        if (result != null) {
            f.complete(result);
        } else {
            f.completeExceptionally(failure);
        }
    }

    private AccessToken fetchOnce() throws InterruptedException {
        requests.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(config.tokenEndpoint()).timeout(config.requestTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        Instant now = config.clock().instant();
        ProviderHttp.Response r = http.send(request, "token endpoint");
        if (r.status() != 200) {
            String error = null;
            try {
                Object e = http.parseObject(config.tokenEndpoint(), "token response", r.body(), false).get("error");
                error = e instanceof String s && s.matches("[A-Za-z0-9_.-]{1,64}") ? s : null;
            } catch (RuntimeException ignored) {
                // not JSON: the status says enough
            }
            throw http.statusError(config.tokenEndpoint(), "token endpoint", r.status(),
                    error == null ? null : "OAuth error '" + error + "' (check client id, secret and scope).");
        }
        Map<String, Object> body = http.parseObject(config.tokenEndpoint(), "token response", r.body(), false);
        Object token = body.get("access_token");
        if (!(token instanceof String value) || value.isBlank()) {
            throw http.invalid(config.tokenEndpoint(), "token response", "has no access_token", null);
        }
        long expiresIn = body.get("expires_in") instanceof Number n && n.longValue() > 0 ? n.longValue()
                : DEFAULT_EXPIRES_IN_SECONDS;
        return new AccessToken(value, now, now.plusSeconds(expiresIn));
    }

    private AccessToken await(CompletableFuture<AccessToken> f, Duration limit) {
        try {
            return f.get(limit.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ColdstartException(name + " - interrupted while waiting for a token", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ColdstartException(name + " - token request failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ColdstartException(name + " - no token within " + limit + "; the token endpoint "
                    + config.tokenEndpoint() + " does not answer in time", e);
        }
    }

    /** First token before READY; one request per orchestrator attempt, the orchestrator retries. */
    private final class TokenComponent implements Component {
        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean required() {
            return config.required();
        }

        @Override
        public void start() {
            AccessToken t = current.get();
            if (t == null || !config.clock().instant().isBefore(usableUntil(t))) {
                await(refreshAsync(Duration.ZERO), config.requestTimeout().plus(config.connectTimeout()));
            }
        }

        @Override
        public Health probe() {
            AccessToken t = current.get();
            if (t != null && config.clock().instant().isBefore(usableUntil(t))) {
                return Health.up();
            }
            token();
            return Health.up();
        }

        @Override
        public String toString() {
            return "ClientCredentialsTokens[" + name + "]";
        }
    }
}
