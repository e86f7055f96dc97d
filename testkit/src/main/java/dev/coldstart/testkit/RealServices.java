package dev.coldstart.testkit;

import dev.coldstart.testkit.internal.TestcontainersSupport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the real PostgreSQL and Redis that tests run against, in this order:
 * <ol>
 *   <li>the environment variables {@value #PG_URL_ENV} (a JDBC URL, user and password as URL
 *       parameters or {@code COLDSTART_PG_USER}/{@code COLDSTART_PG_PASSWORD}) and
 *       {@value #REDIS_URL_ENV} (a {@code redis://host:port} URI);</li>
 *   <li>the local default ports: PostgreSQL on 127.0.0.1:5432 as user {@code postgres}, Redis on
 *       127.0.0.1:6379;</li>
 *   <li>Testcontainers, when it is on the test classpath and a Docker engine answers;</li>
 *   <li>otherwise a {@link RealServiceUnavailableException} that says how to provide one.</li>
 * </ol>
 * Results are cached for the JVM. Thread-safe.
 */
public final class RealServices {
    /** Environment variable naming a PostgreSQL JDBC URL. */
    public static final String PG_URL_ENV = "COLDSTART_PG_URL";
    /** Environment variable naming a Redis URI. */
    public static final String REDIS_URL_ENV = "COLDSTART_REDIS_URL";

    private static final Logger log = LoggerFactory.getLogger(RealServices.class);
    private static final int PROBE_TIMEOUT_MILLIS = 500;

    private static PostgresServer postgres;
    private static URI redis;

    private RealServices() {
    }

    /** Where a PostgreSQL server answers, and how to log in as a user who may create databases. */
    public record PostgresServer(String host, int port, String user, String password, String source) {

        /**
         * A JDBC URL for one database of this server.
         *
         * @param database the database's name
         * @return {@code jdbc:postgresql://host:port/database}
         */
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        @Override
        public String toString() {
            return "PostgresServer[" + host + ":" + port + " as " + user + ", from " + source + "]";
        }
    }

    /**
     * The PostgreSQL server tests use.
     *
     * @return the server; never null
     * @throws RealServiceUnavailableException if none was found
     */
    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = findPostgres();
            log.info("coldstart-testkit - PostgreSQL: {}", postgres);
        }
        return postgres;
    }

    /**
     * The Redis server tests use, as a {@code redis://host:port} URI.
     *
     * @return the URI; never null
     * @throws RealServiceUnavailableException if none was found
     */
    public static synchronized URI redis() {
        if (redis == null) {
            redis = findRedis();
            log.info("coldstart-testkit - Redis: {}", redis);
        }
        return redis;
    }

    private static PostgresServer findPostgres() {
        String url = System.getenv(PG_URL_ENV);
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url.substring("jdbc:".length()));
            String user = envOr("COLDSTART_PG_USER", "postgres");
            String password = envOr("COLDSTART_PG_PASSWORD", "");
            int port = uri.getPort() == -1 ? 5432 : uri.getPort();
            return new PostgresServer(uri.getHost(), port, user, password, PG_URL_ENV);
        }
        if (answers("127.0.0.1", 5432)) {
            return new PostgresServer("127.0.0.1", 5432, "postgres", "", "local default port 5432");
        }
        if (TestcontainersSupport.available()) {
            return TestcontainersSupport.postgres();
        }
        throw new RealServiceUnavailableException("no PostgreSQL for the tests: " + PG_URL_ENV
                + " is not set, nothing answers on 127.0.0.1:5432 and no Docker engine answers for Testcontainers. "
                + "Start PostgreSQL locally (user postgres, trust auth), or set " + PG_URL_ENV
                + "=jdbc:postgresql://host:port/postgres with COLDSTART_PG_USER/COLDSTART_PG_PASSWORD, or start Docker.");
    }

    private static URI findRedis() {
        String url = System.getenv(REDIS_URL_ENV);
        if (url != null && !url.isBlank()) {
            return URI.create(url);
        }
        if (answers("127.0.0.1", 6379)) {
            return URI.create("redis://127.0.0.1:6379");
        }
        if (TestcontainersSupport.available()) {
            return TestcontainersSupport.redis();
        }
        throw new RealServiceUnavailableException("no Redis for the tests: " + REDIS_URL_ENV
                + " is not set, nothing answers on 127.0.0.1:6379 and no Docker engine answers for Testcontainers. "
                + "Start Redis locally (redis-server --port 6379), or set " + REDIS_URL_ENV
                + "=redis://host:port, or start Docker.");
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }

    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
