package dev.coldstart.websocket.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format of docs/websocket.md: JSON text frames. A server frame is an array of records
 * ({@code welcome}, {@code msg}, {@code gap}); a client frame is one object ({@code hello},
 * {@code data}). This class writes and reads them with a small strict JSON reader, so the module
 * needs no JSON library. Stateless and thread-safe.
 */
public final class Wire {
    /** Type of the server's first record on a connection. */
    public static final String WELCOME = "welcome";
    /** Type of a sequenced message. */
    public static final String MSG = "msg";
    /** Type of a gap marker. */
    public static final String GAP = "gap";
    /** Type of the client's first frame. */
    public static final String HELLO = "hello";
    /** Type of an application message from the client. */
    public static final String DATA = "data";
    /** Type of a client's keep-alive request, for clients that cannot see WebSocket pings (browsers). */
    public static final String PING = "ping";
    /** The server's answer to {@link #PING}. */
    public static final String PONG_FRAME = "[{\"type\":\"pong\"}]";
    /** Welcome mode: a new session. */
    public static final String MODE_NEW = "new";
    /** Welcome mode: the requested session resumed after the client's sequence number. */
    public static final String MODE_RESUMED = "resumed";
    /** Welcome mode: the requested session is gone; a new one was created and the client must resync. */
    public static final String MODE_RESYNC = "resync";

    private Wire() {
    }

    /**
     * A welcome frame.
     *
     * @param sessionId the session's id
     * @param seq the resume point: messages that follow start at {@code seq + 1}
     * @param mode {@link #MODE_NEW}, {@link #MODE_RESUMED} or {@link #MODE_RESYNC}
     * @return the frame's text
     */
    public static String welcome(String sessionId, long seq, String mode) {
        StringBuilder sb = new StringBuilder(96).append("[{\"type\":\"welcome\",\"session\":");
        quote(sb, sessionId);
        sb.append(",\"seq\":").append(seq).append(",\"mode\":");
        quote(sb, mode);
        return sb.append("}]").toString();
    }

    /**
     * Appends a message record to a frame under construction.
     *
     * @param sb the frame; a comma is written first unless it ends with {@code [}
     * @param seq the message's sequence number
     * @param payload the payload
     */
    public static void appendMsg(StringBuilder sb, long seq, String payload) {
        separate(sb);
        sb.append("{\"type\":\"msg\",\"seq\":").append(seq).append(",\"data\":");
        quote(sb, payload);
        sb.append('}');
    }

    /**
     * Appends a gap marker to a frame under construction.
     *
     * @param sb the frame
     * @param from the first dropped sequence number
     * @param to the last dropped sequence number, at least {@code from}
     */
    public static void appendGap(StringBuilder sb, long from, long to) {
        separate(sb);
        sb.append("{\"type\":\"gap\",\"from\":").append(from).append(",\"to\":").append(to).append('}');
    }

    /**
     * A client hello.
     *
     * @param sessionId the session to resume, or null for a new session
     * @param seq the last sequence number the client has, ignored without a session
     * @return the frame's text
     */
    public static String hello(String sessionId, long seq) {
        if (sessionId == null) {
            return "{\"type\":\"hello\"}";
        }
        StringBuilder sb = new StringBuilder(64).append("{\"type\":\"hello\",\"session\":");
        quote(sb, sessionId);
        return sb.append(",\"seq\":").append(seq).append('}').toString();
    }

    /**
     * A client data frame.
     *
     * @param payload the application's message
     * @return the frame's text
     */
    public static String data(String payload) {
        StringBuilder sb = new StringBuilder(payload.length() + 24).append("{\"type\":\"data\",\"data\":");
        quote(sb, payload);
        return sb.append('}').toString();
    }

