package dev.coldstart.examples.demo;

import dev.coldstart.coordination.GraphQlService;
import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The demo's front-end and API integration settings (scenarios CS-21 to CS-25): the request gate,
 * the CORS origins of the API and the WebSocket endpoint, asset origins, downstream GraphQL
 * services and the client build manifest. Part of {@link DemoConfig}; parsed from the command line
 * by {@link DemoConfig#parse(String...)}. Immutable; builders are not thread-safe.
 */
public final class DemoFrontEndConfig {
    /** Default capacity of the request gate: 128 requests. */
    public static final int DEFAULT_GATE_QUEUE = 128;
    /** Default deadline of a request held by the gate: 10 s. */
    public static final Duration DEFAULT_GATE_WAIT = Duration.ofSeconds(10);
    /** Default origins allowed by the API and the WebSocket endpoint: a local front-end dev server. */
    public static final List<String> DEFAULT_CORS_ORIGINS = List.of("http://localhost:5173", "http://127.0.0.1:5173");
    /** Default path checked on each asset origin: the build manifest the front-end build writes. */
    public static final String DEFAULT_ASSET_CHECK_PATH = "/build-manifest.json";
    /** Default interval between asset origin checks: 5 s. */
    public static final Duration DEFAULT_ASSET_CHECK_INTERVAL = Duration.ofSeconds(5);
    /** Default good checks before a recovered asset origin is used again: 3. */
    public static final int DEFAULT_ASSET_RECOVER_AFTER = 3;

    static final String USAGE = String.join("\n",
            "  --gate-queue N        requests held while the demo is not READY; more get 503 (default 128)",
            "  --gate-wait SECS      how long a held request waits for READY before its 503 (default 10)",
            "  --cors-origins LIST   comma-separated origins the API and the WebSocket endpoint allow",
            "                        (default http://localhost:5173,http://127.0.0.1:5173)",
            "  --ws-origins LIST     origins of the WebSocket endpoint, if they must differ (the start then",
            "                        fails, listing the mismatch; default: one policy shared with the API)",
            "  --cors-credentials    allow credentials (refused together with *)",
            "  --client-manifest URL|PATH  the client's build manifest, compared with the server's at start",
            "                        (default the client assets packaged with the demo)",
            "  --asset-origins LIST  comma-separated asset origins, primary first, health-checked",
            "  --asset-check-path P  path checked on each asset origin (default /build-manifest.json)",
            "  --graphql NAME=URL    a downstream GraphQL service read by introspection; repeatable",
            "  --graphql-sdl NAME=URL  a downstream GraphQL service whose SDL is served at URL; repeatable",
            "  --graphql-optional NAME  the demo may be READY without that service (degraded)");

    private static final DemoFrontEndConfig DEFAULTS = builder().build();

    private final int gateQueue;
    private final Duration gateWait;
    private final List<String> corsOrigins;
    private final List<String> wsOrigins;
    private final boolean corsCredentials;
    private final String clientManifest;
    private final List<URI> assetOrigins;
    private final String assetCheckPath;
    private final Duration assetCheckInterval;
    private final int assetRecoverAfter;
    private final List<GraphQlService> graphQlServices;
    private final Component backend;
    private final UnaryOperator<String> backendCall;

    private DemoFrontEndConfig(Builder b) {
        this.gateQueue = b.gateQueue;
        this.gateWait = b.gateWait;
        this.corsOrigins = List.copyOf(b.corsOrigins);
        this.wsOrigins = b.wsOrigins == null ? corsOrigins : List.copyOf(b.wsOrigins);
        this.corsCredentials = b.corsCredentials;
        this.clientManifest = b.clientManifest;
        this.assetOrigins = List.copyOf(b.assetOrigins);
        this.assetCheckPath = b.assetCheckPath;
        this.assetCheckInterval = b.assetCheckInterval;
        this.assetRecoverAfter = b.assetRecoverAfter;
        List<GraphQlService> services = new ArrayList<>();
        for (GraphQlService s : b.graphQlServices.values()) {
            services.add(b.optionalGraphQl.contains(s.name()) && s.required() ? s.optional() : s);
        }
        this.graphQlServices = List.copyOf(services);
        this.backend = b.backend;
        this.backendCall = b.backendCall;
    }

    /**
     * The defaults: a gate of 128 requests for 10 s, the local dev-server origins, no asset origins,
     * no GraphQL services, the packaged client manifest.
     *
     * @return the shared defaults
     */
    public static DemoFrontEndConfig ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies one command-line option if it is one of these settings.
     *
     * @param b the builder to apply it to
     * @param args the command line
     * @param i the option's index
     * @return how many arguments it used (the option and its value), or 0 if it is not one of these
     * @throws ConfigurationException if its value is missing or invalid
     */
    static int parseOption(Builder b, String[] args, int i) {
        String option = args[i];
        switch (option) {
            case "--cors-credentials":
                b.corsCredentials(true);
                return 1;
            case "--gate-queue":
                b.gateQueue(number(args, i, option));
                return 2;
            case "--gate-wait":
                b.gateWait(Duration.ofSeconds(number(args, i, option)));
                return 2;
            case "--cors-origins":
                b.corsOrigins(list(value(args, i, option)));
                return 2;
            case "--ws-origins":
                b.wsOrigins(list(value(args, i, option)));
                return 2;
            case "--client-manifest":
                b.clientManifest(value(args, i, option));
                return 2;
            case "--asset-origins":
                b.assetOrigins(list(value(args, i, option)).stream().map(URI::create).toList());
                return 2;
            case "--asset-check-path":
                b.assetCheckPath(value(args, i, option));
                return 2;
            case "--graphql":
            case "--graphql-sdl":
                String[] nameUrl = value(args, i, option).split("=", 2);
                if (nameUrl.length != 2) {
                    throw new ConfigurationException(option + " must be NAME=URL, but was " + args[i + 1]);
                }
                URI url = URI.create(nameUrl[1]);
                b.graphQlService(option.equals("--graphql") ? GraphQlService.introspection(nameUrl[0], url)
                        : GraphQlService.sdl(nameUrl[0], url));
                return 2;
            case "--graphql-optional":
                b.graphQlOptional(value(args, i, option));
                return 2;
            default:
                return 0;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new ConfigurationException(option + " needs a value");
        }
        return args[i + 1];
    }

    private static int number(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(option + " must be a whole number, but was " + v);
        }
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /**
     * How many requests the gate holds while the demo is not READY.
     *
     * @return positive
     */
    public int gateQueue() {
        return gateQueue;
    }

    /**
     * How long a held request waits for READY.
     *
     * @return positive
     */
    public Duration gateWait() {
        return gateWait;
    }

    /**
     * The origins the API allows.
     *
     * @return an immutable list
     */
    public List<String> corsOrigins() {
        return corsOrigins;
    }

    /**
     * The origins the WebSocket endpoint allows.
     *
     * @return an immutable list; the API's unless set apart
     */
    public List<String> wsOrigins() {
        return wsOrigins;
    }

    /**
     * Whether both endpoints share one CORS policy: their origins are equal.
     *
     * @return true when the origins are equal
     */
    public boolean sharedCors() {
        return wsOrigins.equals(corsOrigins);
    }

    /**
     * Whether credentials are allowed.
     *
     * @return false by default
     */
    public boolean corsCredentials() {
        return corsCredentials;
    }

    /**
     * Where the client's build manifest is read: an {@code http(s)} URL or a file path.
     *
     * @return the location, or null for the client assets packaged with the demo
     */
    public String clientManifest() {
        return clientManifest;
    }

    /**
     * The asset origins, primary first.
     *
     * @return an immutable list; empty for none
     */
    public List<URI> assetOrigins() {
        return assetOrigins;
    }

    /**
     * The path checked on each asset origin.
     *
     * @return starts with {@code /}
     */
    public String assetCheckPath() {
        return assetCheckPath;
    }

    /**
     * The interval between asset origin checks.
     *
     * @return positive
     */
    public Duration assetCheckInterval() {
        return assetCheckInterval;
    }

    /**
     * The good checks before a recovered asset origin is used again.
     *
     * @return positive
     */
    public int assetRecoverAfter() {
        return assetRecoverAfter;
    }

    /**
     * The downstream GraphQL services.
     *
     * @return an immutable list; empty for none
     */
    public List<GraphQlService> graphQlServices() {
        return graphQlServices;
    }

    /**
     * A backend component the API's {@code /api/backend} endpoint depends on, set from code only
     * (the testkit's CS-21 sets it).
     *
     * @return the component, or null for none
     */
    public Component backend() {
        return backend;
    }

    /**
     * What {@code GET /api/backend?id=ID} answers: the backend's call.
     *
     * @return the call, or null when no backend is set
     */
    public UnaryOperator<String> backendCall() {
        return backendCall;
    }

    @Override
    public String toString() {
        return "DemoFrontEndConfig{gateQueue=" + gateQueue + ", gateWait=" + gateWait + ", corsOrigins=" + corsOrigins
                + ", wsOrigins=" + wsOrigins + ", corsCredentials=" + corsCredentials + ", clientManifest="
                + clientManifest + ", assetOrigins=" + assetOrigins + ", graphQlServices=" + graphQlServices
                + ", backend=" + (backend == null ? "none" : backend.name()) + '}';
    }

    /** Builder of {@link DemoFrontEndConfig}; not thread-safe. */
    public static final class Builder {
        private int gateQueue = DEFAULT_GATE_QUEUE;
        private Duration gateWait = DEFAULT_GATE_WAIT;
        private List<String> corsOrigins = DEFAULT_CORS_ORIGINS;
        private List<String> wsOrigins;
        private boolean corsCredentials;
        private String clientManifest;
        private List<URI> assetOrigins = List.of();
        private String assetCheckPath = DEFAULT_ASSET_CHECK_PATH;
        private Duration assetCheckInterval = DEFAULT_ASSET_CHECK_INTERVAL;
        private int assetRecoverAfter = DEFAULT_ASSET_RECOVER_AFTER;
        private final Map<String, GraphQlService> graphQlServices = new LinkedHashMap<>();
        private final Set<String> optionalGraphQl = new LinkedHashSet<>();
        private Component backend;
        private UnaryOperator<String> backendCall;

        private Builder() {
        }

        /**
         * Sets the gate's capacity.
         *
         * @param gateQueue positive; default {@value DemoFrontEndConfig#DEFAULT_GATE_QUEUE}
         * @return this builder
         */
        public Builder gateQueue(int gateQueue) {
            this.gateQueue = Checks.positive(gateQueue, "gateQueue");
            return this;
        }

        /**
         * Sets how long a held request waits.
         *
         * @param gateWait positive; default 10 s
         * @return this builder
         */
        public Builder gateWait(Duration gateWait) {
            this.gateWait = Checks.positive(gateWait, "gateWait");
            return this;
        }

        /**
         * Sets the origins of the API (and of the WebSocket endpoint unless {@link #wsOrigins(List)}).
         *
         * @param corsOrigins origins such as {@code https://app.example.com}, or {@code *}; not empty
         * @return this builder
         */
        public Builder corsOrigins(List<String> corsOrigins) {
            Checks.notNull(corsOrigins, "corsOrigins");
            Checks.check(!corsOrigins.isEmpty(), "corsOrigins must not be empty, but was []");
            this.corsOrigins = List.copyOf(corsOrigins);
            return this;
        }

        /**
         * Sets origins of the WebSocket endpoint apart from the API's.
         *
         * @param wsOrigins origins; null for the API's (the default)
         * @return this builder
         */
        public Builder wsOrigins(List<String> wsOrigins) {
            this.wsOrigins = wsOrigins == null ? null : List.copyOf(wsOrigins);
            return this;
        }

        /**
         * Sets whether credentials are allowed.
         *
         * @param corsCredentials default false
         * @return this builder
         */
        public Builder corsCredentials(boolean corsCredentials) {
            this.corsCredentials = corsCredentials;
            return this;
        }

        /**
         * Sets where the client's build manifest is read.
         *
         * @param clientManifest an {@code http(s)} URL or a file path; null for the packaged one (the default)
         * @return this builder
         */
        public Builder clientManifest(String clientManifest) {
            this.clientManifest = clientManifest;
            return this;
        }

        /**
         * Sets the asset origins.
         *
         * @param assetOrigins primary first; empty for none (the default)
         * @return this builder
         */
        public Builder assetOrigins(List<URI> assetOrigins) {
            this.assetOrigins = List.copyOf(Checks.notNull(assetOrigins, "assetOrigins"));
            return this;
        }

        /**
         * Sets the path checked on each asset origin.
         *
         * @param assetCheckPath starts with {@code /}; default {@value DemoFrontEndConfig#DEFAULT_ASSET_CHECK_PATH}
         * @return this builder
         */
        public Builder assetCheckPath(String assetCheckPath) {
            Checks.notBlank(assetCheckPath, "assetCheckPath");
            Checks.check(assetCheckPath.startsWith("/"), "assetCheckPath must start with /, but was " + assetCheckPath);
            this.assetCheckPath = assetCheckPath;
            return this;
        }

        /**
         * Sets the interval between asset origin checks.
         *
         * @param assetCheckInterval at least 10 ms; default 5 s
         * @return this builder
         */
        public Builder assetCheckInterval(Duration assetCheckInterval) {
            this.assetCheckInterval = Checks.positive(assetCheckInterval, "assetCheckInterval");
            return this;
        }

        /**
         * Sets the good checks before a recovered asset origin is used again.
         *
         * @param assetRecoverAfter positive; default {@value DemoFrontEndConfig#DEFAULT_ASSET_RECOVER_AFTER}
         * @return this builder
         */
        public Builder assetRecoverAfter(int assetRecoverAfter) {
            this.assetRecoverAfter = Checks.positive(assetRecoverAfter, "assetRecoverAfter");
            return this;
        }

        /**
         * Adds a downstream GraphQL service.
         *
         * @param service not null; unique name
         * @return this builder
         */
        public Builder graphQlService(GraphQlService service) {
            Checks.notNull(service, "service");
            Checks.check(!graphQlServices.containsKey(service.name()),
                    "graphQlService names must be unique, but \"" + service.name() + "\" was given twice");
            graphQlServices.put(service.name(), service);
            return this;
        }

        /**
         * Marks a GraphQL service optional.
         *
         * @param name the service's name
         * @return this builder
         */
        public Builder graphQlOptional(String name) {
            optionalGraphQl.add(Checks.notBlank(name, "graphQlOptional"));
            return this;
        }

        /**
         * Sets the backend of {@code /api/backend}: a component the demo waits for and the call the
         * endpoint answers with.
         *
         * @param component a required component; not null
         * @param call the call, given the request's {@code id}; not null
         * @return this builder
         */
        public Builder backend(Component component, UnaryOperator<String> call) {
            this.backend = Checks.notNull(component, "backend");
            this.backendCall = Checks.notNull(call, "backendCall");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return immutable settings
         * @throws ConfigurationException if an optional GraphQL service was not configured
         */
        public DemoFrontEndConfig build() {
            for (String name : optionalGraphQl) {
                Checks.check(graphQlServices.containsKey(name), "graphQlOptional must name a configured GraphQL service "
                        + graphQlServices.keySet() + ", but was " + name);
            }
            return new DemoFrontEndConfig(this);
        }
    }
}
