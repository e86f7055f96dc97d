package dev.coldstart.coordination;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A real HTTP server on 127.0.0.1 for tests (a {@link ProbeEndpoint} with one handler) that serves
 * fixed bodies per path and can be switched to answer a failure status for every path. Counts
 * requests per path.
 */
final class TestOrigin implements AutoCloseable {
    private record Answer(String contentType, String body) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicInteger failWith = new AtomicInteger();
    private final ProbeEndpoint server;

    private TestOrigin(String name) {
        this.server = ProbeEndpoint.builder()
                .name(name)
                .basePath("/__probes")
                .portAllocator(PortAllocator.builder().bindAddress(InetAddress.getLoopbackAddress()).build())
                .handler(new Handler.Abstract.NonBlocking() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        String path = Request.getPathInContext(request);
                        counts.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
                        int failure = failWith.get();
                        Answer a = answers.get(path);
                        if (failure != 0) {
                            response.setStatus(failure);
                            response.write(true, null, callback);
                        } else if (a == null) {
                            response.setStatus(404);
                            response.write(true, null, callback);
                        } else {
                            response.setStatus(200);
                            response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
                            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                            response.write(true, java.nio.ByteBuffer.wrap(body), callback);
                        }
                        return true;
                    }
                })
                .build()
                .start();
    }

    static TestOrigin start(String name) {
        return new TestOrigin(name);
    }

    TestOrigin serve(String path, String contentType, String body) {
        answers.put(path, new Answer(contentType, body));
        return this;
    }

    /** Every path answers this status from now on; 0 for normal answers. */
    void failWith(int status) {
        failWith.set(status);
    }

    long requests(String path) {
        AtomicLong n = counts.get(path);
        return n == null ? 0 : n.get();
    }

    URI uri() {
        return server.uri();
    }

    URI uri(String path) {
        return URI.create(server.uri() + path);
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
