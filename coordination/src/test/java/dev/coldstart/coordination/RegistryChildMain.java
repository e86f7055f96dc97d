package dev.coldstart.coordination;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs in a child JVM: registers one instance in Redis, prints {@code REGISTERED}, and keeps it
 * alive with its heartbeat until killed (the point of the test) or until its standard input closes.
 */
public final class RegistryChildMain {
    private RegistryChildMain() {
    }

    /**
     * Registers and waits.
     *
     * @param args redis URI, key prefix, service, id, TTL in milliseconds
     * @throws Exception on any failure, which ends the child
     */
    public static void main(String[] args) throws Exception {
        RedisServiceRegistry registry = RedisServiceRegistry.builder().redisUri(args[0]).keyPrefix(args[1])
                .ttl(Duration.ofMillis(Long.parseLong(args[4]))).build();
        registry.register(ServiceInstance.of(args[2], args[3], "127.0.0.1", 8080));
        System.out.println("REGISTERED");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // wait for the parent to kill us or to close our input
        }
        registry.close();
    }
}
