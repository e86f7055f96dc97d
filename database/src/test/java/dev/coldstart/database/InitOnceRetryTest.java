package dev.coldstart.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coldstart.core.ConfigurationException;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The retry loop of {@link InitOnce} on embedded H2, with conflicts raised by the work itself. */
class InitOnceRetryTest {
    private DataSourceComponent pool;

    @BeforeEach
    void startPool() {
        pool = DataSourceComponent.of("h2", PoolConfig.builder().jdbcUrl("jdbc:h2:mem:cs_retry;DB_CLOSE_DELAY=-1")
                .username("sa").maximumPoolSize(1).build());
        pool.start();
    }

    @AfterEach
    void stopPool() {
        pool.stop(Duration.ofSeconds(1));
    }

    private static InitOnceConfig fast(int maxAttempts) {
        return InitOnceConfig.builder().maxAttempts(maxAttempts).initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(5)).build();
    }

    @Test
    void retriesConflictsUntilTheWorkCommitsAndRollsBackEachFailedAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        InitOnce seed = InitOnce.of("seed", pool, fast(5), c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS marker (attempt INT)");
                st.execute("INSERT INTO marker VALUES (" + calls.incrementAndGet() + ")");
            }
            if (calls.get() == 1) {
                throw new SQLException("deadlock detected", "40P01");
            }
            if (calls.get() == 2) {
                throw new SQLException("wrapped", new SQLException("could not serialize access", "40001"));
            }
        });

        InitOnce.SeedResult result = seed.run();

        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.retriedSqlStates()).containsExactly("40P01", "40001");
        assertThat(seed.retries()).isEqualTo(2);
        assertThat(seed.lastResult()).contains(result);
        assertThat(seed.probe().isUp()).isTrue();
    }

    @Test
    void givesUpAfterMaxAttemptsNamingTheLastState() {
        InitOnce seed = InitOnce.of("seed", pool, fast(3), c -> {
            throw new SQLException("duplicate key", "23505");
        });

        SeedingFailedException e = catchThrowableOfType(SeedingFailedException.class, seed::run);

        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.lastSqlState()).isEqualTo("23505");
        assertThat(e.getMessage()).contains("seed - seeding failed after 3 attempt(s)", "raise maxAttempts");
        assertThat(seed.lastResult()).isEmpty();
    }

    @Test
    void rejectsEachBrokenConfigRuleNamingFieldAndValue() {
        assertThatThrownBy(() -> InitOnceConfig.builder().maxAttempts(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("maxAttempts must be greater than 0, but was 0");
        assertThatThrownBy(() -> InitOnceConfig.builder().initialBackoff(Duration.ofSeconds(2)).build())
                .hasMessage("maxBackoff must be greater than or equal to initialBackoff (PT2S), but was PT1S");
        assertThatThrownBy(() -> InitOnceConfig.builder().retryableSqlStates(Set.of("4001")))
                .hasMessage("retryableSqlStates must hold five-character SQLStates, but was [4001]");
        assertThat(InitOnceConfig.ofDefaults().isolation()).isEqualTo(IsolationLevel.SERIALIZABLE);
        assertThat(InitOnceConfig.ofDefaults().retryableSqlStates()).containsExactlyInAnyOrder("40001", "40P01", "23505");
    }
}
