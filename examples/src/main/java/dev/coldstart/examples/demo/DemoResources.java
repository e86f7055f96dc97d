package dev.coldstart.examples.demo;

import dev.coldstart.coordination.ProbeEndpoint;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.core.Json;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.resources.CpuQuota;
import dev.coldstart.resources.CpuThrottleMonitor;
import dev.coldstart.resources.DiskLatencyMonitor;
import dev.coldstart.resources.FileDescriptorBudget;
import dev.coldstart.resources.FileDescriptorMonitor;
import dev.coldstart.resources.FileDescriptorPreflight;
import dev.coldstart.resources.LoadShedder;
import dev.coldstart.resources.MemoryPressureMonitor;
import dev.coldstart.resources.ResourceBudgetException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's resource guards, built from {@link DemoResourcesConfig}: the file-descriptor preflight
 * over the pool, the HTTP connections and the headroom ({@value #PREFLIGHT}, required, before the
 * pool opens); the file-descriptor, memory, CPU-throttle and (with a data directory) disk monitors as
 * optional components; one {@link LoadShedder} that the file-descriptor and memory monitors raise and
 * that {@link #guard(Handler)} consults for every {@code /api/} request and {@code /ws/} upgrade
 * (503 with {@code Retry-After: 1} while shedding); the HTTP threads and the orchestrator's parallel
 * starts sized from the cgroup CPU quota; start deadlines stretched while the CPU throttle monitor
 * sees throttling.
 *
 * <p>The CPU monitor and the disk monitor do not shed: throttling stretches deadlines (CS-28) and disk
 * pressure defers non-critical writes through {@link #disk()} (CS-29), as the resources module
 * intends. Thread-safe after construction.
 */
public final class DemoResources {
    private static final Logger log = LoggerFactory.getLogger(DemoResources.class);

    /** Name of the file-descriptor preflight component. */
    public static final String PREFLIGHT = FileDescriptorPreflight.DEFAULT_NAME;
    /** Budget entry of the demo's HTTP server. */
    public static final String HTTP_ENTRY = "demo-http";
    /** {@code Retry-After} of a shed request, in seconds: 1. */
    public static final int RETRY_AFTER_SECONDS = 1;
    /** HTTP threads per effective CPU: 8, so 16 on 2 CPUs (the probe endpoint's default). */
    static final double HTTP_THREADS_PER_CPU = 8.0;
    /** Most HTTP threads, whatever the quota: 64. */
    static final int MAX_HTTP_THREADS = 64;
    /** Parallel component starts per effective CPU: 4, at least 2 and at most the orchestrator's default 8. */
    static final double STARTS_PER_CPU = 4.0;

    private final DemoResourcesConfig config;
    private final LoadShedder shedder = LoadShedder.create();
    private final FileDescriptorPreflight preflight;
    private final FileDescriptorMonitor fileDescriptors;
    private final MemoryPressureMonitor memory;
    private final CpuThrottleMonitor cpu;
    private final DiskLatencyMonitor disk;
    private final int poolSize;
    private final int httpConnections;

    /**
     * Builds the guards; nothing runs until the orchestrator starts the components.
     *
     * @param config the settings; not null
     * @param poolEntry the pool's component name, its budget entry
     * @param configuredPoolSize the pool's configured maximum size, at least 1
     */
    DemoResources(DemoResourcesConfig config, String poolEntry, int configuredPoolSize) {
        this.config = config;
        FileDescriptorBudget budget = FileDescriptorBudget.builder()
                .entry(poolEntry, configuredPoolSize)
                .entry(HTTP_ENTRY, config.httpMaxConnections())
                .headroom(config.fileDescriptorHeadroom())
                .onExceeded(config.onFileDescriptorBudgetExceeded())
                .build();
        this.preflight = FileDescriptorPreflight.of(PREFLIGHT, budget);
        int pool = configuredPoolSize;
        int http = config.httpMaxConnections();
        if (config.onFileDescriptorBudgetExceeded() == FileDescriptorBudget.OnExceeded.SCALE_DOWN) {
            // The pool takes its size when it is built, so a scaled plan is needed now; the component
            // checks again at start and fails there, with the numbers, if even the minimums do not fit.
            try {
                pool = preflight.check().granted(poolEntry);
                http = preflight.plan().granted(HTTP_ENTRY);
            } catch (ResourceBudgetException e) {
                log.debug("demo-resources - no plan at construction, {} will report it: {}", PREFLIGHT, e.getMessage());
            }
        }
        this.poolSize = pool;
        this.httpConnections = http;
        this.fileDescriptors = FileDescriptorMonitor.of(config.fileDescriptorMonitor(), shedder);
        this.memory = MemoryPressureMonitor.of(config.memoryPressure(), shedder);
        this.cpu = CpuThrottleMonitor.of(config.cpuThrottle());
        this.disk = config.dataDirectory() == null ? null : DiskLatencyMonitor.of(config.dataDirectory(), config.diskLatency());
        CpuQuota quota = cpu.quota();
        log.info("demo-resources - {} effective CPUs ({}); {} HTTP threads, {} parallel starts; pool {}, HTTP connections {}",
                quota.effectiveCpus(), quota, httpThreads(), parallelStarts(), poolSize, httpConnections);
    }

    /**
     * Adds the preflight (required), the monitors (optional) and the deadline stretch to the
     * orchestrator, and sizes its parallel starts from the CPU quota.
     *
     * @param components the orchestrator's builder
     */
    void addTo(StartupOrchestrator.Builder components) {
        components.component(preflight)
                .component(fileDescriptors)
                .component(memory)
                .component(cpu)
                .maxParallelStarts(parallelStarts())
                .startDeadlineStretch(cpu.deadlineStretch());
        if (disk != null) {
            components.component(disk);
        }
    }

    /**
     * The component, made to start only once the preflight has checked the budget; every other
     * method is the component's own.
     *
     * @param component a component that opens descriptors (the pool)
     * @return a component of the same name that depends on {@value #PREFLIGHT} as well
     */
    static Component afterPreflight(Component component) {
        Set<String> dependsOn = new HashSet<>(component.dependsOn());
        dependsOn.add(PREFLIGHT);
        Set<String> all = Set.copyOf(dependsOn);
        return new Component() {
            @Override
            public String name() {
                return component.name();
            }

            @Override
            public Set<String> dependsOn() {
                return all;
            }

            @Override
            public boolean required() {
                return component.required();
            }

            @Override
            public void start() throws Exception {
                component.start();
            }

            @Override
            public Health probe() throws Exception {
                return component.probe();
            }

            @Override
            public void stop(Duration drainTimeout) throws Exception {
                component.stop(drainTimeout);
            }

            @Override
            public String toString() {
                return component.toString();
            }
        };
    }

    /**
     * Wraps the demo's request handler: while the shedder sheds, {@code /api/} requests and
     * {@code /ws/} upgrades get 503 with {@code Retry-After} and the reason; the probes are not wrapped.
     *
     * @param next the handler of the API and the WebSocket endpoint
     * @return the guarded handler
     */
    Handler guard(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (shedder.shouldShed()) {
                    String path = Request.getPathInContext(request);
                    if (path.startsWith("/api/") || path.startsWith("/ws/")) {
                        shedder.recordShed();
                        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
                        response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                        String reason = shedder.reason();
                        String body = "{\"error\":\"overloaded, retry shortly\",\"reason\":" + Json.quote(reason == null ? "" : reason) + "}";
                        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                        return true;
                    }
                }
                return super.handle(request, response, callback);
            }
        };
    }

    /**
     * The pool size to build the pool with: the configured size, or the preflight's scaled-down share
     * under {@link FileDescriptorBudget.OnExceeded#SCALE_DOWN}.
     *
     * @return at least 1
     */
    int poolSize() {
        return poolSize;
    }

    /**
     * The HTTP server's threads, sized from the effective CPUs of the cgroup quota.
     *
     * @return between 6 and {@value #MAX_HTTP_THREADS}
     */
    int httpThreads() {
        return cpu.quota().threads(HTTP_THREADS_PER_CPU, ProbeEndpoint.MIN_MAX_THREADS, MAX_HTTP_THREADS);
    }

    private int parallelStarts() {
        return cpu.quota().threads(STARTS_PER_CPU, 2, StartupOrchestrator.Builder.DEFAULT_MAX_PARALLEL_STARTS);
    }

    /**
     * The settings.
     *
     * @return the settings
     */
    public DemoResourcesConfig config() {
        return config;
    }

    /**
     * The one shedder of the demo.
     *
     * @return the shedder; thread-safe
     */
    public LoadShedder shedder() {
        return shedder;
    }

    /**
     * The file-descriptor preflight.
     *
     * @return the preflight
     */
    public FileDescriptorPreflight preflight() {
        return preflight;
    }

    /**
     * The file-descriptor monitor.
     *
     * @return the monitor
     */
    public FileDescriptorMonitor fileDescriptors() {
        return fileDescriptors;
    }

    /**
     * The memory monitor.
     *
     * @return the monitor
     */
    public MemoryPressureMonitor memory() {
        return memory;
    }

    /**
     * The CPU throttle monitor, which also knows the quota.
     *
     * @return the monitor
     */
    public CpuThrottleMonitor cpu() {
        return cpu;
    }

    /**
     * The disk monitor, through which non-critical writes go.
     *
     * @return the monitor, or null without {@link DemoResourcesConfig#dataDirectory()}
     */
    public DiskLatencyMonitor disk() {
        return disk;
    }
}
