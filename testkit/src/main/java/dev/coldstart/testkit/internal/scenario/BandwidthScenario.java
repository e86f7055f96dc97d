package dev.coldstart.testkit.internal.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.Component;
import dev.coldstart.core.ComponentReport;
import dev.coldstart.core.Health;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.StartupReport;
import dev.coldstart.coordination.ProbeEndpoint;
import dev.coldstart.resources.TokenBucket;
import dev.coldstart.resources.TransferProgress;
import dev.coldstart.testkit.ResourceProfile;
import dev.coldstart.testkit.ResourceScenarioParameters;
import dev.coldstart.testkit.ScenarioContext;
import dev.coldstart.testkit.fault.TcpFault;
import dev.coldstart.testkit.fault.TcpFaultProxy;
import dev.coldstart.testkit.fault.TcpFaultProxyConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * CS-30 network_bandwidth_limitations: see {@code ResourceScenarios}. A real upstream on 127.0.0.1
 * answers {@code PING} (the dependency probe) and {@code GET <bytes>} (the bulk warm-up) behind the
 * testkit's TCP fault proxy limited to the link's capacity; the service probes its dependencies
 * first, then downloads through a {@link TokenBucket} at the profile's share of the link, while its
 * readiness probe and deep health check (which runs the dependency probes) on coldstart's
 * {@link ProbeEndpoint}, and direct dependency probes, are timed every interval.
 */
public final class BandwidthScenario {
    private static final String DEPENDENCIES_PATH = "/health/dependencies";

    private final ScenarioContext ctx;
    private final ResourceProfile profile;
    private final ResourceScenarioParameters p;

    /**
     * Creates the scenario.
     *
     * @param ctx the context
     * @param profile the user's resource configuration
     * @param p the figures
     */
    public BandwidthScenario(ScenarioContext ctx, ResourceProfile profile, ResourceScenarioParameters p) {
        this.ctx = ctx;
        this.profile = profile;
        this.p = p;
    }

