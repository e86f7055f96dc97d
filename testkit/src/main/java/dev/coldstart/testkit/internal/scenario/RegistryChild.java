package dev.coldstart.testkit.internal.scenario;

import dev.coldstart.coordination.RedisServiceRegistry;
import dev.coldstart.coordination.ServiceInstance;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs in a child JVM for CS-09: registers one instance in Redis with the scenario's TTL, prints
 * {@value #REGISTERED}, and keeps it alive with the registry's heartbeat until the scenario kills the
 * process (SIGKILL, so it never deregisters) or closes its standard input. Not part of the testkit's
 * API.
 */
public final class RegistryChild {
    /** The line printed once the instance is registered. */
    public static final String REGISTERED = "coldstart-registry-child REGISTERED";

    private RegistryChild() {
    }

    /**
     * Registers and waits.
     *
     * @param args Redis URI, key prefix, service, instance id, port, TTL in milliseconds
     * @throws Exception on any failure, which ends the child with a stack trace on stderr
     */
    public static void main(String[] args) throws Exception {
        RedisServiceRegistry registry = RedisServiceRegistry.builder().redisUri(args[0]).keyPrefix(args[1])
                .ttl(Duration.ofMillis(Long.parseLong(args[5]))).build();
        registry.register(ServiceInstance.of(args[2], args[3], "127.0.0.1", Integer.parseInt(args[4])));
        System.out.println(REGISTERED);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // the scenario kills this process; end of input means the scenario itself is gone
        }
        registry.close();
    }
}
