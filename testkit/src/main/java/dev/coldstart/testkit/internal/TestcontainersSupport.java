package dev.coldstart.testkit.internal;

import dev.coldstart.testkit.RealServices.PostgresServer;
import java.net.URI;

/**
 * Starts PostgreSQL and Redis containers when Testcontainers is on the classpath and Docker
 * answers. Testcontainers is an optional dependency: this class only touches it after
 * {@link #available()} found it, so the testkit works without it.
 */
public final class TestcontainersSupport {
    private static final String PG_IMAGE = "postgres:16-alpine";
    private static final String REDIS_IMAGE = "redis:7-alpine";

    private TestcontainersSupport() {
    }

    /**
     * Whether Testcontainers is present and a Docker engine answers.
     *
     * @return true if containers can be started
     */
    public static boolean available() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory");
        } catch (ClassNotFoundException e) {
            return false;
        }
        return Containers.dockerAvailable();
    }

    /**
     * Starts (once per JVM) a PostgreSQL container.
     *
     * @return where it answers
     */
    public static PostgresServer postgres() {
        return Containers.postgres();
    }

    /**
     * Starts (once per JVM) a Redis container.
     *
     * @return its URI
     */
    public static URI redis() {
        return Containers.redis();
    }

    /** Holds the Testcontainers references, loaded only when Testcontainers is present. */
    private static final class Containers {
        private static org.testcontainers.containers.PostgreSQLContainer<?> pg;
        private static org.testcontainers.containers.GenericContainer<?> redis;

        static boolean dockerAvailable() {
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException e) {
                return false;
            }
        }

        static synchronized PostgresServer postgres() {
            if (pg == null) {
                org.testcontainers.containers.PostgreSQLContainer<?> c =
                        new org.testcontainers.containers.PostgreSQLContainer<>(PG_IMAGE);
                c.start();
                pg = c;
            }
            return new PostgresServer(pg.getHost(), pg.getFirstMappedPort(), pg.getUsername(), pg.getPassword(),
                    "Testcontainers " + PG_IMAGE);
        }

        static synchronized URI redis() {
            if (redis == null) {
                org.testcontainers.containers.GenericContainer<?> c =
                        new org.testcontainers.containers.GenericContainer<>(REDIS_IMAGE).withExposedPorts(6379);
                c.start();
                redis = c;
            }
            return URI.create("redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
        }
    }
}
