package dev.coldstart.websocket.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.JettyUpgradeListener;

/**
 * One client connection attempt, as Jetty's listener and upgrade listener: captures the upgrade
 * response's status and {@code Retry-After}, and forwards events to its {@link ClientConnection}
 * with its generation. It demands frames explicitly (not auto-demanding) so that a paused client
 * applies backpressure. Public only because Jetty invokes listener methods through public lookups;
 * not part of the API. Thread-safe.
 */
public final class ClientEndpoint implements Session.Listener, JettyUpgradeListener {
    private final ClientConnection owner;
    private final long generation;
    private volatile Session session;
    private volatile int status;
    private volatile Duration retryAfter;

    ClientEndpoint(ClientConnection owner, long generation) {
        this.owner = owner;
        this.generation = generation;
    }

    long generation() {
        return generation;
    }

    int status() {
        return status;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public void onHandshakeResponse(Request request, Response response) {
        status = response.getStatus();
        retryAfter = parseRetryAfter(response.getHeaders().get("Retry-After"));
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        owner.opened(this, s);
    }

    @Override
    public void onWebSocketText(String text) {
        owner.text(this, session, text);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        owner.controlFrame(this, session);
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        Session s = session;
        if (s != null) {
            s.sendPong(payload, Callback.NOOP);
        }
        owner.controlFrame(this, s);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        owner.controlFrame(this, session);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        owner.closed(this, "error: " + cause);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        owner.closed(this, "closed by the server: " + statusCode + (reason == null ? "" : " " + reason));
        callback.succeed();
    }

    /**
     * Parses a Retry-After value (RFC 9110, section 10.2.3): delay-seconds or an HTTP-date.
     *
     * @param value the header's value, or null
     * @return the delay, or null when absent or unparsable
     */
    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
