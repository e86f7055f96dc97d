package dev.coldstart.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.core.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolConfigTest {

    private static PoolConfig.Builder valid() {
        return PoolConfig.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:5432/orders");
    }

    @Test
    void defaultsToAFixedSizePoolWithBoundedTimeouts() {
        PoolConfig c = valid().build();

        assertThat(c.maximumPoolSize()).isEqualTo(10);
        assertThat(c.minimumIdle()).isEqualTo(10);
        assertThat(c.applicationName()).isEqualTo("coldstart");
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.acquireTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.probeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.isPostgresql()).isTrue();
    }

    @Test
    void masksPasswordsInToString() {
        PoolConfig c = valid().jdbcUrl("jdbc:postgresql://db/orders?user=u&password=urlSecret").username("orders")
                .password("s3cret").dataSourceProperty("sslpassword", "keySecret").dataSourceProperty("sslmode", "require")
                .build();

        assertThat(c.toString()).doesNotContain("s3cret", "urlSecret", "keySecret")
                .contains("password=****", "sslmode=require", "username=orders");
    }

    @Test
    void minimumIdleFollowsMaximumUnlessSet() {
        PoolConfig followed = valid().maximumPoolSize(4).build();
        PoolConfig explicit = valid().maximumPoolSize(4).minimumIdle(1).build();

        assertThat(followed.minimumIdle()).isEqualTo(4);
        assertThat(followed.toBuilder().maximumPoolSize(2).build().minimumIdle()).isEqualTo(2);
        assertThat(explicit.toBuilder().maximumPoolSize(8).build().minimumIdle()).isEqualTo(1);
        assertThat(explicit.toBuilder().build()).isEqualTo(explicit);
    }

    @Test
    void rejectsEachBrokenRuleNamingFieldAndValue() {
        assertThatThrownBy(() -> PoolConfig.builder().build()).isInstanceOf(ConfigurationException.class)
                .hasMessage("jdbcUrl must be set, but was null");
        assertThatThrownBy(() -> valid().jdbcUrl("postgresql://x")).hasMessage(
                "jdbcUrl must start with \"jdbc:\", but was \"postgresql://x\"");
        assertThatThrownBy(() -> valid().maximumPoolSize(-3)).hasMessage("maximumPoolSize must be greater than 0, but was -3");
        assertThatThrownBy(() -> valid().minimumIdle(-1))
                .hasMessage("minimumIdle must be greater than or equal to 0, but was -1");
        assertThatThrownBy(() -> valid().maximumPoolSize(2).minimumIdle(3).build())
                .hasMessage("minimumIdle must be at most maximumPoolSize (2), but was 3");
        assertThatThrownBy(() -> valid().acquireTimeout(Duration.ofMillis(100)))
                .hasMessage("acquireTimeout must be at least PT0.25S, but was PT0.1S");
        assertThatThrownBy(() -> valid().connectTimeout(Duration.ZERO))
                .hasMessage("connectTimeout must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> valid().applicationName(" ")).hasMessage("applicationName must not be blank, but was \" \"");
        assertThatThrownBy(() -> valid().applicationName("x".repeat(64)))
                .hasMessageStartingWith("applicationName must be at most 63 characters, but was 64");
    }

    @Test
    void dedicatedConnectionsKeepTheInstanceNameWithinPostgresqlsLimit() {
        assertThat(DataSourceComponent.dedicatedApplicationName("orders-7")).isEqualTo("orders-7/dedicated");
        String longName = "x".repeat(63);
        String dedicated = DataSourceComponent.dedicatedApplicationName(longName);
        assertThat(dedicated).hasSize(63).endsWith("/dedicated").startsWith("x".repeat(53));
    }
}
