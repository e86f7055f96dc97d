package dev.coldstart.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coldstart.coordination.internal.JsonReader;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsEveryJsonType() {
        Object v = JsonReader.parse(" {\"s\": \"a\\\"b\\u00e9\\n\", \"n\": -12, \"d\": 1.5e2, \"t\": true, \"f\": false, "
                + "\"z\": null, \"a\": [1, [], {}], \"big\": 123456789012345678901234} ");

        assertThat(v).isEqualTo(new java.util.LinkedHashMap<>(Map.of()) {
            private static final long serialVersionUID = 1L;
            {
                put("s", "a\"b\u00e9\n");
                put("n", -12L);
                put("d", new BigDecimal("1.5e2"));
                put("t", true);
                put("f", false);
                put("z", null);
                put("a", List.of(1L, List.of(), Map.of()));
                put("big", new BigDecimal("123456789012345678901234"));
            }
        });
    }

    @Test
    void refusesInvalidJsonNamingTheOffset() {
        assertThatThrownBy(() -> JsonReader.parse("{\"a\": 1,}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid JSON at offset 8: expected a member name in quotes");
        assertThatThrownBy(() -> JsonReader.parse("[1 2]")).hasMessage("invalid JSON at offset 3: expected ',' or ']'");
        assertThatThrownBy(() -> JsonReader.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("duplicate member \"a\"");
        assertThatThrownBy(() -> JsonReader.parse("01")).hasMessageContaining("unexpected text after the JSON value");
        assertThatThrownBy(() -> JsonReader.parse("[".repeat(300))).hasMessageContaining("nesting deeper than 256");
        assertThatThrownBy(() -> JsonReader.parseObject("[]")).hasMessage("expected a JSON object, but the document is an array");
    }
}
