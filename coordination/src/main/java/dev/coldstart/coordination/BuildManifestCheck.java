package dev.coldstart.coordination;

import dev.coldstart.core.Checks;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A start-up check that the client assets the browser will load come from the same front-end build
 * as the server (scenario CS-25): it compares the server's {@link BuildManifest} with the client's
 * before the service becomes READY. As a {@link Component} it shows in the startup report and the
 * probe body.
 *
 * <ul>
 *   <li>Same build id and the same hash for every asset: the check passes.</li>
 *   <li>Another build id or any differing asset: {@link BuildManifestMismatchException} (never
 *       retried) naming both build ids and the first differing asset in path order, for example
 *       <pre>
 * build-manifest - the client assets are not this server's build: server build '42', client build '41';
 * first differing asset 'assets/app.js' (server sha256-AAA, client sha256-BBB). Pages rendered by this
 * server would fail to hydrate: deploy the client assets of build '42', or run the server of build '41'
 *       </pre></li>
 *   <li>The client's manifest cannot be loaded (the asset origin is not up, the file is not there
 *       yet): an ordinary failure, retried under the component's start policy until its deadline.</li>
 * </ul>
 *
 * <pre>{@code
 * Component manifest = BuildManifestCheck.builder()
 *         .server(BuildManifest.fromClasspath("META-INF/build-manifest.json"))
 *         .clientFromUri(URI.create("https://cdn.example.com/build-manifest.json"), Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe; builders are not.
 */
public final class BuildManifestCheck implements Component {
    private static final Logger log = LoggerFactory.getLogger(BuildManifestCheck.class);

    /** Default component name: {@code "build-manifest"}. */
    public static final String DEFAULT_NAME = "build-manifest";

    private final String name;
    private final Set<String> dependsOn;
    private final BuildManifest server;
    private final Callable<BuildManifest> client;
    private final String clientSource;
    private volatile BuildManifest verifiedClient;

    private BuildManifestCheck(Builder b) {
        this.name = b.name;
        this.dependsOn = Set.copyOf(b.dependsOn);
        this.server = b.server;
        this.client = b.client;
        this.clientSource = b.clientSource;
    }

    /**
     * Starts a builder; {@link Builder#server(BuildManifest)} and a client source are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> dependsOn() {
        return dependsOn;
    }

    /**
     * Loads the client's manifest and compares it with the server's.
     *
     * @throws BuildManifestMismatchException if they differ
     * @throws Exception if the client's manifest cannot be loaded (retried)
     */
    @Override
    public void start() throws Exception {
        BuildManifest c = client.call();
        if (c == null) {
            throw new IllegalStateException("the client manifest source " + clientSource + " returned nothing");
        }
        if (!server.matches(c)) {
            Optional<String> asset = server.firstDifferingAsset(c);
            String assetText = asset.map(p -> "first differing asset '" + p + "' (server "
                    + server.assets().getOrDefault(p, "absent") + ", client " + c.assets().getOrDefault(p, "absent") + ")")
                    .orElse("every asset hash matches, only the build ids differ");
            String message = name + " - the client assets are not this server's build: server build '" + server.buildId()
                    + "', client build '" + c.buildId() + "' (from " + clientSource + "); " + assetText
                    + ". Pages rendered by this server would fail to hydrate: deploy the client assets of build '"
                    + server.buildId() + "', or run the server of build '" + c.buildId() + "'";
            // The orchestrator logs the failure once, at ERROR, with this message.
            throw new BuildManifestMismatchException(message, server.buildId(), c.buildId(), asset.orElse(null));
        }
        verifiedClient = c;
        log.info("{} - client and server are build '{}' ({} assets match)", name, server.buildId(), server.assets().size());
    }

    /**
     * Up once the manifests matched.
     *
     * @return up after a successful start, down before
     */
    @Override
    public Health probe() {
        return verifiedClient != null ? Health.up() : Health.down("the client build manifest was not verified yet");
    }

    /**
     * The server's manifest.
     *
     * @return the manifest given to the builder
     */
    public BuildManifest server() {
        return server;
    }

    @Override
    public String toString() {
        return "BuildManifestCheck{name=" + name + ", server=" + server + ", client=" + clientSource + '}';
    }

    /** Builder of {@link BuildManifestCheck}; not thread-safe. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private final LinkedHashSet<String> dependsOn = new LinkedHashSet<>();
        private BuildManifest server;
        private Callable<BuildManifest> client;
        private String clientSource;

        private Builder() {
        }

        /**
         * Sets the component's name.
         *
         * @param name not blank; default {@value BuildManifestCheck#DEFAULT_NAME}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Adds components that must be healthy first (for example the asset origin resolver).
         *
         * @param names component names
         * @return this builder
         */
        public Builder dependsOn(String... names) {
            for (String n : names) {
                dependsOn.add(Checks.notBlank(n, "dependsOn"));
            }
            return this;
        }

        /**
         * Sets the server's manifest: the build this server renders pages for.
         *
         * @param server not null; required
         * @return this builder
         */
        public Builder server(BuildManifest server) {
            this.server = Checks.notNull(server, "server");
            return this;
        }

        /**
         * Sets how the client's manifest is loaded; called on every start attempt.
         *
         * @param client the loader; a thrown exception other than a {@code NonRetryableException} is
         *     retried; not null
         * @param description where it loads from, for messages; not blank
         * @return this builder
         */
        public Builder client(Callable<BuildManifest> client, String description) {
            this.client = Checks.notNull(client, "client");
            this.clientSource = Checks.notBlank(description, "description");
            return this;
        }

        /**
         * Loads the client's manifest from a file.
         *
         * @param file not null
         * @return this builder
         */
        public Builder clientFromFile(Path file) {
            Checks.notNull(file, "file");
            return client(() -> BuildManifest.fromFile(file), file.toString());
        }

        /**
         * Loads the client's manifest from the class path.
         *
         * @param resource not blank
         * @return this builder
         */
        public Builder clientFromClasspath(String resource) {
            Checks.notBlank(resource, "resource");
            return client(() -> BuildManifest.fromClasspath(resource), "classpath:" + resource);
        }

        /**
         * Fetches the client's manifest over HTTP, typically from the asset origin.
         *
         * @param uri not null
         * @param timeout connect and request timeout; positive
         * @return this builder
         */
        public Builder clientFromUri(URI uri, Duration timeout) {
            Checks.notNull(uri, "uri");
            Checks.positive(timeout, "timeout");
            return client(() -> BuildManifest.fromUri(uri, timeout), uri.toString());
        }

        /**
         * Builds the check.
         *
         * @return a new component
         * @throws dev.coldstart.core.ConfigurationException if the server manifest or the client source is missing
         */
        public BuildManifestCheck build() {
            Checks.check(server != null, "server must be set, but was null; pass the manifest packaged with the server");
            Checks.check(client != null, "client must be set, but was null; say where the client's manifest is loaded from");
            return new BuildManifestCheck(this);
        }
    }
}
