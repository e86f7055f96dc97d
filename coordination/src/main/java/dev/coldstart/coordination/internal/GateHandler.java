package dev.coldstart.coordination.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request gate as a Jetty 12 core {@link Handler.Wrapper}. A request that may pass goes to the
 * wrapped handler at once; one that must wait is suspended (the handler returns {@code true}
 * without completing the callback, so no thread is held) and handed to the wrapped handler on a
 * Jetty thread when the gate releases it, or answered {@code 503} with {@code Retry-After}.
 *
 * <p>Released requests reach a {@link Invocable.InvocationType#NON_BLOCKING non-blocking} wrapped
 * handler one after the other, in arrival order, on one Jetty thread at a time. A blocking wrapped
 * handler gets each released request on its own Jetty thread, submitted in arrival order. A client
 * that goes away while waiting leaves the queue. Thread-safe.
 */
public final class GateHandler extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(GateHandler.class);

    private final String name;
    private final GateQueue gate;
    private final ConcurrentLinkedQueue<Runnable> serial = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean serialRunning = new AtomicBoolean();

    /**
     * Creates the handler.
     *
     * @param name the gate's name, for logs
     * @param gate the shared engine
     * @param next the handler to protect; may be null and set later
     */
    public GateHandler(String name, GateQueue gate, Handler next) {
        super(next);
        this.name = name;
        this.gate = gate;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        if (gate.isOpen()) {
            return next.handle(request, response, callback);
        }
        Waiting waiting = new Waiting(request, response, callback);
        GateQueue.Offer offer = gate.offerTicket(waiting);
        switch (offer.admission()) {
            case PASS:
                return next.handle(request, response, callback);
            case QUEUED:
                GateQueue.Ticket ticket = offer.ticket();
                request.addFailureListener(failure -> {
                    if (gate.cancel(ticket)) {
                        log.debug("{} - a waiting client went away: {}", name, failure.toString());
                        callback.failed(failure);
                    }
                });
                return true;
            case FULL:
                unavailable(response, callback, GateQueue.Rejection.QUEUE_FULL);
                return true;
            default:
                unavailable(response, callback, GateQueue.Rejection.STOPPED);
                return true;
        }
    }

    private void unavailable(Response response, Callback callback, GateQueue.Rejection why) {
        if (response.isCommitted()) {
            callback.failed(new IllegalStateException("response already committed"));
            return;
        }
        byte[] body = gate.body(why);
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, gate.retryAfterSeconds());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private void runSerially(Executor executor, Runnable task) {
        serial.add(task);
        if (serialRunning.compareAndSet(false, true)) {
            executor.execute(this::drainSerial);
        }
    }

    private void drainSerial() {
        while (true) {
            Runnable r;
            while ((r = serial.poll()) != null) {
                r.run();
            }
            serialRunning.set(false);
            // A task added after the poll above and before the flag was cleared must not be stranded.
            if (serial.isEmpty() || !serialRunning.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** A suspended request. */
    private final class Waiting implements GateQueue.Waiter {
        private final Request request;
        private final Response response;
        private final Callback callback;

        Waiting(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void release(GateQueue.Ticket ticket) {
            Executor executor = request.getComponents().getExecutor();
            Handler next = getHandler();
            if (next != null && next.getInvocationType() == Invocable.InvocationType.NON_BLOCKING) {
                // handle() returns quickly: later arrivals wait until it has, so none overtakes.
                runSerially(executor, () -> {
                    try {
                        handleReleased();
                    } finally {
                        ticket.admitted();
                    }
                });
            } else {
                // A blocking handler may hold its thread for the whole request: do not hold the gate with it.
                executor.execute(() -> {
                    ticket.admitted();
                    handleReleased();
                });
            }
        }

        private void handleReleased() {
            try {
                Handler next = getHandler();
                if (next == null || !next.handle(request, response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable x) {
                log.debug("{} - the released request failed in its handler: {}", name, x.toString());
                Response.writeError(request, response, callback, x);
            }
        }

        @Override
        public void reject(GateQueue.Rejection why) {
            request.getComponents().getExecutor().execute(() -> unavailable(response, callback, why));
        }
    }
}
