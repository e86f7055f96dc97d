package dev.coldstart.testkit;

import dev.coldstart.core.Checks;

/**
 * The figures of CS-13 (cross-origin WebSocket authentication), defaulting to those of SCENARIOS.md. Immutable value with a builder; builders are not
 * thread-safe, built parameters are.
 */
public final class Cs13Parameters {
    /** Default origin of the hostile page: {@code https://attacker.example}. */
    public static final String DEFAULT_FOREIGN_ORIGIN = "https://attacker.example";
    /** Default token the verifier must reject (an unsigned JWT): an unsigned JWT. */
    public static final String DEFAULT_INVALID_TOKEN = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.";
    /** Default cookie carrying the victim's credentials when the server reads no cookie of its own: {@code session}. */
    public static final String DEFAULT_HIJACK_COOKIE_NAME = "session";

    private static final Cs13Parameters DEFAULTS = builder().build();

    private final String foreignOrigin;
    private final String invalidToken;
    private final String hijackCookieName;

    private Cs13Parameters(Builder b) {
        this.foreignOrigin = b.foreignOrigin;
        this.invalidToken = b.invalidToken;
        this.hijackCookieName = b.hijackCookieName;
    }

    /**
     * The figures of SCENARIOS.md.
     *
     * @return the shared defaults
     */
    public static Cs13Parameters ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.foreignOrigin = foreignOrigin;
        b.invalidToken = invalidToken;
        b.hijackCookieName = hijackCookieName;
        return b;
    }

    /**
     * The origin of the hostile page.
     *
     * @return the value
     */
    public String foreignOrigin() {
        return foreignOrigin;
    }

    /**
     * The token the verifier must reject (an unsigned JWT).
     *
     * @return the value
     */
    public String invalidToken() {
        return invalidToken;
    }

    /**
     * The cookie carrying the victim's credentials when the server reads no cookie of its own.
     *
     * @return the value
     */
    public String hijackCookieName() {
        return hijackCookieName;
    }

    @Override
    public String toString() {
        return "Cs13Parameters{" + "foreignOrigin=" + foreignOrigin + ", invalidToken=" + invalidToken + ", hijackCookieName=" + hijackCookieName + '}';
    }

    /** Builder of {@link Cs13Parameters}. Not thread-safe. */
    public static final class Builder {
        private String foreignOrigin = DEFAULT_FOREIGN_ORIGIN;
        private String invalidToken = DEFAULT_INVALID_TOKEN;
        private String hijackCookieName = DEFAULT_HIJACK_COOKIE_NAME;

        private Builder() {
        }

        /**
         * Sets the origin of the hostile page.
         *
         * @param foreignOrigin not blank; default {@code https://attacker.example}
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder foreignOrigin(String foreignOrigin) {
            this.foreignOrigin = Checks.notBlank(foreignOrigin, "foreignOrigin");
            return this;
        }

        /**
         * Sets the token the verifier must reject (an unsigned JWT).
         *
         * @param invalidToken not blank; default an unsigned JWT
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder invalidToken(String invalidToken) {
            this.invalidToken = Checks.notBlank(invalidToken, "invalidToken");
            return this;
        }

        /**
         * Sets the cookie carrying the victim's credentials when the server reads no cookie of its own.
         *
         * @param hijackCookieName not blank; default {@code session}
         * @return this builder
         * @throws dev.coldstart.core.ConfigurationException if null or out of range
         */
        public Builder hijackCookieName(String hijackCookieName) {
            this.hijackCookieName = Checks.notBlank(hijackCookieName, "hijackCookieName");
            return this;
        }

        /**
         * Builds the parameters.
         *
         * @return immutable parameters
         */
        public Cs13Parameters build() {
            return new Cs13Parameters(this);
        }
    }
}
