package dev.coldstart.coordination;

import dev.coldstart.coordination.internal.JsonReader;
import dev.coldstart.core.Checks;
import dev.coldstart.core.Json;
import dev.coldstart.core.NonRetryableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A build manifest: the id of a front-end build and the content hash of each of its assets. A
 * server renders pages that reference the assets of the build it was made with; if the browser
 * then loads assets of another build, hydration fails (scenario CS-25). {@link BuildManifestCheck}
 * compares the server's manifest with the client's at start-up.
 *
 * <p>The JSON format, written by the front-end build (a few lines in a Vite or webpack plugin):
 * <pre>{@code
 * {
 *   "buildId": "2025.05.01-7f3c2a1",
 *   "assets": {
 *     "assets/app.js": "sha256-q0n4xQ7sT9vZC5Xz0m2uNw2Jm0b7rKp1z8w5f3yH2Ac=",
 *     "assets/app.css": "sha256-3Yb0Hn3uZC0f2d5cQ1aQ8o9kUq2lV7mE5rT1xW4pN6s="
 *   }
 * }
 * }</pre>
 * {@code buildId} is a non-blank string; {@code assets} maps each asset's path (relative to the
 * asset origin) to an opaque hash string, compared exactly (the Subresource Integrity form
 * {@code sha256-<base64>} is recommended). Other members are ignored, so the format can grow.
 *
 * <p>Immutable and thread-safe; equal when build id and assets are equal.
 */
public final class BuildManifest {
    private final String buildId;
    private final SortedMap<String, String> assets;

    private BuildManifest(String buildId, SortedMap<String, String> assets) {
        this.buildId = buildId;
        this.assets = Collections.unmodifiableSortedMap(assets);
    }

    /**
     * Creates a manifest.
     *
     * @param buildId the build's id; not blank
     * @param assets asset path to hash; neither blank; copied
     * @return the manifest
     * @throws dev.coldstart.core.ConfigurationException if an argument is blank or null
     */
    public static BuildManifest of(String buildId, Map<String, String> assets) {
        Checks.notBlank(buildId, "buildId");
        Checks.notNull(assets, "assets");
        SortedMap<String, String> copy = new TreeMap<>();
        assets.forEach((path, hash) -> copy.put(Checks.notBlank(path, "asset path"), Checks.notBlank(hash, "hash of " + path)));
        return new BuildManifest(buildId, copy);
    }

    /**
     * Parses a manifest in the JSON format above.
     *
     * @param json the document
     * @param source where it came from, for messages (a path or URL)
     * @return the manifest
     * @throws NonRetryableException if the document is not valid JSON or not a manifest, naming the
     *     source and what is wrong
     */
    public static BuildManifest parse(String json, String source) {
        Checks.notNull(json, "json");
        Map<String, Object> doc;
        try {
            doc = JsonReader.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw invalid(source, e.getMessage());
        }
        Object id = doc.get("buildId");
        if (!(id instanceof String) || ((String) id).isBlank()) {
            throw invalid(source, "\"buildId\" must be a non-blank string, but was " + describe(id));
        }
        Object assets = doc.get("assets");
        if (!(assets instanceof Map)) {
            throw invalid(source, "\"assets\" must be an object of asset path to hash, but was " + describe(assets));
        }
        SortedMap<String, String> map = new TreeMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) assets).entrySet()) {
            String path = (String) e.getKey();
            if (path.isBlank() || !(e.getValue() instanceof String) || ((String) e.getValue()).isBlank()) {
                throw invalid(source, "asset \"" + path + "\" must have a non-blank hash string, but had "
                        + describe(e.getValue()));
            }
            map.put(path, (String) e.getValue());
        }
        return new BuildManifest((String) id, map);
    }

    /**
     * Reads a manifest from the class path, for example the one packaged with the server.
     *
     * @param resource a resource name such as {@code "META-INF/build-manifest.json"}
     * @return the manifest
     * @throws NonRetryableException if the resource is missing or not a manifest
     */
    public static BuildManifest fromClasspath(String resource) {
        Checks.notBlank(resource, "resource");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = BuildManifest.class.getClassLoader();
        }
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new NonRetryableException("build manifest classpath:" + name + " was not found; package the "
                        + "front-end build's manifest with the server, or point to it by file or URL");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + name);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the build manifest classpath:" + name + " failed", e);
        }
    }

    /**
     * Reads a manifest from a file.
     *
     * @param file the file
     * @return the manifest
     * @throws IOException if the file cannot be read (it may appear later: a retryable failure)
     * @throws NonRetryableException if it is not a manifest
     */
    public static BuildManifest fromFile(Path file) throws IOException {
        Checks.notNull(file, "file");
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Fetches a manifest over HTTP (GET), for example from the asset origin.
     *
     * @param uri the manifest's URL
     * @param timeout connect and request timeout; positive
     * @return the manifest
     * @throws IOException if the request fails or the answer is not {@code 200} (retryable: the
     *     assets may still be deploying)
     * @throws InterruptedException if interrupted while waiting
     * @throws NonRetryableException if the body is not a manifest
     */
    public static BuildManifest fromUri(URI uri, Duration timeout) throws IOException, InterruptedException {
        Checks.notNull(uri, "uri");
        Checks.positive(timeout, "timeout");
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode() + " instead of 200 with the build "
                    + "manifest");
        }
        return parse(response.body(), uri.toString());
    }

    /**
     * The build's id.
     *
     * @return not blank
     */
    public String buildId() {
        return buildId;
    }

    /**
     * Asset path to hash, sorted by path.
     *
     * @return an unmodifiable map
     */
    public SortedMap<String, String> assets() {
        return assets;
    }

    /**
     * The first asset, in path order, whose hash differs between this manifest and another, or
     * that only one of them lists.
     *
     * @param other the other manifest
     * @return the path, or empty when every asset matches
     */
    public Optional<String> firstDifferingAsset(BuildManifest other) {
        Checks.notNull(other, "other");
        TreeSet<String> paths = new TreeSet<>(assets.keySet());
        paths.addAll(other.assets.keySet());
        for (String p : paths) {
            if (!Objects.equals(assets.get(p), other.assets.get(p))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether another manifest is of the same build with the same assets.
     *
     * @param other the other manifest
     * @return true when build id and every asset hash are equal
     */
    public boolean matches(BuildManifest other) {
        return equals(other);
    }

    /**
     * This manifest in the JSON format above.
     *
     * @return a JSON document
     */
    public String toJson() {
        Json.Writer w = Json.writer().beginObject().field("buildId", buildId).name("assets").beginObject();
        assets.forEach(w::field);
        return w.endObject().endObject().toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BuildManifest && buildId.equals(((BuildManifest) o).buildId)
                && assets.equals(((BuildManifest) o).assets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(buildId, assets);
    }

    @Override
    public String toString() {
        return "BuildManifest{buildId=" + buildId + ", assets=" + assets.size() + '}';
    }

    private static NonRetryableException invalid(String source, String what) {
        return new NonRetryableException("build manifest " + source + " is not valid: " + what + "; expected "
                + "{\"buildId\": \"...\", \"assets\": {\"path\": \"sha256-...\"}}");
    }

    private static String describe(Object v) {
        return v instanceof String ? "\"" + v + "\"" : JsonReader.typeName(v);
    }
}
