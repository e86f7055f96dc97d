package dev.coldstart.examples.demo;

import dev.coldstart.coordination.ProbeEndpoint;
import dev.coldstart.coordination.ServiceInstance;
import dev.coldstart.coordination.ServiceRegistration;
import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.Availability;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.core.StartupListener;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the demo in its service registry through a {@link ServiceRegistration}: once READY,
 * on the port the probe endpoint actually bound, and out again (then a drain delay) before the
 * database components stop. The demo builds its orchestrator before it binds its port, so the
 * {@link ServiceRegistration} is created when this component starts, with the bound port; when the
 * endpoint does not serve (instances started without HTTP, as in the database scenarios) there is
 * nothing to register and it does nothing. Thread-safe.
 */
final class DemoRegistration implements Component, StartupListener {
    private static final Logger log = LoggerFactory.getLogger(DemoRegistration.class);

    /** Name of the registration component. */
    static final String NAME = "demo-registration";
    /** The host registered: the demo serves this machine's clients. */
    static final String ADVERTISED_HOST = "127.0.0.1";

    private final ServiceRegistry registry;
    private final Supplier<ProbeEndpoint> http;
    private final String serviceName;
    private final String instanceId;
    private final Duration drainDelay;
    private final Set<String> dependsOn;
    private volatile ServiceRegistration delegate;

    DemoRegistration(ServiceRegistry registry, Supplier<ProbeEndpoint> http, String serviceName, String instanceId,
            Duration drainDelay, String... dependsOn) {
        this.registry = registry;
        this.http = http;
        this.serviceName = serviceName;
        this.instanceId = instanceId;
        this.drainDelay = drainDelay;
        this.dependsOn = Set.of(dependsOn);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> dependsOn() {
        return dependsOn;
    }

    @Override
    public void start() {
        if (delegate != null) {
            delegate.start();
            return;
        }
        ProbeEndpoint endpoint = http.get();
        if (endpoint == null || !endpoint.isRunning()) {
            log.info("{} - the HTTP endpoint does not serve, so there is nothing to register", NAME);
            return;
        }
        ServiceRegistration r = ServiceRegistration
                .builder(registry, ServiceInstance.of(serviceName, instanceId, ADVERTISED_HOST, endpoint.port()))
                .name(NAME)
                .dependsOn(dependsOn.toArray(String[]::new))
                .drainDelay(drainDelay)
                .build();
        r.start();
        delegate = r;
        log.info("{} - {}/{} on port {} registers in {} once READY", NAME, serviceName, instanceId, endpoint.port(), registry);
    }

    /**
     * Always up: readiness must not wait for the registry, since registration follows readiness.
     *
     * @return {@link Health#up()}
     */
    @Override
    public Health probe() {
        return Health.up();
    }

    @Override
    public void stop(Duration drainTimeout) {
        ServiceRegistration r = delegate;
        if (r != null) {
            r.stop(drainTimeout);
        }
    }

    @Override
    public void onAvailabilityChanged(Availability availability) {
        ServiceRegistration r = delegate;
        if (r != null) {
            r.onAvailabilityChanged(availability);
        }
    }

    /**
     * Whether the instance is registered now.
     *
     * @return true between registration and deregistration
     */
    boolean isRegistered() {
        ServiceRegistration r = delegate;
        return r != null && r.isRegistered();
    }
}
