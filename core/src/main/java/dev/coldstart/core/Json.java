package dev.coldstart.core;

import java.time.Duration;
import java.time.Instant;

/**
 * A minimal streaming JSON writer for reports, probe bodies and the testkit catalogue, so that no
 * coldstart module needs a JSON library for what it writes. Public for coldstart's own modules; an
 * application should prefer a real JSON library. Not thread-safe; one writer per document.
 */
public final class Json {
    private Json() {
    }

    /**
     * Creates a writer.
     *
     * @return a new writer
     */
    public static Writer writer() {
        return new Writer();
    }

    /**
     * Escapes a string as a JSON string literal, quotes included (RFC 8259, section 7).
     *
     * @param s the string; null gives {@code null}
     * @return the literal
     */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        // <, > and & escaped so a report embedded in HTML cannot close its script tag.
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Streaming writer; tracks commas, not nesting validity. */
    public static final class Writer {
        private final StringBuilder sb = new StringBuilder(256);
        private boolean needComma;

        private Writer() {
        }

        private void comma() {
            if (needComma) {
                sb.append(',');
            }
        }

        /**
         * Opens an object.
         *
         * @return this writer
         */
        public Writer beginObject() {
            comma();
            sb.append('{');
            needComma = false;
            return this;
        }

        /**
         * Closes an object.
         *
         * @return this writer
         */
        public Writer endObject() {
            sb.append('}');
            needComma = true;
            return this;
        }

        /**
         * Opens an array.
         *
         * @return this writer
         */
        public Writer beginArray() {
            comma();
            sb.append('[');
            needComma = false;
            return this;
        }

        /**
         * Closes an array.
         *
         * @return this writer
         */
        public Writer endArray() {
            sb.append(']');
            needComma = true;
            return this;
        }

        /**
         * Writes a member name.
         *
         * @param name the name
         * @return this writer
         */
        public Writer name(String name) {
            comma();
            sb.append(quote(name)).append(':');
            needComma = false;
            return this;
        }

        /**
         * Writes a string value (null as {@code null}).
         *
         * @param v the value
         * @return this writer
         */
        public Writer value(String v) {
            comma();
            sb.append(quote(v));
            needComma = true;
            return this;
        }

        /**
         * Writes a number value.
         *
         * @param v the value
         * @return this writer
         */
        public Writer value(long v) {
            comma();
            sb.append(v);
            needComma = true;
            return this;
        }

        /**
         * Writes a boolean value.
         *
         * @param v the value
         * @return this writer
         */
        public Writer value(boolean v) {
            comma();
            sb.append(v);
            needComma = true;
            return this;
        }

        /**
         * Writes a string member.
         *
         * @param name the name
         * @param v the value, null as {@code null}
         * @return this writer
         */
        public Writer field(String name, String v) {
            return name(name).value(v);
        }

        /**
         * Writes a number member.
         *
         * @param name the name
         * @param v the value
         * @return this writer
         */
        public Writer field(String name, long v) {
            return name(name).value(v);
        }

        /**
         * Writes a boolean member.
         *
         * @param name the name
         * @param v the value
         * @return this writer
         */
        public Writer field(String name, boolean v) {
            return name(name).value(v);
        }

        /**
         * Writes an instant as ISO-8601 text, or null.
         *
         * @param name the name
         * @param v the value
         * @return this writer
         */
        public Writer field(String name, Instant v) {
            return name(name).value(v == null ? null : v.toString());
        }

        /**
         * Writes a duration as whole milliseconds, or null.
         *
         * @param name the name
         * @param v the value
         * @return this writer
         */
        public Writer fieldMillis(String name, Duration v) {
            name(name);
            if (v == null) {
                comma();
                sb.append("null");
                needComma = true;
                return this;
            }
            return value(v.toMillis());
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
