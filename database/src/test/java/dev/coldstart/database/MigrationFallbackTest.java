package dev.coldstart.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coldstart.core.Health;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** On a database other than PostgreSQL (embedded H2) the component relies on Flyway's own locking. */
class MigrationFallbackTest {

    @Test
    void migratesWithoutAnAdvisoryLockOnH2AndIsIdempotent() throws Exception {
        DataSourceComponent pool = DataSourceComponent.of("h2", PoolConfig.builder()
                .jdbcUrl("jdbc:h2:mem:cs_fallback;DB_CLOSE_DELAY=-1").username("sa").maximumPoolSize(3).build());
        pool.start();
        try {
            assertThat(pool.probe()).isEqualTo(Health.up());
            MigrationComponent m = MigrationComponent.of("migrations", pool,
                    MigrationConfig.builder().locations("classpath:db/h2").build());

            m.start();
            m.start();

            assertThat(m.lastLockWait()).isEmpty();
            assertThat(m.schemaStatus().orElseThrow().currentVersion()).isEqualTo("2");
            assertThat(m.probe()).isEqualTo(Health.up());
            try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM item")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        } finally {
            pool.stop(Duration.ofSeconds(1));
        }
    }
}
