package dev.coldstart.coordination;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ColdstartException;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves asset URLs against an ordered list of asset origins (a CDN, then a fallback CDN, then
 * the service itself), each health-checked over HTTP on a schedule (scenario CS-23).
 *
 * <ul>
 *   <li>Asset URLs resolve to the first origin in list order that is healthy.</li>
 *   <li>An origin turns unhealthy after {@link Builder#failAfter(int)} consecutive failed checks
 *       (default 1) and healthy again only after {@link Builder#recoverAfter(int)} consecutive good
 *       ones (default 3), so a flapping primary does not flip asset URLs back and forth. At start
 *       every origin is checked once; a good first check counts as healthy.</li>
 *   <li>When every origin is down, URLs resolve to the first origin, {@link #health()} reports
 *       down, and the service still becomes READY, with the origins' component listed as degraded;
 *       the checks go on, and the first healthy origin is used again as soon as it recovers.</li>
 * </ul>
 *
 * <p>Add {@link #components()} to the orchestrator: a required component that makes the first
 * check round before READY (so the first request already gets a checked origin) and an optional
 * one that reports the origins' health. A check is an HTTP {@code HEAD} (or {@code GET}) of
 * {@link Builder#checkPath(String)} on the origin with {@link Builder#checkTimeout(Duration)}; a
 * {@code 2xx} or {@code 3xx} answer is good, anything else (an error status, a refused or reset
 * connection, a timeout) is a failure. Checks of all origins run in parallel every
 * {@link Builder#checkInterval(Duration)} on an owned daemon thread, started by {@link #start()}
 * and stopped by {@link #stop()} (the components do both).
 *
 * <p>{@link #resolve(String)} reads a volatile snapshot: no lock, safe on a request path.
 * Thread-safe.
 *
 * <pre>{@code
 * AssetOrigins assets = AssetOrigins.builder()
 *         .origin(URI.create("https://cdn.example.com"))
 *         .origin(URI.create("https://cdn-backup.example.com"))
 *         .checkPath("/build-manifest.json")
 *         .build();
 * orchestratorBuilder.components(assets.components());
 * String src = assets.resolve("assets/app.js").toString();
 * }</pre>
 */
public final class AssetOrigins {
    private static final Logger log = LoggerFactory.getLogger(AssetOrigins.class);

    /** Default name of the health component: {@code "asset-origins"}; the first check is {@code "asset-origins-first-check"}. */
    public static final String DEFAULT_NAME = "asset-origins";
    /** Default path checked on each origin: {@code /}. */
    public static final String DEFAULT_CHECK_PATH = "/";
    /** Default interval between check rounds: 5 s. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);
    /** Default timeout of one check: 2 s. */
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(2);
    /** Default consecutive good checks before an unhealthy origin is used again: 3. */
    public static final int DEFAULT_RECOVER_AFTER = 3;
    /** Default consecutive failed checks before a healthy origin is left: 1. */
    public static final int DEFAULT_FAIL_AFTER = 1;

    /**
     * One origin's health as last checked. Immutable.
     *
     * @param origin the origin
     * @param healthy whether it is used when its turn comes
     * @param consecutiveGood good checks in a row, up to now
     * @param consecutiveFailed failed checks in a row, up to now
     * @param checks checks made so far
     * @param lastResult the last check's result, such as {@code "HTTP 200"} or
     *     {@code "ConnectException: Connection refused"}; null before the first check
     */
    public record OriginStatus(URI origin, boolean healthy, int consecutiveGood, int consecutiveFailed, long checks,
            String lastResult) {
    }

    /** The origin in use: a volatile snapshot. */
    private record Selection(int index, URI origin, boolean degraded) {
    }

    private final String name;
    private final boolean required;
    private final List<URI> origins;
    private final String checkPath;
    private final String checkMethod;
    private final Duration checkInterval;
    private final Duration checkTimeout;
    private final int recoverAfter;
    private final int failAfter;
    private final OriginState[] states;
    private final AtomicLong switches = new AtomicLong();
    private volatile Selection selection;
    private ScheduledExecutorService scheduler;
    private ExecutorService httpExecutor;
    private HttpClient client;
    private ScheduledFuture<?> rounds;
    private volatile boolean firstRoundDone;
    private final List<Component> components;

    private AssetOrigins(Builder b) {
        this.name = b.name;
        this.required = b.required;
        this.origins = List.copyOf(b.origins);
        this.checkPath = b.checkPath;
        this.checkMethod = b.checkMethod;
        this.checkInterval = b.checkInterval;
        this.checkTimeout = b.checkTimeout;
        this.recoverAfter = b.recoverAfter;
        this.failAfter = b.failAfter;
        this.states = new OriginState[origins.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new OriginState(origins.get(i));
        }
        this.selection = new Selection(0, origins.get(0), true);
        Component firstCheck = Component.builder(name + "-first-check")
                .onStart(this::start)
                .probe(() -> firstRoundDone ? Health.up() : Health.down("the first check of every asset origin has not run"))
                .onStop(this::stop)
                .build();
        Component health = Component.builder(name)
                .required(required)
                .dependsOn(firstCheck.name())
                .probe(this::health)
                .onStop(this::stop)
                .build();
        this.components = List.of(firstCheck, health);
    }

    /**
     * Starts a builder; at least one {@link Builder#origin(URI)} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The components to add to the orchestrator, in order:
     * <ol>
     *   <li>{@code <name>-first-check}, required: checks every origin once (bounded by the check
     *       timeout), chooses the origin to use and starts the periodic checks. It never fails for
     *       origins that are down, but READY waits for it, so asset URLs are health-checked from the
     *       first request on.</li>
     *   <li>{@code <name>}, optional unless {@link Builder#required(boolean)}: healthy while some
     *       origin is healthy. With every origin down the service is READY in degraded mode with
     *       this component listed as degraded, and it turns healthy when an origin recovers.</li>
     * </ol>
     *
     * @return an immutable list of two components
     */
    public List<Component> components() {
        return components;
    }

    /**
     * Checks every origin once, chooses the origin to use, and starts the periodic checks; what the
     * first component does. Does not fail when every origin is down; {@link #health()} reports that.
     * Calling it again does nothing.
     */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        httpExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "coldstart-" + name + "-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        client = HttpClient.newBuilder().connectTimeout(checkTimeout).executor(httpExecutor)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coldstart-" + name + "-checks");
            t.setDaemon(true);
            return t;
        });
        checkRound(true);
        if (Thread.currentThread().isInterrupted()) {
            stop();
            scheduler = null;
            throw new ColdstartException(name + " - interrupted during the first check of the asset origins");
        }
        Selection s = selection;
        if (s.degraded()) {
            log.warn("{} - every asset origin is down {}; asset URLs point at {} until one recovers", name, describeAll(), s.origin());
        } else {
            log.info("{} - serving assets from {}{}", name, s.origin(), s.index() == 0 ? "" : " (fallback; "
                    + describeAll() + ")");
        }
        firstRoundDone = true;
        long intervalNanos = checkInterval.toNanos();
        rounds = scheduler.scheduleWithFixedDelay(this::checkRoundSafely, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Up while some origin is healthy; the probe of the second component.
     *
     * @return up, or down listing every origin and its last result
     */
    public Health health() {
        Selection s = selection;
        if (!s.degraded()) {
            return Health.up();
        }
        return Health.down("every asset origin is down: " + describeAll());
    }

    /**
     * Stops the periodic checks. Idempotent.
     */
    public synchronized void stop() {
        if (rounds != null) {
            rounds.cancel(true);
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (httpExecutor != null) {
            httpExecutor.shutdownNow();
        }
    }

    /**
     * The name of the component that reports the origins' health.
     *
     * @return the configured name
     */
    public String name() {
        return name;
    }

    /**
     * The URL of an asset on the origin in use. Lock-free.
     *
     * @param assetPath the asset's path relative to the origin, with or without a leading slash,
     *     such as {@code assets/app.js}
     * @return the absolute URL
     */
    public URI resolve(String assetPath) {
        Checks.notNull(assetPath, "assetPath");
        String base = selection.origin().toString();
        String path = assetPath.startsWith("/") ? assetPath.substring(1) : assetPath;
        return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
    }

    /**
     * The origin asset URLs resolve to now. Lock-free.
     *
     * @return one of the configured origins
     */
    public URI current() {
        return selection.origin();
    }

    /**
     * Whether every origin is down.
     *
     * @return true when degraded (before {@link #start()} as well)
     */
    public boolean isDegraded() {
        return selection.degraded();
    }

    /**
     * Every origin's health, in list order.
     *
     * @return a new list of snapshots
     */
    public List<OriginStatus> status() {
        List<OriginStatus> out = new ArrayList<>();
        for (OriginState s : states) {
            synchronized (s) {
                out.add(new OriginStatus(s.origin, s.healthy, s.consecutiveGood, s.consecutiveFailed, s.checks, s.lastResult));
            }
        }
        return out;
    }

    /**
     * How many times asset URLs moved to another origin since start.
     *
     * @return zero or more
     */
    public long switches() {
        return switches.get();
    }

    /**
     * The configured origins, primary first.
     *
     * @return an immutable list
     */
    public List<URI> origins() {
        return origins;
    }

    private void checkRoundSafely() {
        try {
            checkRound(false);
        } catch (RuntimeException e) {
            log.warn("{} - a check round failed: {}", name, e.toString(), e);
        }
    }

    private void checkRound(boolean first) {
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (OriginState s : states) {
            results.add(check(s.origin));
        }
        for (int i = 0; i < states.length; i++) {
            String failure;
            String result;
            try {
                // Interruptible, so a start deadline or stop() can end the wait; bounded by the check timeout.
                result = results.get(i).get();
                failure = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                result = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                failure = result;
            }
            if (failure == null && !result.startsWith("HTTP 2") && !result.startsWith("HTTP 3")) {
                failure = result;
            }
            states[i].record(failure == null, result);
        }
        select(first);
    }

    private CompletableFuture<String> check(URI origin) {
        String base = origin.toString();
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + checkPath);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(checkTimeout)
                .method(checkMethod, HttpRequest.BodyPublishers.noBody()).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> "HTTP " + r.statusCode())
                .orTimeout(checkTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    }

    /** Publishes the first healthy origin; logs a change unless this is the first round, which start() reports. */
    private void select(boolean first) {
        int chosen = -1;
        for (int i = 0; i < states.length; i++) {
            if (states[i].isHealthy()) {
                chosen = i;
                break;
            }
        }
        Selection before = selection;
        Selection after = chosen < 0 ? new Selection(0, origins.get(0), true) : new Selection(chosen, origins.get(chosen), false);
        if (after.index() == before.index() && after.degraded() == before.degraded()) {
            return;
        }
        selection = after;
        if (!after.origin().equals(before.origin())) {
            switches.incrementAndGet();
        }
        if (first) {
            return;
        }
        if (after.origin().equals(before.origin())) {
            if (after.degraded()) {
                log.warn("{} - every asset origin is down {}; asset URLs stay on {}", name, describeAll(), after.origin());
            } else {
                log.info("{} - {} is healthy again; assets served from it", name, after.origin());
            }
            return;
        }
        if (after.degraded()) {
            log.warn("{} - every asset origin is down {}; asset URLs point at {}", name, describeAll(), after.origin());
        } else if (before.degraded()) {
            log.info("{} - {} passed {} consecutive check(s); assets served from it", name, after.origin(), recoverAfter);
        } else if (after.index() < before.index()) {
            log.info("{} - {} passed {} consecutive check(s); assets served from it again instead of {}", name,
                    after.origin(), recoverAfter, before.origin());
        } else {
            log.warn("{} - {} is down ({}); assets served from fallback {}", name, before.origin(),
                    states[before.index()].lastResult(), after.origin());
        }
    }

    private String describeAll() {
        List<String> parts = new ArrayList<>();
        for (OriginState s : states) {
            parts.add(s.origin + " (" + (s.lastResult() == null ? "not checked" : s.lastResult()) + ")");
        }
        return parts.toString();
    }

    @Override
    public String toString() {
        return "AssetOrigins{name=" + name + ", origins=" + origins + ", current=" + current() + '}';
    }

    /** The mutable health of one origin; guarded by its own monitor. */
    private final class OriginState {
        final URI origin;
        boolean healthy;
        boolean checkedOnce;
        int consecutiveGood;
        int consecutiveFailed;
        long checks;
        String lastResult;

        OriginState(URI origin) {
            this.origin = origin;
        }

        synchronized void record(boolean good, String result) {
            checks++;
            lastResult = result;
            if (good) {
                consecutiveGood++;
                consecutiveFailed = 0;
                if (!healthy && (!checkedOnce || consecutiveGood >= recoverAfter)) {
                    healthy = true;
                }
            } else {
                consecutiveFailed++;
                consecutiveGood = 0;
                if (healthy && consecutiveFailed >= failAfter) {
                    healthy = false;
                }
            }
            checkedOnce = true;
        }

        synchronized boolean isHealthy() {
            return healthy;
        }

        synchronized String lastResult() {
            return lastResult;
        }
    }

    /** Builder of {@link AssetOrigins}; not thread-safe. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private boolean required;
        private final List<URI> origins = new ArrayList<>();
        private String checkPath = DEFAULT_CHECK_PATH;
        private String checkMethod = "HEAD";
        private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
        private Duration checkTimeout = DEFAULT_CHECK_TIMEOUT;
        private int recoverAfter = DEFAULT_RECOVER_AFTER;
        private int failAfter = DEFAULT_FAIL_AFTER;

        private Builder() {
        }

        /**
         * Sets the component's name.
         *
         * @param name not blank; default {@value AssetOrigins#DEFAULT_NAME}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Sets whether the service may be READY with every origin down: whether the component
         * named {@code <name>} is required.
         *
         * @param required default false (optional: degraded while every origin is down)
         * @return this builder
         */
        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /**
         * Adds an origin; the first added is the primary, later ones are fallbacks in order.
         *
         * @param origin an absolute {@code http} or {@code https} URI such as
         *     {@code https://cdn.example.com} (a path prefix is allowed); no query or fragment
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if it is not such a URI or was added before
         */
        public Builder origin(URI origin) {
            Checks.notNull(origin, "origin");
            String scheme = origin.getScheme() == null ? "" : origin.getScheme().toLowerCase(Locale.ROOT);
            Checks.check((scheme.equals("http") || scheme.equals("https")) && origin.getHost() != null
                    && origin.getRawQuery() == null && origin.getRawFragment() == null,
                    "origin must be an absolute http or https URI without query or fragment, but was " + origin);
            Checks.check(!origins.contains(origin), "origin must be added once, but was " + origin + " twice");
            origins.add(origin);
            return this;
        }

        /**
         * Sets the path requested on each origin to check it, for example a small asset or the
         * build manifest.
         *
         * @param checkPath starts with {@code /}; default {@value AssetOrigins#DEFAULT_CHECK_PATH}
         * @return this builder
         */
        public Builder checkPath(String checkPath) {
            Checks.notBlank(checkPath, "checkPath");
            Checks.check(checkPath.startsWith("/"), "checkPath must start with /, but was " + checkPath);
            this.checkPath = checkPath;
            return this;
        }

        /**
         * Checks with {@code GET} instead of {@code HEAD}, for origins that do not answer
         * {@code HEAD}; the body is discarded.
         *
         * @param useGet true for GET; default false (HEAD)
         * @return this builder
         */
        public Builder checkWithGet(boolean useGet) {
            this.checkMethod = useGet ? "GET" : "HEAD";
            return this;
        }

        /**
         * Sets the interval between check rounds.
         *
         * @param checkInterval at least 10 ms; default 5 s
         * @return this builder
         */
        public Builder checkInterval(Duration checkInterval) {
            Checks.positive(checkInterval, "checkInterval");
            Checks.check(checkInterval.toMillis() >= 10, "checkInterval must be at least 10 ms, but was " + checkInterval);
            this.checkInterval = checkInterval;
            return this;
        }

        /**
         * Sets the timeout of one check (connect and answer).
         *
         * @param checkTimeout positive; default 2 s
         * @return this builder
         */
        public Builder checkTimeout(Duration checkTimeout) {
            this.checkTimeout = Checks.positive(checkTimeout, "checkTimeout");
            return this;
        }

        /**
         * Sets how many consecutive good checks an unhealthy origin needs before it is used again.
         *
         * @param recoverAfter positive; default {@value AssetOrigins#DEFAULT_RECOVER_AFTER}
         * @return this builder
         */
        public Builder recoverAfter(int recoverAfter) {
            this.recoverAfter = Checks.positive(recoverAfter, "recoverAfter");
            return this;
        }

        /**
         * Sets how many consecutive failed checks make a healthy origin unhealthy.
         *
         * @param failAfter positive; default {@value AssetOrigins#DEFAULT_FAIL_AFTER}
         * @return this builder
         */
        public Builder failAfter(int failAfter) {
            this.failAfter = Checks.positive(failAfter, "failAfter");
            return this;
        }

        /**
         * Builds the resolver; nothing is checked until {@link AssetOrigins#start()} (the first
         * component calls it).
         *
         * @return a new component
         * @throws dev.coldstart.core.ConfigurationException if no origin was added
         */
        public AssetOrigins build() {
            Checks.check(!origins.isEmpty(), "origins must not be empty, but was []; add the primary asset origin "
                    + "and at least one fallback");
            return new AssetOrigins(this);
        }
    }
}
