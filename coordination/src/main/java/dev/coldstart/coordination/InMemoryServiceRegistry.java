package dev.coldstart.coordination;

import dev.coldstart.core.Checks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ServiceRegistry} held in this process's memory, for services that discover each other
 * inside one JVM (and for tests). Registrations have no TTL: they last until deregistered or
 * {@link #close()}. Thread-safe; lookups never block.
 */
public final class InMemoryServiceRegistry implements ServiceRegistry {
    private final Map<String, Map<String, ServiceInstance>> services = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Creates an empty registry; same as {@link ServiceRegistry#inMemory()}. */
    public InMemoryServiceRegistry() {
    }

    @Override
    public void register(ServiceInstance instance) {
        Checks.requireArgument(instance, "instance");
        checkOpen();
        services.computeIfAbsent(instance.service(), s -> new ConcurrentHashMap<>()).put(instance.id(), instance);
    }

    @Override
    public void deregister(ServiceInstance instance) {
        Checks.requireArgument(instance, "instance");
        checkOpen();
        Map<String, ServiceInstance> byId = services.get(instance.service());
        if (byId != null) {
            byId.remove(instance.id());
        }
    }

    @Override
    public List<ServiceInstance> lookup(String service) {
        ServiceInstance.checkName(service, "service");
        checkOpen();
        Map<String, ServiceInstance> byId = services.get(service);
        if (byId == null || byId.isEmpty()) {
            return List.of();
        }
        List<ServiceInstance> list = new ArrayList<>(byId.values());
        list.sort(Comparator.comparing(ServiceInstance::id));
        return List.copyOf(list);
    }

    @Override
    public void close() {
        closed = true;
        services.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("in-memory service registry is closed");
        }
    }

    @Override
    public String toString() {
        return "in-memory service registry";
    }
}
