package dev.coldstart.testkit.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Notifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real HTTP server on 127.0.0.1 (WireMock, on an ephemeral port) that plays a dependency such
 * as an identity provider or a backend, and fails on demand: slow, 500 (or any status), invalid
 * JSON, wrong content type, connection reset, empty response. Faults switch at runtime for every
 * path or for one path, and requests are counted per path.
 *
 * <p>Precedence: a path's own fault, then the peer-wide fault, then the path's normal stub, then
 * WireMock's {@code 404}. A peer-wide {@link HttpFault#slow(java.time.Duration)} delays every
 * answer, including other faults and {@code 404}s; a path's slow fault delays that path's normal
 * stub (or its {@code 404}).
 *
 * <p>WireMock comes as the shaded {@code wiremock-standalone}, so its Jetty does not meet the
 * application's. Its request journal is off (this class counts requests itself, in constant
 * memory), and delayed answers are served asynchronously so slow answers do not hold server
 * threads. Any HTTP method matches a stub.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * try (FaultyHttpPeer idp = FaultyHttpPeer.start()) {
 *     idp.stubJson("/.well-known/jwks.json", jwks);
 *     idp.setFault(HttpFault.serverError());
 *     // start the service against idp.uri("/.well-known/jwks.json"): it must retry, then
 *     idp.clearFaults();
 *     assertThat(idp.requestCount("/.well-known/jwks.json")).isGreaterThan(1);
 * }
 * }</pre>
 */
