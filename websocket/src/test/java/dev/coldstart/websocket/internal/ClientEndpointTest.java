package dev.coldstart.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class ClientEndpointTest {

    @Test
    void parsesRetryAfterAsSecondsOrHttpDate() {
        assertThat(ClientEndpoint.parseRetryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(ClientEndpoint.parseRetryAfter(" 0 ")).isEqualTo(Duration.ZERO);
        assertThat(ClientEndpoint.parseRetryAfter(null)).isNull();
        assertThat(ClientEndpoint.parseRetryAfter("-1")).isNull();
        assertThat(ClientEndpoint.parseRetryAfter("soon")).isNull();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        assertThat(ClientEndpoint.parseRetryAfter(date)).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
    }
}
