package dev.coldstart.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void writesABatchThatReadsBackRecordByRecord() {
        StringBuilder sb = new StringBuilder("[");
        Wire.appendGap(sb, 3, 7);
        Wire.appendMsg(sb, 8, "plain");
        Wire.appendMsg(sb, 9, "quote \" backslash \\ newline \n tab \t nul \u0000 emoji \uD83D\uDE00 ü");
        String frame = sb.append(']').toString();
        List<Map<String, Object>> records = Wire.parseServerFrame(frame);
        assertThat(records).hasSize(3);
        assertThat(records.get(0)).containsEntry("type", "gap").containsEntry("from", 3L).containsEntry("to", 7L);
        assertThat(records.get(1)).containsEntry("type", "msg").containsEntry("seq", 8L).containsEntry("data", "plain");
        assertThat(records.get(2).get("data")).isEqualTo("quote \" backslash \\ newline \n tab \t nul \u0000 emoji \uD83D\uDE00 ü");
        assertThat(frame).doesNotContain("\n").doesNotContain("\u0000");
    }

    @Test
    void writesWelcomeHelloAndDataFrames() {
        assertThat(Wire.welcome("abc", 41, Wire.MODE_RESUMED))
                .isEqualTo("[{\"type\":\"welcome\",\"session\":\"abc\",\"seq\":41,\"mode\":\"resumed\"}]");
        assertThat(Wire.hello(null, 0)).isEqualTo("{\"type\":\"hello\"}");
        assertThat(Wire.hello("abc", 41)).isEqualTo("{\"type\":\"hello\",\"session\":\"abc\",\"seq\":41}");
        assertThat(Wire.parseClientFrame(Wire.data("x\"y"))).containsEntry("type", "data").containsEntry("data", "x\"y");
    }

    @Test
    void readsFramesWrittenByOtherJsonLibraries() {
        Map<String, Object> hello = Wire.parseClientFrame(" { \"seq\" : 5 , \"type\":\"hello\", \"session\":\"a\\u0062c\", \"extra\":[1,2.5,true,null,{}] } ");
        assertThat(hello).containsEntry("session", "abc").containsEntry("seq", 5L);
    }

    @Test
    void rejectsMalformedFrames() {
        assertThatThrownBy(() -> Wire.parseClientFrame("{\"type\":\"hello\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wire.parseClientFrame("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> Wire.parseServerFrame("{\"type\":\"msg\"}")).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> Wire.parseClientFrame("{\"type\":\"hello\"} x")).hasMessageContaining("trailing");
        assertThatThrownBy(() -> Wire.parseClientFrame("[".repeat(40))).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> Wire.longField(Map.of("seq", "5"), "seq")).hasMessageContaining("whole number");
    }
}
