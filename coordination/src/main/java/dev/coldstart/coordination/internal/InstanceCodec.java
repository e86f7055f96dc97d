package dev.coldstart.coordination.internal;

import dev.coldstart.coordination.ServiceInstance;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link ServiceInstance} as a form-encoded string ({@code v=1&service=..&id=..&host=..
 * &port=..&m.<key>=<value>}) and reads it back, so a registry entry is readable with
 * {@code redis-cli GET} and needs no JSON library. Unknown fields are ignored, so newer writers can
 * add some. Stateless and thread-safe.
 */
public final class InstanceCodec {
    private static final String METADATA = "m.";

    private InstanceCodec() {
    }

    /**
     * Encodes an instance.
     *
     * @param instance the instance
     * @return the form-encoded string
     */
    public static String encode(ServiceInstance instance) {
        StringBuilder b = new StringBuilder("v=1");
        append(b, "service", instance.service());
        append(b, "id", instance.id());
        append(b, "host", instance.host());
        append(b, "port", Integer.toString(instance.port()));
        instance.metadata().forEach((k, v) -> append(b, METADATA + k, v));
        return b.toString();
    }

    /**
     * Decodes an instance.
     *
     * @param encoded what {@link #encode(ServiceInstance)} wrote
     * @return the instance
     * @throws IllegalArgumentException if a field is missing or malformed
     */
    public static ServiceInstance decode(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed field \"" + pair + "\"");
            }
            String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (key.startsWith(METADATA)) {
                metadata.put(key.substring(METADATA.length()), value);
            } else {
                fields.put(key, value);
            }
        }
        String port = fields.get("port");
        if (port == null) {
            throw new IllegalArgumentException("no port");
        }
        try {
            return new ServiceInstance(fields.get("service"), fields.get("id"), fields.get("host"),
                    Integer.parseInt(port), metadata);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static void append(StringBuilder b, String key, String value) {
        b.append('&').append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
