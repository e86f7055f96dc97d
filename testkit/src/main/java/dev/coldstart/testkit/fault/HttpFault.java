package dev.coldstart.testkit.fault;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link FaultyHttpPeer} answers instead of (or on top of) its normal stub: the failures
 * of a dependency such as an identity provider during a cold start. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@link #none()}: the normal stub.</li>
 *   <li>{@link #slow(Duration)}: the normal stub after a fixed delay (the status line is sent
 *       after the delay, so a client's request or read timeout shorter than it fires).</li>
 *   <li>{@link #serverError()} and {@link #status(int)}: that status with a short plain-text body.</li>
 *   <li>{@link #invalidJson()}: {@code 200}, {@code application/json}, and a body that is cut off
 *       mid-document ({@value #INVALID_JSON_BODY}).</li>
 *   <li>{@link #wrongContentType()}: {@code 200} with an HTML page as {@code text/html}, as a
 *       captive portal or a misrouted proxy sends.</li>
 *   <li>{@link #connectionReset()}: the server closes the connection with a TCP RST instead of
 *       answering; the client gets an {@link java.io.IOException}.</li>
 *   <li>{@link #emptyResponse()}: the server closes the connection without sending a byte.</li>
 * </ul>
 */
public final class HttpFault {
    /** The body of {@link #invalidJson()}: a JWKS document cut off mid-way. */
    public static final String INVALID_JSON_BODY = "{\"keys\": [{\"kty\": \"RSA\", \"kid\": ";
    /** The body of {@link #wrongContentType()}. */
    public static final String WRONG_CONTENT_TYPE_BODY =
            "<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>";
    /** The content type of {@link #wrongContentType()}. */
    public static final String WRONG_CONTENT_TYPE = "text/html; charset=utf-8";

    /** The kind of fault. */
    public enum Kind {
        /** The normal stub. */
        NONE,
        /** The normal stub after a delay. */
        SLOW,
        /** A chosen status. */
        STATUS,
        /** {@code 200 application/json} with a truncated body. */
        INVALID_JSON,
        /** {@code 200 text/html} with an HTML page. */
        WRONG_CONTENT_TYPE,
        /** A TCP reset instead of an answer. */
        CONNECTION_RESET,
        /** The connection closed without an answer. */
        EMPTY_RESPONSE
    }

    private static final HttpFault NONE = new HttpFault(Kind.NONE, Duration.ZERO, 0);
    private static final HttpFault INVALID_JSON = new HttpFault(Kind.INVALID_JSON, Duration.ZERO, 200);
    private static final HttpFault WRONG_CONTENT = new HttpFault(Kind.WRONG_CONTENT_TYPE, Duration.ZERO, 200);
    private static final HttpFault RESET = new HttpFault(Kind.CONNECTION_RESET, Duration.ZERO, 0);
    private static final HttpFault EMPTY = new HttpFault(Kind.EMPTY_RESPONSE, Duration.ZERO, 0);

    private final Kind kind;
    private final Duration delay;
    private final int status;

    private HttpFault(Kind kind, Duration delay, int status) {
        this.kind = kind;
        this.delay = delay;
        this.status = status;
    }

    /**
     * No fault: the normal stub.
     *
     * @return the shared instance
     */
    public static HttpFault none() {
        return NONE;
    }

    /**
     * The normal stub after a fixed delay.
     *
     * @param delay positive, at most 1 hour
     * @return the fault
     * @throws ConfigurationException if null, not positive or longer than an hour
     */
    public static HttpFault slow(Duration delay) {
        Checks.positive(delay, "delay");
        Checks.check(delay.compareTo(Duration.ofHours(1)) <= 0, "delay must be at most PT1H, but was " + delay);
        return new HttpFault(Kind.SLOW, delay, 0);
    }

    /**
     * {@code 500 Internal Server Error}.
     *
     * @return the fault
     */
    public static HttpFault serverError() {
        return status(500);
    }

    /**
     * A chosen status with a short plain-text body.
     *
     * @param status 100-599
     * @return the fault
     * @throws ConfigurationException if out of range
     */
    public static HttpFault status(int status) {
        Checks.check(status >= 100 && status <= 599, "status must be between 100 and 599, but was " + status);
        return new HttpFault(Kind.STATUS, Duration.ZERO, status);
    }

    /**
     * {@code 200 application/json} with a truncated body ({@value #INVALID_JSON_BODY}).
     *
     * @return the shared instance
     */
    public static HttpFault invalidJson() {
        return INVALID_JSON;
    }

    /**
     * {@code 200} with an HTML page as {@value #WRONG_CONTENT_TYPE}.
     *
     * @return the shared instance
     */
    public static HttpFault wrongContentType() {
        return WRONG_CONTENT;
    }

    /**
     * A TCP reset instead of an answer.
     *
     * @return the shared instance
     */
    public static HttpFault connectionReset() {
        return RESET;
    }

    /**
     * The connection closed without an answer.
     *
     * @return the shared instance
     */
    public static HttpFault emptyResponse() {
        return EMPTY;
    }

    /**
     * The kind.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The delay of a {@link Kind#SLOW} fault.
     *
     * @return the delay; zero for other kinds
     */
    public Duration delay() {
        return delay;
    }

    /**
     * The status a fault answers with.
     *
     * @return the status for {@link Kind#STATUS}, 200 for the two content faults, 0 otherwise
     */
    public int status() {
        return status;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpFault)) {
            return false;
        }
        HttpFault other = (HttpFault) o;
        return kind == other.kind && status == other.status && delay.equals(other.delay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, delay, status);
    }

    @Override
    public String toString() {
        switch (kind) {
            case SLOW:
                return "SLOW(" + delay.toMillis() + "ms)";
            case STATUS:
                return "STATUS(" + status + ")";
            default:
                return kind.name();
        }
    }
}
