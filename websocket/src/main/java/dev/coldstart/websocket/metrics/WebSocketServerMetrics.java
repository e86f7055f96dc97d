package dev.coldstart.websocket.metrics;

import dev.coldstart.core.Checks;
import dev.coldstart.websocket.WebSocketServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * Publishes a {@link WebSocketServer}'s upgrade admissions and rejections and its open connections
 * as Micrometer meters. Micrometer is an optional dependency of coldstart-websocket: add
 * {@code io.micrometer:micrometer-core} to use this class. The meters read
 * {@link WebSocketServer#stats()} when the registry is scraped.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>value</th></tr>
 * <tr><td>{@code coldstart.websocket.upgrades}</td><td>function counter</td>
 * <td>{@code outcome} = {@code admitted} / {@code rejected.rate} / {@code rejected.in.flight}</td>
 * <td>upgrade requests admitted, and answered 503 by the token bucket or the cap on handshakes in flight</td></tr>
 * <tr><td>{@code coldstart.websocket.connections}</td><td>gauge</td><td></td><td>WebSocket connections open now</td></tr>
 * </table>
 */
public final class WebSocketServerMetrics {
    private WebSocketServerMetrics() {
    }

    /**
     * Registers the server's meters.
     *
     * @param server the server; not null
     * @param registry the registry; not null
     * @param tags added to every meter; not null
     * @throws dev.coldstart.core.ConfigurationException if an argument is null
     */
    public static void bind(WebSocketServer server, MeterRegistry registry, Iterable<Tag> tags) {
        Checks.notNull(server, "server");
        Checks.notNull(registry, "registry");
        Checks.notNull(tags, "tags");
        Tags base = Tags.of(tags);
        FunctionCounter.builder("coldstart.websocket.upgrades", server, s -> s.stats().upgradesAdmitted())
                .tags(base.and("outcome", "admitted")).description("WebSocket upgrade requests").register(registry);
        FunctionCounter.builder("coldstart.websocket.upgrades", server, s -> s.stats().rejectedByRate())
                .tags(base.and("outcome", "rejected.rate")).description("WebSocket upgrade requests").register(registry);
        FunctionCounter.builder("coldstart.websocket.upgrades", server, s -> s.stats().rejectedInFlight())
                .tags(base.and("outcome", "rejected.in.flight")).description("WebSocket upgrade requests").register(registry);
        Gauge.builder("coldstart.websocket.connections", server, s -> s.stats().openConnections()).tags(base)
                .description("WebSocket connections open now").register(registry);
    }
}
