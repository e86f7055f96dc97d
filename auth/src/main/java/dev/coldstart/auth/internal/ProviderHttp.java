package dev.coldstart.auth.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.coldstart.auth.IdentityProviderException;
import dev.coldstart.auth.ProviderResponseException;
import dev.coldstart.auth.ProviderStatusException;
import dev.coldstart.auth.ProviderTimeoutException;
import dev.coldstart.auth.ProviderUnreachableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP to an identity provider with the JDK client, turning each failure into its own exception
 * type (slow, down, error status, invalid body). The JDK client is used rather than Nimbus's
 * {@code DefaultResourceRetriever} because the latter reports all of these as {@link IOException}.
 * Thread-safe.
 */
public final class ProviderHttp {
    private final String name;
    private final HttpClient client;
    private final Duration requestTimeout;

    /** A response: status and body. */
    public record Response(int status, String body) {
    }

    /**
     * Creates the client.
     *
     * @param name the provider's or client's name, for messages
     * @param connectTimeout the TCP connect timeout
     * @param requestTimeout the time until the response must have arrived
     */
    public ProviderHttp(String name, Duration connectTimeout, Duration requestTimeout) {
        this.name = name;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: no h2c upgrade attempt on plain http, which some proxies and providers mishandle.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * GETs a JSON document that must answer 200.
     *
     * @param uri the URL
     * @param what what is fetched, for messages ("discovery document", "JWKS")
     * @return the body
     * @throws IdentityProviderException typed by failure
     * @throws InterruptedException if interrupted
     */
    public String getJson(URI uri, String what) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", "application/json").GET().build();
        Response r = send(request, what);
        if (r.status() != 200) {
            throw statusError(uri, what, r.status(), null);
        }
        return r.body();
    }

    /**
     * Sends a request and returns whatever status came back.
     *
     * @param request the request
     * @param what what is requested, for messages
     * @return the response
     * @throws IdentityProviderException if no response arrived (timeout, refused, reset)
     * @throws InterruptedException if interrupted
     */
    public Response send(HttpRequest request, String what) throws InterruptedException {
        URI uri = request.uri();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body());
        } catch (HttpConnectTimeoutException e) {
            throw new ProviderUnreachableException(name, uri, name + " - " + request.method() + " " + uri + " (" + what
                    + ") could not connect within the connect timeout; expected the provider to accept connections. "
                    + "Check that it runs and that the URL is right", e);
        } catch (HttpTimeoutException e) {
            throw new ProviderTimeoutException(name, uri, name + " - " + request.method() + " " + uri + " (" + what
                    + ") got no response within the request timeout of " + seconds(requestTimeout)
                    + "; expected an answer within it. The provider is slow or overloaded: check its health or raise "
                    + "requestTimeout", e);
        } catch (ConnectException e) {
            throw new ProviderUnreachableException(name, uri, name + " - " + request.method() + " " + uri + " (" + what
                    + ") could not connect (connection refused); expected the provider to listen there. Check that it "
                    + "runs and that the URL is right", e);
        } catch (IOException e) {
            throw new ProviderUnreachableException(name, uri, name + " - " + request.method() + " " + uri + " (" + what
                    + ") failed before a response arrived: " + describe(e) + "; expected the provider to accept the "
                    + "connection and answer. Check that it runs and that the URL is right", e);
        }
    }

    /**
     * The exception for an unexpected status.
     *
     * @param uri the URL
     * @param what what was requested
     * @param status the status
     * @param detail an extra sentence, or null
     * @return the exception
     */
    public ProviderStatusException statusError(URI uri, String what, int status, String detail) {
        return new ProviderStatusException(name, uri, status, name + " - GET " + uri + " (" + what + ") answered HTTP "
                + status + "; expected 200." + (detail == null ? "" : " " + detail) + " The provider failed, is "
                + "starting, or the URL is wrong: check the provider's logs and the configured URL");
    }

    /**
     * Parses a JSON object, turning a parse failure into {@link ProviderResponseException}.
     *
     * @param uri the URL it came from
     * @param what what it is, for messages
     * @param body the body
     * @param echo whether the start of the body may appear in the message (never for token responses)
     * @return the object's members
     * @throws ProviderResponseException if it is not a JSON object
     */
    public Map<String, Object> parseObject(URI uri, String what, String body, boolean echo) {
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw invalid(uri, what, "is not a JSON object (" + e.getMessage() + ")"
                    + (echo ? ", it starts with '" + start(body) + "'" : ""), e);
        }
    }

    /**
     * The exception for a body that is not what the protocol requires.
     *
     * @param uri the URL
     * @param what what was requested
     * @param problem what is wrong with it
     * @param cause the parse failure, or null
     * @return the exception
     */
    public ProviderResponseException invalid(URI uri, String what, String problem, Throwable cause) {
        return new ProviderResponseException(name, uri, name + " - " + uri + " (" + what + ") answered 200 but the body "
                + problem + "; expected a valid " + what + ". Check that the URL points at the identity provider "
                + "and not at a proxy error or login page", cause);
    }

    private static String start(String body) {
        if (body == null) {
            return "";
        }
        String s = body.strip().replace('\n', ' ').replace('\r', ' ');
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