    /**
     * Reads a client frame.
     *
     * @param text the frame's text
     * @return its fields
     * @throws IllegalArgumentException if it is not a JSON object with a string {@code type}
     */
    public static Map<String, Object> parseClientFrame(String text) {
        Object v = new Reader(text).readDocument();
        if (!(v instanceof Map<?, ?> m) || !(m.get("type") instanceof String)) {
            throw new IllegalArgumentException("expected a JSON object with a \"type\"");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m;
        return map;
    }

    /**
     * Reads a server frame.
     *
     * @param text the frame's text
     * @return its records, in order
     * @throws IllegalArgumentException if it is not a JSON array of objects with a string {@code type}
     */
    public static List<Map<String, Object>> parseServerFrame(String text) {
        Object v = new Reader(text).readDocument();
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a JSON array of records");
        }
        List<Map<String, Object>> records = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("type") instanceof String)) {
                throw new IllegalArgumentException("expected records with a \"type\"");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            records.add(map);
        }
        return records;
    }

    /**
     * Reads a whole-number field.
     *
     * @param record the record
     * @param field the field's name
     * @return its value
     * @throws IllegalArgumentException if absent or not a whole number
     */
    public static long longField(Map<String, Object> record, String field) {
        Object v = record.get(field);
        if (v instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException("expected a whole number in \"" + field + "\", but was " + v);
    }

    /**
     * Reads a string field.
     *
     * @param record the record
     * @param field the field's name
     * @return its value, or null when absent
     * @throws IllegalArgumentException if present but not a string
     */
    public static String stringField(Map<String, Object> record, String field) {
        Object v = record.get(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new IllegalArgumentException("expected a string in \"" + field + "\", but was " + v);
    }

    private static void separate(StringBuilder sb) {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '[') {
            sb.append(',');
        }
    }

    /**
     * Writes a JSON string literal (RFC 8259, section 7).
     *
     * @param sb where to write
     * @param s the string
     */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            sb.append(s, start, i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    sb.append("\\u00");
                    sb.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                }
            }
            start = i + 1;
        }
        sb.append(s, start, n).append('"');
    }

    /** A strict recursive-descent JSON reader: objects, arrays, strings, integers, decimals, literals. */
    private static final class Reader {
        private static final int MAX_DEPTH = 16;
        private final String s;
        private int i;
        private int depth;

        Reader(String s) {
            this.s = s;
        }

        Object readDocument() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw error("trailing characters");
            }
            return v;
        }

        private Object value() {
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            enter();
            i++;
            Map<String, Object> m = new LinkedHashMap<>();
            ws();
            if (peek() == '}') {
                i++;
                depth--;
                return m;
            }
            while (true) {
                ws();
                if (peek() != '"') {
                    throw error("expected a field name");
                }
                String key = string();
                ws();
                expect(':');
                m.put(key, value());
                ws();
                char c = next();
                if (c == '}') {
                    depth--;
                    return m;
                }
                if (c != ',') {
                    throw error("expected , or }");
                }
            }
        }

        private List<Object> array() {
            enter();
            i++;
            List<Object> list = new ArrayList<>();
            ws();
            if (peek() == ']') {
                i++;
                depth--;
                return list;
            }
            while (true) {
                list.add(value());
                ws();
                char c = next();
                if (c == ']') {
                    depth--;
                    return list;
                }
                if (c != ',') {
                    throw error("expected , or ]");
                }
            }
        }

        private String string() {
            i++;
            StringBuilder sb = null;
            int start = i;
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i);
                if (c == '"') {
                    String out = sb == null ? s.substring(start, i) : sb.append(s, start, i).toString();
                    i++;
                    return out;
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c == '\\') {
                    if (sb == null) {
                        sb = new StringBuilder();
                    }
                    sb.append(s, start, i);
                    i++;
                    char e = next();
                    switch (e) {
                        case '"' -> sb.append('"');
                        case '\\' -> sb.append('\\');
                        case '/' -> sb.append('/');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'u' -> {
                            if (i + 4 > s.length()) {
                                throw error("short \\u escape");
                            }
                            try {
                                sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            } catch (NumberFormatException ex) {
                                throw error("bad \\u escape");
                            }
                            i += 4;
                        }
                        default -> throw error("bad escape");
                    }
                    start = i;
                } else {
                    i++;
                }
            }
        }

        private Object number() {
            int start = i;
            if (peek() == '-') {
                i++;
            }
            boolean decimal = false;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c >= '0' && c <= '9') {
                    i++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    decimal = true;
                    i++;
                } else {
                    break;
                }
            }
            String text = s.substring(start, i);
            if (text.isEmpty() || "-".equals(text)) {
                throw error("unexpected character");
            }
            try {
                return decimal ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw error("bad number " + text);
            }
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, i)) {
                throw error("unexpected literal");
            }
            i += word.length();
            return value;
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
        }

        private void ws() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    i++;
                } else {
                    return;
                }
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected " + c);
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid JSON at offset " + i + ": " + what);
        }
    }
}
