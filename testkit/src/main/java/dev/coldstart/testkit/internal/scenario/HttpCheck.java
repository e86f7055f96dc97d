package dev.coldstart.testkit.internal.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A plain HTTP/1.1 client for the scenarios' probes and calls, one per polling thread. A request
 * that cannot be made (refused, reset) is an answer with status -1, so pollers record it instead
 * of stopping.
 */
final class HttpCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** One answer: status (-1 when no HTTP answer came), body (or the failure), when it was asked and answered. */
    record Answer(int status, String body, String header, Instant sentAt, Instant receivedAt) {
        boolean ok() {
            return status == 200;
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    /** GET the URI; {@code header} of the answer holds the value of the named response header, if asked. */
    Answer get(URI uri, String headerName) {
        Instant sent = Instant.now();
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String header = headerName == null ? null : r.headers().firstValue(headerName).orElse(null);
            return new Answer(r.statusCode(), r.body(), header, sent, Instant.now());
        } catch (IOException e) {
            return new Answer(-1, e.toString(), null, sent, Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString(), null, sent, Instant.now());
        }
    }

    /** GET the URI. */
    Answer get(URI uri) {
        return get(uri, null);
    }

    /** GET the URI and parse the body as a JSON object; fails when the body is not one. */
    Map<String, Object> json(URI uri) {
        Answer a = get(uri);
        if (a.status() < 0) {
            throw new IllegalStateException("GET " + uri + " failed: " + a.body());
        }
        return MiniJson.object(a.body());
    }
}