public final class FaultyHttpPeer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultyHttpPeer.class);
    private static final int PATH_FAULT_PRIORITY = 1;
    private static final int PEER_FAULT_PRIORITY = 2;
    private static final int STUB_PRIORITY = 5;

    private final String name;
    private final WireMockServer server;
    private final Path rootDirectory;
    private final RequestCounter counter;
    private final Map<String, ResponseDefinitionBuilder> stubs = new HashMap<>();
    private final Map<String, StubMapping> stubMappings = new HashMap<>();
    private final Map<String, HttpFault> pathFaults = new HashMap<>();
    private final Map<String, StubMapping> pathFaultMappings = new HashMap<>();
    private HttpFault peerFault = HttpFault.none();
    private StubMapping peerFaultMapping;

    private FaultyHttpPeer(String name, WireMockServer server, Path rootDirectory, RequestCounter counter) {
        this.name = name;
        this.server = server;
        this.rootDirectory = rootDirectory;
        this.counter = counter;
    }

    /**
     * Starts a peer named {@code faulty-http-peer} on an ephemeral port of 127.0.0.1.
     *
     * @return the running peer, without stubs or faults
     * @throws UncheckedIOException if the server cannot start
     */
    public static FaultyHttpPeer start() {
        return start("faulty-http-peer");
    }

    /**
     * Starts a named peer on an ephemeral port of 127.0.0.1.
     *
     * @param name starts the peer's log messages
     * @return the running peer, without stubs or faults
     * @throws UncheckedIOException if the server cannot start
     * @throws ConfigurationException if the name is blank
     */
    public static FaultyHttpPeer start(String name) {
        Checks.notBlank(name, "name");
        Path root;
        try {
            // An empty root of its own, so WireMock never loads mappings it finds in the working directory.
            root = Files.createTempDirectory("coldstart-http-peer-");
        } catch (IOException e) {
            throw new UncheckedIOException(name + " - cannot create WireMock's root directory", e);
        }
        RequestCounter counter = new RequestCounter();
        WireMockServer server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .withRootDirectory(root.toString())
                .notifier(new LogNotifier(name))
                .extensions(counter)
                .disableRequestJournal()
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4)
                .gzipDisabled(true)
                .templatingEnabled(false)
                .extensionScanningEnabled(false)
                .stubRequestLoggingDisabled(true));
        try {
            server.start();
        } catch (RuntimeException e) {
            deleteRecursively(root);
            throw new UncheckedIOException(name + " - WireMock did not start: " + e.getMessage(),
                    new IOException(e));
        }
        log.info("{} - listening on http://127.0.0.1:{}", name, server.port());
        return new FaultyHttpPeer(name, server, root, counter);
    }

    /**
     * The port the peer listens on.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * The peer's base URI, such as {@code http://127.0.0.1:41234}.
     *
     * @return the URI, without a trailing slash
     */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /**
     * The URI of a path on the peer.
     *
     * @param path starting with {@code /}
     * @return the absolute URI
     * @throws ConfigurationException if the path does not start with {@code /}
     */
    public URI uri(String path) {
        return URI.create(baseUri() + checkPath(path));
    }

    /**
     * Sets the normal answer of a path, for any method; replaces an earlier one.
     *
     * @param path the URL path, starting with {@code /}; the query string is ignored
     * @param status the status, 100-599
     * @param contentType the {@code Content-Type}, not blank
     * @param body the body, may be empty
     * @throws ConfigurationException if an argument is invalid
     */
    public synchronized void stub(String path, int status, String contentType, String body) {
        checkPath(path);
        Checks.check(status >= 100 && status <= 599, "status must be between 100 and 599, but was " + status);
        Checks.notBlank(contentType, "contentType");
        Checks.notNull(body, "body");
        ResponseDefinitionBuilder response = aResponse().withStatus(status).withHeader("Content-Type", contentType)
                .withBody(body);
        stubs.put(path, response);
        replace(stubMappings, path, any(urlPathEqualTo(path)).atPriority(STUB_PRIORITY).willReturn(response));
        if (pathFaults.containsKey(path)) {
            // A slow path fault copies the normal answer: keep it in step.
            setFault(path, pathFaults.get(path));
        }
    }

    /**
     * Sets the normal answer of a path to {@code 200 application/json} with a body.
     *
     * @param path the URL path, starting with {@code /}
     * @param json the body, served as it is
     * @throws ConfigurationException if an argument is invalid
     */
    public void stubJson(String path, String json) {
        stub(path, 200, "application/json", json);
    }

    /**
     * Puts a fault in force for every path (a path's own fault still wins).
     *
     * @param fault the fault; {@link HttpFault#none()} removes the peer-wide fault
     * @throws ConfigurationException if null
     */
    public synchronized void setFault(HttpFault fault) {
        Checks.notNull(fault, "fault");
        if (peerFaultMapping != null) {
            server.removeStub(peerFaultMapping);
            peerFaultMapping = null;
        }
        server.setGlobalFixedDelay(fault.kind() == HttpFault.Kind.SLOW ? (int) fault.delay().toMillis() : 0);
        if (fault.kind() != HttpFault.Kind.NONE && fault.kind() != HttpFault.Kind.SLOW) {
            peerFaultMapping = server.stubFor(any(anyUrl()).atPriority(PEER_FAULT_PRIORITY).willReturn(faultResponse(fault)));
        }
        if (!fault.equals(peerFault)) {
            log.info("{} - fault {} -> {} for every path", name, peerFault, fault);
        }
        peerFault = fault;
    }

    /**
     * Puts a fault in force for one path.
     *
     * @param path the URL path, starting with {@code /}
     * @param fault the fault; {@link HttpFault#none()} removes the path's fault
     * @throws ConfigurationException if an argument is invalid
     */
    public synchronized void setFault(String path, HttpFault fault) {
        checkPath(path);
        Checks.notNull(fault, "fault");
        StubMapping old = pathFaultMappings.remove(path);
        if (old != null) {
            server.removeStub(old);
        }
        HttpFault previous = fault.kind() == HttpFault.Kind.NONE ? pathFaults.remove(path) : pathFaults.put(path, fault);
        if (fault.kind() == HttpFault.Kind.SLOW) {
            ResponseDefinitionBuilder normal = stubs.get(path);
            ResponseDefinitionBuilder delayed = normal != null
                    ? ResponseDefinitionBuilder.like(normal.build()).withFixedDelay((int) fault.delay().toMillis())
                    : aResponse().withStatus(404).withHeader("Content-Type", "text/plain")
                            .withBody("no stub for " + path).withFixedDelay((int) fault.delay().toMillis());
            pathFaultMappings.put(path, server.stubFor(any(urlPathEqualTo(path)).atPriority(PATH_FAULT_PRIORITY)
                    .willReturn(delayed)));
        } else if (fault.kind() != HttpFault.Kind.NONE) {
            pathFaultMappings.put(path, server.stubFor(any(urlPathEqualTo(path)).atPriority(PATH_FAULT_PRIORITY)
                    .willReturn(faultResponse(fault))));
        }
        if (!fault.equals(previous == null ? HttpFault.none() : previous)) {
            log.info("{} - fault {} -> {} for {}", name, previous == null ? HttpFault.none() : previous, fault, path);
        }
    }

    /**
     * Removes every fault, peer-wide and per path; stubs stay.
     */
    public synchronized void clearFaults() {
        setFault(HttpFault.none());
        for (String path : Map.copyOf(pathFaults).keySet()) {
            setFault(path, HttpFault.none());
        }
    }

    /**
     * The peer-wide fault in force.
     *
     * @return the fault; {@link HttpFault#none()} by default
     */
    public synchronized HttpFault fault() {
        return peerFault;
    }

    /**
     * The fault in force for a path: its own, else the peer-wide one.
     *
     * @param path the URL path
     * @return the fault
     */
    public synchronized HttpFault fault(String path) {
        return pathFaults.getOrDefault(path, peerFault);
    }

    /**
     * Requests received for a path, whatever the answer (faults and {@code 404}s included),
     * counted when the request has been read, before it is answered.
     *
     * @param path the URL path, without query string
     * @return the count since start or the last {@link #resetRequestCounts()}
     */
    public long requestCount(String path) {
        LongAdder n = counter.counts.get(path);
        return n == null ? 0 : n.sum();
    }

    /**
     * Requests received for every path.
     *
     * @return the count since start or the last {@link #resetRequestCounts()}
     */
    public long requestCount() {
        return counter.counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /**
     * Sets every request count to zero.
     */
    public void resetRequestCounts() {
        counter.counts.clear();
    }

    /**
     * Stops the server and deletes its temporary root directory. Idempotent.
     */
    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
            log.info("{} - stopped after {} requests", name, requestCount());
        }
        deleteRecursively(rootDirectory);
    }

    @Override
    public String toString() {
        return name + " " + baseUri() + " (" + fault() + ")";
    }

    private void replace(Map<String, StubMapping> mappings, String path, MappingBuilder mapping) {
        StubMapping old = mappings.remove(path);
        if (old != null) {
            server.removeStub(old);
        }
        mappings.put(path, server.stubFor(mapping));
    }

    private static ResponseDefinitionBuilder faultResponse(HttpFault fault) {
        switch (fault.kind()) {
            case STATUS:
                return aResponse().withStatus(fault.status()).withHeader("Content-Type", "text/plain")
                        .withBody("injected status " + fault.status());
            case INVALID_JSON:
                return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(HttpFault.INVALID_JSON_BODY);
            case WRONG_CONTENT_TYPE:
                return aResponse().withStatus(200).withHeader("Content-Type", HttpFault.WRONG_CONTENT_TYPE)
                        .withBody(HttpFault.WRONG_CONTENT_TYPE_BODY);
            case CONNECTION_RESET:
                return aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            case EMPTY_RESPONSE:
                return aResponse().withFault(Fault.EMPTY_RESPONSE);
            default:
                throw new IllegalArgumentException("no fixed response for " + fault);
        }
    }

    private static String checkPath(String path) {
        Checks.notNull(path, "path");
        Checks.check(path.startsWith("/"), "path must start with /, but was " + path);
        return path;
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", root, e.toString());
        }
    }

    /** Counts requests per path before stub matching, so faults and 404s are counted too. */
    private static final class RequestCounter implements StubRequestFilterV2 {
        final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        @Override
        public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
            String url = request.getUrl();
            int query = url.indexOf('?');
            String path = query < 0 ? url : url.substring(0, query);
            counts.computeIfAbsent(path, p -> new LongAdder()).increment();
            return RequestFilterAction.continueWith(request);
        }

        @Override
        public String getName() {
            return "coldstart-request-counter";
        }
    }

    /** WireMock's own messages at DEBUG (errors with a cause at WARN), under this class's logger. */
    private static final class LogNotifier implements Notifier {
        private final String name;

        LogNotifier(String name) {
            this.name = name;
        }

        @Override
        public void info(String message) {
            log.debug("{} - {}", name, message);
        }

        @Override
        public void error(String message) {
            // Without a throwable this is WireMock's "request was not matched" table: a 404, not a failure.
            log.debug("{} - {}", name, message);
        }

        @Override
        public void error(String message, Throwable t) {
            log.warn("{} - {}", name, message, t);
        }
    }
}
