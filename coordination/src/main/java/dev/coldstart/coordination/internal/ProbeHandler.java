package dev.coldstart.coordination.internal;

import dev.coldstart.core.Availability;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the three probe paths from an {@link Availability} snapshot and leaves every other path
 * to the next handler. The status code and the body come from the same snapshot, so a {@code 200}
 * never carries {@code "ready":false}. The JSON is rendered once per snapshot and reused while the
 * snapshot does not change. Thread-safe.
 */
public final class ProbeHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(ProbeHandler.class);
    private static final byte[] UNKNOWN_BODY = "{\"status\":\"DOWN\",\"error\":\"availability could not be read\"}"
            .getBytes(StandardCharsets.UTF_8);

    /** The three signals and the paths that answer them. */
    private enum Signal {
        LIVE, READY, STARTED
    }

    /** A snapshot and its rendered JSON body. */
    private record Rendered(Availability availability, byte[] json) {
    }

    private final String name;
    private final String livePath;
    private final String readyPath;
    private final String startedPath;
    private final Supplier<Availability> source;
    private volatile Rendered last = new Rendered(null, UNKNOWN_BODY);
    private volatile boolean failing;

    /**
     * Creates the handler.
     *
     * @param name the endpoint's name, for logs
     * @param basePath the common prefix of the probe paths, for example {@code /health}
     * @param source where each request reads the availability; may throw
     */
    public ProbeHandler(String name, String basePath, Supplier<Availability> source) {
        this.name = name;
        this.livePath = basePath + "/live";
        this.readyPath = basePath + "/ready";
        this.startedPath = basePath + "/started";
        this.source = source;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Signal signal = signal(Request.getPathInContext(request));
        if (signal == null) {
            return false;
        }
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        if (!head && !HttpMethod.GET.is(method)) {
            headers.put(HttpHeader.ALLOW, "GET, HEAD");
            headers.put(HttpHeader.CONTENT_LENGTH, 0L);
            response.setStatus(HttpStatus.METHOD_NOT_ALLOWED_405);
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return true;
        }
        boolean up;
        byte[] body;
        try {
            Availability a = source.get();
            up = switch (signal) {
                case LIVE -> a.isLive();
                case READY -> a.isReady();
                case STARTED -> a.isStarted();
            };
            body = render(a);
            if (failing) {
                failing = false;
                log.info("{} - availability can be read again", name);
            }
        } catch (RuntimeException e) {
            up = false;
            body = UNKNOWN_BODY;
            if (!failing) {
                failing = true;
                log.warn("{} - reading the availability failed; probes answer 503 until it works: {}", name, e.toString());
            }
        }
        response.setStatus(up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
        // JSON is UTF-8 by definition (RFC 8259), so no charset parameter.
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body), callback);
        return true;
    }

    private Signal signal(String path) {
        if (livePath.equals(path)) {
            return Signal.LIVE;
        }
        if (readyPath.equals(path)) {
            return Signal.READY;
        }
        if (startedPath.equals(path)) {
            return Signal.STARTED;
        }
        return null;
    }

    private byte[] render(Availability a) {
        Rendered r = last;
        if (r.availability() != a) {
            r = new Rendered(a, a.toJson().getBytes(StandardCharsets.UTF_8));
            last = r;
        }
        return r.json();
    }
}
