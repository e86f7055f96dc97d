package dev.coldstart.benchmarks.boot;

import java.util.List;
import java.util.Map;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The peer of benchmark B7: a Spring Boot application that does the demo's start-up work the way a
 * Boot user would write it. HikariCP (Boot's default pool) from {@code spring.datasource.*}, Flyway
 * with the demo's own migration scripts ({@code classpath:db/demo}), the demo's seeding in one
 * serializable transaction before the application is ready, actuator's readiness probe at
 * {@code /actuator/health/readiness} with the database in its group, and the demo's two read-only
 * API endpoints. Configuration lives in {@code application.properties}; the benchmark passes the
 * JDBC URL and the port on the command line.
 *
 * <p>Not published; built as an executable jar by {@code spring-boot-maven-plugin}.
 */
@SpringBootApplication
public class BootPeerApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot's command line, for example {@code --server.port=8081}
     */
    public static void main(String[] args) {
        SpringApplication.run(BootPeerApplication.class, args);
    }

    /**
     * The demo's seeding: the default tenant and its settings, inserted if absent, in one
     * serializable transaction. Runs after Flyway and before readiness turns to accepting traffic,
     * as the demo's {@code demo-seed} component does.
     *
     * @param jdbc the template on the pool
     * @param transactions the pool's transaction manager
     * @return the runner
     */
    @Bean
    ApplicationRunner seedDefaultTenant(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        tx.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
        return args -> tx.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO tenant (id, display_name) SELECT ?, ? WHERE NOT EXISTS "
                    + "(SELECT 1 FROM tenant WHERE id = ?)", "default", "Default tenant", "default");
            String[][] settings = {{"locale", "en"}, {"currency", "EUR"}, {"timezone", "UTC"}};
            for (String[] s : settings) {
                jdbc.update("INSERT INTO tenant_setting (tenant_id, name, setting_value) SELECT ?, ?, ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM tenant_setting WHERE tenant_id = ? AND name = ?)",
                        "default", s[0], s[1], "default", s[0]);
            }
        });
    }

    /** The demo's read-only API. */
    @RestController
    static class Api {
        private final JdbcTemplate jdbc;

        Api(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @GetMapping("/api/currencies")
        List<Map<String, Object>> currencies() {
            return jdbc.queryForList("SELECT code, name, minor_units FROM currency ORDER BY code");
        }

        @GetMapping("/api/tenants/default/settings")
        List<Map<String, Object>> settings() {
            return jdbc.queryForList("SELECT name, setting_value FROM tenant_setting WHERE tenant_id = 'default' "
                    + "ORDER BY name");
        }
    }
}
