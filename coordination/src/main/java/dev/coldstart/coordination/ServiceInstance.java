package dev.coldstart.coordination;

import dev.coldstart.core.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One instance of a service as it appears in a {@link ServiceRegistry}: the service's name, the
 * instance's id, where to reach it, and free-form metadata (version, zone).
 *
 * <p>Service names and ids consist of letters, digits, {@code .}, {@code _} and {@code -} (at most
 * 128 characters), so that they can be used in store keys as they are. Immutable and thread-safe.
 *
 * @param service the service's name, for example {@code "orders"}
 * @param id the instance's id, unique within the service, for example a pod name or a UUID
 * @param host the host name or address clients connect to
 * @param port the port clients connect to, 1 to 65535: the port actually bound (see
 *     {@link BoundPort#port()}), not the one that was asked for
 * @param metadata extra attributes; copied, never null
 */
public record ServiceInstance(String service, String id, String host, int port, Map<String, String> metadata) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /**
     * Creates an instance, validating every field.
     *
     * @param service the service's name: letters, digits, {@code .}, {@code _}, {@code -}
     * @param id the instance's id, same characters
     * @param host the host clients connect to; not blank
     * @param port the port clients connect to, 1 to 65535
     * @param metadata extra attributes; not null, no blank keys, no null values
     * @throws dev.coldstart.core.ConfigurationException if a field breaks its rule; the message names
     *     the field and the value
     */
    public ServiceInstance {
        checkName(service, "service");
        checkName(id, "id");
        Checks.notBlank(host, "host");
        Checks.check(port >= 1 && port <= 65535, "port must be between 1 and 65535, but was " + port);
        Checks.notNull(metadata, "metadata");
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            Checks.notBlank(e.getKey(), "metadata key");
            Checks.notNull(e.getValue(), "metadata value of '" + e.getKey() + "'");
        }
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Creates an instance without metadata.
     *
     * @param service the service's name
     * @param id the instance's id
     * @param host the host clients connect to
     * @param port the port clients connect to
     * @return the instance
     * @throws dev.coldstart.core.ConfigurationException if a field breaks its rule
     */
    public static ServiceInstance of(String service, String id, String host, int port) {
        return new ServiceInstance(service, id, host, port, Map.of());
    }

    /**
     * This instance with one more metadata entry (replacing an entry of the same key).
     *
     * @param key not blank
     * @param value not null
     * @return a new instance
     */
    public ServiceInstance withMetadata(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(key, value);
        return new ServiceInstance(service, id, host, port, m);
    }

    /**
     * Where to connect, as {@code host:port} (IPv6 addresses in brackets).
     *
     * @return the authority part of a URI
     */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    static void checkName(String value, String field) {
        Checks.notBlank(value, field);
        Checks.check(NAME.matcher(value).matches(), field + " must consist of 1 to 128 letters, digits, '.', '_' or '-', "
                + "but was \"" + value + "\"");
    }
}
