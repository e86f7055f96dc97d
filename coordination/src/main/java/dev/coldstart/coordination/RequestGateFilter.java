package dev.coldstart.coordination;

import dev.coldstart.coordination.internal.GateQueue;
import dev.coldstart.core.Checks;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RequestGate} as a {@code jakarta.servlet} {@link Filter}, for any Servlet 5.0+
 * container (Jetty ee9/ee10, Tomcat 10+, Undertow). Same rules as the gate: requests wait in the
 * gate's bounded FIFO queue until the service is ready, each with its deadline; a full queue or a
 * passed deadline is answered {@code 503} with {@code Retry-After}.
 *
 * <p>When the request supports asynchronous processing ({@code asyncSupported} on the filter and
 * servlet), a waiting request is suspended with {@link ServletRequest#startAsync()} and holds no
 * container thread; when released it is dispatched again ({@link AsyncContext#dispatch()}) and
 * reaches the servlet with {@link DispatcherType#ASYNC}; filters mapped for {@code ASYNC} see it a
 * second time, this one lets it through. Releases are dispatched in arrival order. Without async
 * support the container thread waits (bounded by the deadline), as a servlet container requires.
 *
 * <p>Register it programmatically, since it needs the gate:
 * <pre>{@code
 * FilterRegistration.Dynamic f = servletContext.addFilter("gate", new RequestGateFilter(gate));
 * f.setAsyncSupported(true);
 * f.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/api/*");
 * }</pre>
 *
 * <p>The servlet API is a {@code provided} dependency of this module: the container supplies it.
 * Thread-safe.
 */
public final class RequestGateFilter implements Filter {
    private static final Logger log = LoggerFactory.getLogger(RequestGateFilter.class);
    private static final String RELEASED = RequestGateFilter.class.getName() + ".released";
    /** Margin over the gate's deadline for the container's own async timeout, which must never fire first. */
    private static final long CONTAINER_TIMEOUT_MARGIN_MILLIS = 5_000;

    private final RequestGate gate;
    private final GateQueue queue;

    /**
     * Creates the filter.
     *
     * @param gate the gate whose queue the filter shares; not null
     */
    public RequestGateFilter(RequestGate gate) {
        this.gate = Checks.notNull(gate, "gate");
        this.queue = gate.queue();
    }

    /**
     * Lets the request through, holds it, or answers {@code 503}.
     *
     * @param request the request
     * @param response the response
     * @param chain the rest of the chain
     * @throws IOException if writing the 503 or the rest of the chain fails
     * @throws ServletException if the rest of the chain fails
     */
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(RELEASED) != null) {
            request.removeAttribute(RELEASED);
            chain.doFilter(request, response);
            return;
        }
        if (queue.isOpen()) {
            chain.doFilter(request, response);
            return;
        }
        if (request.isAsyncSupported()) {
            suspend(request, response);
        } else {
            waitOnThread(request, response, chain);
        }
    }

    private void suspend(ServletRequest request, ServletResponse response) throws IOException {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(gate.maxWait().toMillis() + CONTAINER_TIMEOUT_MARGIN_MILLIS);
        AsyncWaiter waiter = new AsyncWaiter(async, request);
        GateQueue.Offer offer = queue.offerTicket(waiter);
        switch (offer.admission()) {
            case PASS:
                // Ready between the check and the offer: go on through an immediate dispatch.
                request.setAttribute(RELEASED, Boolean.TRUE);
                async.dispatch();
                break;
            case QUEUED:
                async.addListener(new CancelOnFailure(offer.ticket()));
                break;
            case FULL:
                writeUnavailable((HttpServletResponse) response, GateQueue.Rejection.QUEUE_FULL);
                async.complete();
                break;
            default:
                writeUnavailable((HttpServletResponse) response, GateQueue.Rejection.STOPPED);
                async.complete();
                break;
        }
    }

    private void waitOnThread(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        BlockingWaiter waiter = new BlockingWaiter();
        GateQueue.Offer offer = queue.offerTicket(waiter);
        switch (offer.admission()) {
            case PASS:
                chain.doFilter(request, response);
                return;
            case FULL:
                writeUnavailable((HttpServletResponse) response, GateQueue.Rejection.QUEUE_FULL);
                return;
            case STOPPED:
                writeUnavailable((HttpServletResponse) response, GateQueue.Rejection.STOPPED);
                return;
            default:
                break;
        }
        boolean settled;
        try {
            settled = waiter.done.await(gate.maxWait().toMillis() + CONTAINER_TIMEOUT_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            settled = false;
        }
        if (!settled) {
            if (queue.cancel(offer.ticket())) {
                writeUnavailable((HttpServletResponse) response, GateQueue.Rejection.DEADLINE);
                return;
            }
            // Settled by the gate at this very moment: its answer is on the way.
            awaitUninterruptibly(waiter.done);
        }
        if (waiter.ticket != null) {
            waiter.ticket.admitted();
            chain.doFilter(request, response);
        } else {
            writeUnavailable((HttpServletResponse) response, waiter.rejection);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeUnavailable(HttpServletResponse response, GateQueue.Rejection why) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        byte[] body = queue.body(why);
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", queue.retryAfterSeconds());
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    @Override
    public String toString() {
        return "RequestGateFilter{" + gate + '}';
    }

    /** A suspended request, dispatched again when released. */
    private final class AsyncWaiter implements GateQueue.Waiter {
        private final AsyncContext async;
        private final ServletRequest request;

        AsyncWaiter(AsyncContext async, ServletRequest request) {
            this.async = async;
            this.request = request;
        }

        @Override
        public void release(GateQueue.Ticket ticket) {
            try {
                request.setAttribute(RELEASED, Boolean.TRUE);
                async.dispatch();
            } finally {
                ticket.admitted();
            }
        }

        @Override
        public void reject(GateQueue.Rejection why) {
            async.start(() -> {
                try {
                    writeUnavailable((HttpServletResponse) async.getResponse(), why);
                } catch (IOException | RuntimeException e) {
                    log.debug("{} - writing a 503 failed: {}", gate.name(), e.toString());
                } finally {
                    async.complete();
                }
            });
        }
    }

    /** A request whose container thread waits. */
    private static final class BlockingWaiter implements GateQueue.Waiter {
        final CountDownLatch done = new CountDownLatch(1);
        volatile GateQueue.Ticket ticket;
        volatile GateQueue.Rejection rejection;

        @Override
        public void release(GateQueue.Ticket ticket) {
            this.ticket = ticket;
            done.countDown();
        }

        @Override
        public void reject(GateQueue.Rejection why) {
            this.rejection = why;
            done.countDown();
        }
    }

    /** Takes a suspended request out of the queue when the container gives up on it. */
    private final class CancelOnFailure implements AsyncListener {
        private final GateQueue.Ticket ticket;

        CancelOnFailure(GateQueue.Ticket ticket) {
            this.ticket = ticket;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            queue.cancel(ticket);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (queue.cancel(ticket)) {
                try {
                    writeUnavailable((HttpServletResponse) event.getAsyncContext().getResponse(), GateQueue.Rejection.DEADLINE);
                } catch (IOException e) {
                    log.debug("{} - writing a 503 failed: {}", gate.name(), e.toString());
                }
                event.getAsyncContext().complete();
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            queue.cancel(ticket);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // Not started again by this filter.
        }
    }
}
