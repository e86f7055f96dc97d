package dev.coldstart.coordination;

import dev.coldstart.coordination.internal.Discovery;
import dev.coldstart.core.RetryPolicy;
import java.time.Duration;
import java.util.List;

/**
 * A shared list of the live instances of services, for discovery between services that start in
 * any order.
 *
 * <p>An instance registers once it is READY and deregisters before it stops serving (see
 * {@link ServiceRegistration}, which does both at the right moments). A caller that needs another
 * service waits for it with {@link #awaitInstance(String, Duration)} instead of failing while the
 * other one is still starting. Two implementations ship: {@link RedisServiceRegistry} for several
 * processes (each instance a key with a TTL, kept alive by a heartbeat, so an instance that dies
 * without deregistering disappears within its TTL) and {@link InMemoryServiceRegistry} for one
 * process.
 *
 * <p>Implementations are thread-safe.
 *
 * <pre>{@code
 * try (ServiceRegistry registry = RedisServiceRegistry.builder().redisUri("redis://127.0.0.1:6379").build()) {
 *     ServiceInstance orders = registry.awaitInstance("orders", Duration.ofSeconds(30));
 *     call("http://" + orders.authority() + "/api/orders");
 * }
 * }</pre>
 */
public interface ServiceRegistry extends AutoCloseable {

    /** Backoff of {@link #awaitInstance(String, Duration)}: 20 ms doubling to 1 s, full jitter. */
    RetryPolicy DEFAULT_LOOKUP_BACKOFF = RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(20))
            .maxBackoff(Duration.ofSeconds(1))
            .build();

    /**
     * An in-memory registry for a single process.
     *
     * @return a new, empty registry
     */
    static ServiceRegistry inMemory() {
        return new InMemoryServiceRegistry();
    }

    /**
     * Registers an instance, or replaces the registration of the same service and id; it stays
     * registered until {@link #deregister(ServiceInstance)} or {@link #close()} (or, in a shared
     * store, until its TTL passes without a heartbeat).
     *
     * @param instance not null
     * @throws ServiceRegistryException if the store fails; the instance is then not registered
     * @throws IllegalStateException if the registry is closed
     */
    void register(ServiceInstance instance);

    /**
     * Removes an instance's registration; lookups stop returning it at once. Removing an instance
     * that is not registered does nothing.
     *
     * @param instance not null; matched by service and id
     * @throws ServiceRegistryException if the store fails
     * @throws IllegalStateException if the registry is closed
     */
    void deregister(ServiceInstance instance);

    /**
     * The live instances of a service now, without waiting.
     *
     * @param service the service's name
     * @return an immutable list ordered by id; empty when none is registered
     * @throws ServiceRegistryException if the store fails
     * @throws dev.coldstart.core.ConfigurationException if the name is not a valid service name
     * @throws IllegalStateException if the registry is closed
     */
    List<ServiceInstance> lookup(String service);

    /**
     * Waits until a live instance of a service is registered, looking up again with
     * {@link #DEFAULT_LOOKUP_BACKOFF}, and returns one of them chosen at random.
     *
     * @param service the service's name
     * @param timeout how long to wait; positive
     * @return a live instance
     * @throws ServiceNotFoundException when the timeout passes first; it names the service, the
     *     timeout and the deadline, and carries the last lookup failure if the store failed
     * @throws dev.coldstart.core.ColdstartException if interrupted (the interrupt flag is restored)
     */
    default ServiceInstance awaitInstance(String service, Duration timeout) {
        return awaitInstance(service, timeout, DEFAULT_LOOKUP_BACKOFF);
    }

    /**
     * Same as {@link #awaitInstance(String, Duration)} with another backoff between lookups. Only
     * the policy's backoff and jitter are used.
     *
     * @param service the service's name
     * @param timeout how long to wait; positive
     * @param backoff the backoff between lookups; not null
     * @return a live instance
     * @throws ServiceNotFoundException when the timeout passes first
     * @throws dev.coldstart.core.ColdstartException if interrupted (the interrupt flag is restored)
     */
    default ServiceInstance awaitInstance(String service, Duration timeout, RetryPolicy backoff) {
        return Discovery.await(this, service, timeout, backoff);
    }

    /**
     * Deregisters every instance this registry object registered and releases its resources.
     * Idempotent.
     */
    @Override
    void close();
}