    /**
     * Runs the scenario and asserts its pass criteria.
     *
     * @throws Exception when it cannot run
     */
    public void run() throws Exception {
        ServerSocket upstream = ctx.closeAfter(new ServerSocket(0, 128, InetAddress.getLoopbackAddress()));
        ExecutorService upstreamWorkers = Executors.newCachedThreadPool();
        ctx.closeAfter(upstreamWorkers::shutdownNow);
        Thread acceptor = new Thread(() -> serve(upstream, upstreamWorkers), "cs30-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
        TcpFaultProxy link = ctx.closeAfter(TcpFaultProxy.start(TcpFaultProxyConfig.builder()
                .upstream("127.0.0.1", upstream.getLocalPort())
                .initialFault(TcpFault.bandwidth(p.cs30LinkBytesPerSecond())).build()));
        int linkPort = link.port();

        long rate = (long) (p.cs30LinkBytesPerSecond() * profile.bulkShareOfLink());
        TokenBucket bucket = TokenBucket.of(rate, Math.max(1, rate / 20));
        TransferProgress[] progress = new TransferProgress[1];
        CountDownLatch downloaded = new CountDownLatch(1);
        AtomicReference<String> quarterLine = new AtomicReference<>();
        AtomicReference<Duration> quarterEstimate = new AtomicReference<>();
        long[] received = new long[1];
        // Each dependency is probed over its own kept-open connection, as a pool's SELECT 1 would be.
        PingClient db = ctx.closeAfter(new PingClient(linkPort));
        PingClient auth = ctx.closeAfter(new PingClient(linkPort));
        PingClient direct = ctx.closeAfter(new PingClient(linkPort));
        Component dbProbe = dependencyProbe("db-probe", db);
        Component authProbe = dependencyProbe("auth-probe", auth);
        Component bulk = Component.builder("bulk-warmup").optional().dependsOn("db-probe", "auth-probe").onStart(() -> {
            progress[0] = TransferProgress.start("bulk-warmup", p.cs30DownloadBytes(), Duration.ofSeconds(2));
            try (Socket s = new Socket()) {
                // Reading slowly limits the link only if TCP's window is small: with an autotuned
                // receive buffer of megabytes the sender fills it at the link's full rate first.
                s.setReceiveBufferSize((int) Math.max(16 * 1024, bucket.burstBytes()));
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), linkPort), 5_000);
                s.setSoTimeout(30_000);
                s.getOutputStream().write(("GET " + p.cs30DownloadBytes() + "\n").getBytes(StandardCharsets.US_ASCII));
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = bucket.limit(s.getInputStream())) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        received[0] += n;
                        progress[0].record(n);
                        if (quarterLine.get() == null && progress[0].fraction() >= 0.25) {
                            quarterLine.set(progress[0].describe());
                            quarterEstimate.set(progress[0].estimatedRemaining());
                        }
                    }
                }
            }
            downloaded.countDown();
        }).probe(() -> downloaded.getCount() == 0 ? Health.up() : Health.down("downloading")).build();

        StartupOrchestrator service = ctx.closeAfter(StartupOrchestrator.builder().serviceName("cs30")
                .component(dbProbe).component(authProbe).component(bulk).build());
        List<Long> handlerMillis = new CopyOnWriteArrayList<>();
        // The service's own probe endpoint: /health/ready from the orchestrator, and a dependency
        // check that pings both dependencies over the limited link, as a deep health check does.
        ProbeEndpoint health = ctx.closeAfter(ProbeEndpoint.builder().name("cs30-http").availability(service::availability)
                .handler(new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) throws Exception {
                        if (!DEPENDENCIES_PATH.equals(Request.getPathInContext(request))) {
                            return false;
                        }
                        long h0 = System.nanoTime();
                        boolean up = service.isReady() && db.ping() && auth.ping();
                        handlerMillis.add((System.nanoTime() - h0) / 1_000_000);
                        response.setStatus(up ? 200 : 503);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=us-ascii");
                        Content.Sink.write(response, true, up ? "UP" : "DOWN", callback);
                        return true;
                    }
                }).build().start());
        URL healthUrl = health.uri().resolve(DEPENDENCIES_PATH).toURL();
        URL readyUrl = health.uri().resolve("/health/ready").toURL();

        List<Long> healthMillis = new CopyOnWriteArrayList<>();
        List<Long> readyMillis = new CopyOnWriteArrayList<>();
        List<Long> probeMillis = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
        ctx.closeAfter(prober::shutdownNow);

        // One call each before the measurement: class loading and JIT of the HTTP client and server
        // are this test's cost, not the link's.
        long c0 = System.nanoTime();
        get(healthUrl);
        get(readyUrl);
        direct.ping();
        ctx.figure("coldFirstHealthCheckMillis", (System.nanoTime() - c0) / 1_000_000);

        long t0 = System.nanoTime();
        service.start();
        prober.scheduleAtFixedRate(() -> {
            try {
                long r0 = System.nanoTime();
                int ready = get(readyUrl);
                readyMillis.add((System.nanoTime() - r0) / 1_000_000);
                long h0 = System.nanoTime();
                int code = get(healthUrl);
                healthMillis.add((System.nanoTime() - h0) / 1_000_000);
                if (code != 200 || ready != 200) {
                    failures.add("health answered " + code + ", readiness " + ready);
                }
                long p0 = System.nanoTime();
                if (!direct.ping()) {
                    failures.add("dependency probe failed");
                }
                probeMillis.add((System.nanoTime() - p0) / 1_000_000);
            } catch (IOException | RuntimeException e) {
                failures.add(e.toString());
            }
        }, 0, p.cs30ProbeInterval().toMillis(), TimeUnit.MILLISECONDS);

        long expectedSeconds = p.cs30DownloadBytes() / rate;
        assertThat(downloaded.await(expectedSeconds * 3 + 30, TimeUnit.SECONDS)).as("the warm-up download finished").isTrue();
        prober.shutdownNow();
        prober.awaitTermination(5, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        StartupReport report = service.report();

        long maxHealth = healthMillis.stream().mapToLong(Long::longValue).max().orElse(-1);
        long maxProbe = probeMillis.stream().mapToLong(Long::longValue).max().orElse(-1);
        long maxReady = readyMillis.stream().mapToLong(Long::longValue).max().orElse(-1);
        ctx.figure("downloadSeconds", seconds);
        ctx.figure("downloadBytesPerSecond", received[0] / seconds);
        ctx.figure("limiterBytesPerSecond", rate);
        ctx.figure("healthChecks", healthMillis.size());
        ctx.figure("medianHealthCheckMillis", healthMillis.stream().sorted().skip(healthMillis.size() / 2).findFirst().orElse(-1L));
        ctx.figure("maxHealthCheckMillis", maxHealth);
        ctx.figure("maxReadinessProbeMillis", maxReady);
        ctx.figure("maxDependencyProbeMillis", maxProbe);
        ctx.figure("maxHealthHandlerMillis", handlerMillis.stream().mapToLong(Long::longValue).max().orElse(-1));
        ctx.figure("progressAtQuarter", quarterLine.get());

        assertThat(received[0]).isEqualTo(p.cs30DownloadBytes());
        assertThat(failures).isEmpty();
        assertThat(healthMillis.size()).as("probed throughout the download").isGreaterThanOrEqualTo((int) (expectedSeconds * 1000
                / p.cs30ProbeInterval().toMillis() / 2));
        assertThat(maxHealth).as("health checks under the deadline: %s", healthMillis).isLessThan(p.cs30ProbeDeadline().toMillis());
        assertThat(maxReady).as("readiness probes under the deadline: %s", readyMillis).isLessThan(p.cs30ProbeDeadline().toMillis());
        assertThat(maxProbe).as("dependency probes under the deadline: %s", probeMillis).isLessThan(p.cs30ProbeDeadline().toMillis());
        assertThat(received[0] / seconds).as("the warm-up stays below the link's capacity")
                .isLessThan(p.cs30LinkBytesPerSecond());

        ComponentReport bulkReport = report.component("bulk-warmup");
        for (String critical : List.of("db-probe", "auth-probe")) {
            ComponentReport r = report.component(critical);
            assertThat(r.readyAt()).as("%s healthy before the bulk warm-up started", critical)
                    .isBeforeOrEqualTo(bulkReport.firstAttemptAt());
        }
        assertThat(quarterLine.get()).as("progress with an estimate").contains("MB of").contains("MB/s").contains("left");
        assertThat(quarterEstimate.get()).isNotNull();
        assertThat(quarterEstimate.get().toSeconds()).as("estimate at 25 %% close to the real remaining time")
                .isBetween((long) (expectedSeconds * 0.75 * 0.7), (long) (expectedSeconds * 0.75 * 1.3) + 1);
    }

    /** One GET on a kept-alive connection; the body is read whole so the connection is reused. */
    private static int get(URL url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        int code = c.getResponseCode();
        try (InputStream body = code < 400 ? c.getInputStream() : c.getErrorStream()) {
            if (body != null) {
                body.readAllBytes();
            }
        }
        return code;
    }

    private static Component dependencyProbe(String name, PingClient client) {
        return Component.builder(name).probe(() -> client.ping() ? Health.up() : Health.down("no PONG")).build();
    }

    /** A dependency client over the limited link: one kept-open connection, PING, PONG; reconnects after a failure. */
    private static final class PingClient implements AutoCloseable {
        private final int port;
        private Socket socket;
        private BufferedReader in;

        PingClient(int port) {
            this.port = port;
        }

        synchronized boolean ping() throws IOException {
            if (socket == null) {
                socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.setSoTimeout(5_000);
                socket.setTcpNoDelay(true);
                in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            }
            try {
                socket.getOutputStream().write("PING\n".getBytes(StandardCharsets.US_ASCII));
                return "PONG".equals(in.readLine());
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }

    private static void serve(ServerSocket upstream, ExecutorService workers) {
        while (!upstream.isClosed()) {
            try {
                Socket s = upstream.accept();
                workers.execute(() -> answer(s));
            } catch (IOException | RuntimeException e) {
                return;
            }
        }
    }

    /** Answers PINGs until the client closes; a GET sends the bytes and ends the connection. */
    private static void answer(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            String request;
            while ((request = in.readLine()) != null) {
                if ("PING".equals(request)) {
                    out.write("PONG\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else if (request.startsWith("GET ")) {
                    long left = Long.parseLong(request.substring(4).trim());
                    byte[] chunk = new byte[64 * 1024];
                    while (left > 0) {
                        int n = (int) Math.min(chunk.length, left);
                        out.write(chunk, 0, n);
                        left -= n;
                    }
                    out.flush();
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away: nothing to answer.
        }
    }
}
