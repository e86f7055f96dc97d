package dev.coldstart.websocket.internal;

import dev.coldstart.core.TokenRejectedException;
import dev.coldstart.core.VerifiedToken;
import dev.coldstart.websocket.UpgradeAuth;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler in front of the {@code WebSocketUpgradeHandler}: for every upgrade request,
 * in this order, the origin (403, before any auth work), the admission (503 with Retry-After), the
 * token (401, or 503 when the verifier itself fails); only then the upgrade. An admitted handshake
 * holds its in-flight slot until Jetty completes the request's callback, that is until the
 * {@code 101} response is written or the upgrade failed. Requests that are not upgrades pass through.
 * Thread-safe.
 */
final class UpgradeGuard extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(UpgradeGuard.class);
    /** Request attribute carrying the {@link VerifiedToken} to the endpoint. */
    static final String TOKEN_ATTRIBUTE = UpgradeGuard.class.getName() + ".token";
    private static final long VERIFIER_RETRY_AFTER_SECONDS = 5;

    private final ServerRuntime rt;
    private final UpgradeAuth auth;
    private final QueuedThreadPool pool;

    UpgradeGuard(Handler next, ServerRuntime rt, QueuedThreadPool pool) {
        super(next);
        this.rt = rt;
        this.auth = rt.config.auth();
        this.pool = pool;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!request.getHeaders().contains(HttpHeader.UPGRADE, "websocket")) {
            return super.handle(request, response, callback);
        }
        rt.counters.sampleThreads(pool);
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (!rt.config.originPolicy().allows(origin)) {
            rt.counters.forbiddenOrigin.increment();
            reply(response, callback, 403, 0, null, "origin " + (origin == null ? "(none)" : origin) + " is not allowed");
            return true;
        }
        Admission.Decision d = rt.admission.tryAdmit();
        switch (d.outcome()) {
            case REJECTED_RATE -> {
                rt.counters.rejectedByRate.increment();
                reply(response, callback, 503, d.retryAfterSeconds(), null, "upgrade rate limit reached; retry later");
                return true;
            }
            case REJECTED_IN_FLIGHT -> {
                rt.counters.rejectedInFlight.increment();
                reply(response, callback, 503, d.retryAfterSeconds(), null, "too many handshakes in progress; retry later");
                return true;
            }
            default -> rt.counters.recordAdmission(System.nanoTime());
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                rt.admission.release();
            }
        };
        try {
            if (auth.required() && !authenticate(request, response, callback, release)) {
                return true;
            }
            boolean handled = super.handle(request, response, new Releasing(callback, release));
            if (!handled) {
                release.run();
            }
            return handled;
        } catch (Throwable t) {
            release.run();
            throw t;
        }
    }

    /** Verifies the token; on failure answers the request, releases the slot and returns false. */
    private boolean authenticate(Request request, Response response, Callback callback, Runnable release) {
        String token = token(request);
        if (token == null) {
            release.run();
            rt.counters.unauthorized.increment();
            reply(response, callback, 401, 0, "Bearer", "a bearer token is required");
            return false;
        }
        rt.counters.tokenVerifications.increment();
        try {
            VerifiedToken verified = auth.verifier().verify(token);
            request.setAttribute(TOKEN_ATTRIBUTE, verified);
            return true;
        } catch (TokenRejectedException e) {
            release.run();
            rt.counters.unauthorized.increment();
            reply(response, callback, 401, 0, "Bearer error=\"invalid_token\"", "token rejected: " + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            release.run();
            rt.counters.verifierUnavailable.increment();
            log.warn("{} - the token verifier failed ({}); answering 503 so the client retries", rt.config.name(), e.toString());
            reply(response, callback, 503, VERIFIER_RETRY_AFTER_SECONDS, null, "token verification unavailable; retry later");
            return false;
        }
    }

    private String token(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        if (auth.queryParameter() != null) {
            Fields query = Request.extractQueryParameters(request);
            String value = query.getValue(auth.queryParameter());
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        if (auth.cookieName() != null) {
            List<HttpCookie> cookies = Request.getCookies(request);
            if (cookies != null) {
                for (HttpCookie c : cookies) {
                    if (auth.cookieName().equals(c.getName()) && c.getValue() != null && !c.getValue().isBlank()) {
                        return c.getValue();
                    }
                }
            }
        }
        return null;
    }

    private static void reply(Response response, Callback callback, int status, long retryAfterSeconds,
            String wwwAuthenticate, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (retryAfterSeconds > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        if (wwwAuthenticate != null) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, wwwAuthenticate);
        }
        // Rejected clients come back later anyway; closing frees the connection for the next one.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        Content.Sink.write(response, true, message, callback);
    }

    /** Completes the request's callback and then ends the handshake's in-flight slot, once. */
    private static final class Releasing implements Callback {
        private final Callback delegate;
        private final Runnable release;

        Releasing(Callback delegate, Runnable release) {
            this.delegate = delegate;
            this.release = release;
        }

        @Override
        public void succeeded() {
            release.run();
            delegate.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            release.run();
            delegate.failed(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return delegate.getInvocationType();
        }
    }
}
