package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CS-21 through the servlet filter, in a real Servlet 6.0 container (Jetty ee10) with real HTTP clients. */
class RequestGateFilterTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    /** Records the requests that reach it. */
    static final class RecordingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final transient List<Integer> seen = new CopyOnWriteArrayList<>();

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int n = Integer.parseInt(req.getParameter("n"));
            seen.add(n);
            resp.setContentType("text/plain");
            resp.getWriter().print(n);
        }
    }

    private URI start(RequestGate gate, RecordingServlet servlet, boolean async) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("filter-test");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(async);
        context.addServlet(holder, "/api/*");
        FilterHolder filter = new FilterHolder(new RequestGateFilter(gate));
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        closeAfter.add(server::stop);
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    private CompletableFuture<HttpResponse<String>> send(URI base, int n) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/x?n=" + n)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<CompletableFuture<HttpResponse<String>>> sendQueued(URI base, RequestGate gate, int count) {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long before = gate.stats().queuedTotal();
            responses.add(send(base, i));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2))
                    .until(() -> gate.stats().queuedTotal() > before);
        }
        return responses;
    }

    @Test
    void suspendsRequestsWithoutThreadsAndDispatchesThemOnceReady() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        RequestGate gate = RequestGate.builder().name("filter-gate").readiness(ready::get).maxQueued(40).build();
        closeAfter.add(gate);
        RecordingServlet servlet = new RecordingServlet();
        URI base = start(gate, servlet, true);
        // 8 container threads in all: 30 waiting requests would need 30 if each held one.
        List<CompletableFuture<HttpResponse<String>>> responses = sendQueued(base, gate, 30);
        assertThat(servlet.seen).isEmpty();

        ready.set(true);
        gate.readinessChanged();
        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<String> r = responses.get(i).get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Integer.toString(i));
        }
        assertThat(servlet.seen).hasSize(30).doesNotHaveDuplicates();
        assertThat(gate.stats().released()).isEqualTo(30);
        assertThat(send(base, 77).get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void fullQueueAndPassedDeadlineAnswer503WithRetryAfter() throws Exception {
        // Long enough that the first held request cannot expire (and free a slot) before the fourth arrives.
        RequestGate gate = RequestGate.builder().name("filter-bounds").readiness(() -> false).maxQueued(3)
                .maxWait(Duration.ofSeconds(2)).build();
        closeAfter.add(gate);
        URI base = start(gate, new RecordingServlet(), true);
        List<CompletableFuture<HttpResponse<String>>> held = sendQueued(base, gate, 3);

        HttpResponse<String> full = send(base, 3).get(5, TimeUnit.SECONDS);
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(full.body()).contains("\"reason\":\"queue_full\"");

        for (CompletableFuture<HttpResponse<String>> r : held) {
            HttpResponse<String> answer = r.get(5, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(answer.body()).contains("\"reason\":\"deadline\"");
        }
        assertThat(gate.stats().rejectedDeadline()).isEqualTo(3);
        assertThat(gate.stats().rejectedQueueFull()).isEqualTo(1);
    }

    @Test
    void withoutAsyncSupportTheContainerThreadWaitsWithinTheDeadline() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        RequestGate gate = RequestGate.builder().name("filter-blocking").readiness(ready::get)
                .maxWait(Duration.ofMillis(500)).build();
        closeAfter.add(gate);
        RecordingServlet servlet = new RecordingServlet();
        URI base = start(gate, servlet, false);

        long begin = System.nanoTime();
        HttpResponse<String> timedOut = send(base, 1).get(5, TimeUnit.SECONDS);
        assertThat(timedOut.statusCode()).isEqualTo(503);
        assertThat(timedOut.body()).contains("\"reason\":\"deadline\"");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isBetween(450L, 3_000L);

        List<CompletableFuture<HttpResponse<String>>> held = sendQueued(base, gate, 2);
        ready.set(true);
        for (CompletableFuture<HttpResponse<String>> r : held) {
            assertThat(r.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(servlet.seen).containsExactlyInAnyOrder(0, 1);
    }
}
