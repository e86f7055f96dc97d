package dev.coldstart.coordination.internal;

import dev.coldstart.coordination.ServiceInstance;
import dev.coldstart.coordination.ServiceNotFoundException;
import dev.coldstart.coordination.ServiceRegistry;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ColdstartException;
import dev.coldstart.core.NonRetryableException;
import dev.coldstart.core.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The waiting lookup behind {@link ServiceRegistry#awaitInstance}. Stateless and thread-safe. */
public final class Discovery {
    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    private Discovery() {
    }

    /**
     * Looks a service up until it has a live instance or the timeout passes.
     *
     * @param registry where to look
     * @param service the service's name
     * @param timeout how long to wait; positive
     * @param backoff the backoff between lookups
     * @return a live instance chosen at random
     * @throws ServiceNotFoundException when the timeout passes first
     * @throws ColdstartException if interrupted (the interrupt flag is restored)
     */
    public static ServiceInstance await(ServiceRegistry registry, String service, Duration timeout, RetryPolicy backoff) {
        Checks.positive(timeout, "timeout");
        Checks.notNull(backoff, "backoff");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Instant deadlineInstant = Instant.now().plus(timeout);
        int lookups = 0;
        RuntimeException lastFailure = null;
        while (true) {
            lookups++;
            try {
                List<ServiceInstance> found = registry.lookup(service);
                if (!found.isEmpty()) {
                    ServiceInstance chosen = found.get(ThreadLocalRandom.current().nextInt(found.size()));
                    if (lookups > 1) {
                        log.info("{} - found instance {} at {} after {} ms and {} lookups", service, chosen.id(),
                                chosen.authority(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), lookups);
                    }
                    return chosen;
                }
                lastFailure = null;
            } catch (NonRetryableException | IllegalStateException e) {
                throw e;
            } catch (RuntimeException e) {
                lastFailure = e;
                log.debug("{} - lookup {} failed: {}", service, lookups, e.toString());
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new ServiceNotFoundException(message(registry, service, timeout, deadlineInstant, lookups,
                        lastFailure), service, timeout, deadlineInstant, lookups, lastFailure);
            }
            long delay = Math.min(remaining, Backoff.delayNanos(backoff, lookups));
            log.debug("{} - no live instance yet, looking again in {} ms", service, TimeUnit.NANOSECONDS.toMillis(delay));
            Backoff.park(delay, "waiting for an instance of '" + service + "' to register");
        }
    }

    private static String message(ServiceRegistry registry, String service, Duration timeout, Instant deadline,
            int lookups, RuntimeException lastFailure) {
        return "no live instance of service '" + service + "' in " + registry + " within "
                + String.format(Locale.ROOT, "%.1f s", timeout.toMillis() / 1000.0) + " (deadline " + deadline + ", "
                + lookups + " lookups)"
                + (lastFailure == null ? "" : "; the last lookup failed: " + lastFailure.getMessage())
                + ". Instances register once they are READY: check that '" + service + "' runs and is READY, that it "
                + "registers in the same registry, or wait longer";
    }
}
