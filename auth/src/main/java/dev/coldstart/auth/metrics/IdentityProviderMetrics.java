package dev.coldstart.auth.metrics;

import dev.coldstart.auth.IdentityProvider;
import dev.coldstart.core.Checks;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * Publishes an {@link IdentityProvider}'s JWKS fetches as Micrometer counters. Micrometer is an
 * optional dependency of coldstart-auth: add {@code io.micrometer:micrometer-core} to use this
 * class. The counters read {@link IdentityProvider#stats()} when the registry is scraped.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>value</th></tr>
 * <tr><td>{@code coldstart.auth.jwks.fetches}</td><td>function counter</td><td>{@code provider}, {@code outcome} = {@code all} / {@code failure}</td>
 * <td>JWKS fetches, and the failed ones</td></tr>
 * <tr><td>{@code coldstart.auth.unknown.kid}</td><td>function counter</td><td>{@code provider}, {@code outcome} = {@code refresh} / {@code rejected}</td>
 * <td>refreshes triggered by an unknown {@code kid}, and tokens refused because their {@code kid} stayed unknown</td></tr>
 * </table>
 */
public final class IdentityProviderMetrics {
    private IdentityProviderMetrics() {
    }

    /**
     * Registers the provider's meters.
     *
     * @param provider the identity provider; not null
     * @param registry the registry; not null
     * @param tags added to every meter next to {@code provider} (the provider's name); not null
     * @throws dev.coldstart.core.ConfigurationException if an argument is null
     */
    public static void bind(IdentityProvider provider, MeterRegistry registry, Iterable<Tag> tags) {
        Checks.notNull(provider, "provider");
        Checks.notNull(registry, "registry");
        Checks.notNull(tags, "tags");
        Tags base = Tags.concat(tags, "provider", provider.name());
        FunctionCounter.builder("coldstart.auth.jwks.fetches", provider, p -> p.stats().fetches())
                .tags(base.and("outcome", "all")).description("JWKS fetches").register(registry);
        FunctionCounter.builder("coldstart.auth.jwks.fetches", provider, p -> p.stats().failedFetches())
                .tags(base.and("outcome", "failure")).description("JWKS fetches").register(registry);
        FunctionCounter.builder("coldstart.auth.unknown.kid", provider, p -> p.stats().unknownKeyRefreshes())
                .tags(base.and("outcome", "refresh")).description("tokens with an unknown kid").register(registry);
        FunctionCounter.builder("coldstart.auth.unknown.kid", provider, p -> p.stats().unknownKeyRejections())
                .tags(base.and("outcome", "rejected")).description("tokens with an unknown kid").register(registry);
    }
}
