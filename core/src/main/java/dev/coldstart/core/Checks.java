package dev.coldstart.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks with one message pattern for every coldstart module:
 * {@code "<field> must be <rule>, but was <value>"}. Each throws {@link ConfigurationException}.
 *
 * <p>Public so that every module (and third-party components) report misconfiguration in the same
 * words; it is not meant for application code. Stateless and thread-safe.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Checks that a value is not null.
     *
     * @param value the value
     * @param field the field's name, used in the message
     * @param <T> the value's type
     * @return the value
     * @throws ConfigurationException if the value is null
     */
    public static <T> T notNull(T value, String field) {
        if (value == null) {
            throw new ConfigurationException(field + " must not be null");
        }
        return value;
    }

    /**
     * Checks that a string is neither null nor blank.
     *
     * @param value the value
     * @param field the field's name
     * @return the value
     * @throws ConfigurationException if it is null or blank
     */
    public static String notBlank(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(field + " must not be blank, but was " + quote(value));
        }
        return value;
    }

    /**
     * Checks that a number is greater than zero.
     *
     * @param value the value
     * @param field the field's name
     * @return the value
     * @throws ConfigurationException if it is zero or negative
     */
    public static long positive(long value, String field) {
        if (value <= 0) {
            throw new ConfigurationException(field + " must be greater than 0, but was " + value);
        }
        return value;
    }

    /**
     * Checks that an {@code int} is greater than zero.
     *
     * @param value the value
     * @param field the field's name
     * @return the value
     * @throws ConfigurationException if it is zero or negative
     */
    public static int positive(int value, String field) {
        positive((long) value, field);
        return value;
    }

    /**
     * Checks that a number is zero or more.
     *
     * @param value the value
     * @param field the field's name
     * @return the value
     * @throws ConfigurationException if it is negative
     */
    public static int notNegative(int value, String field) {
        if (value < 0) {
            throw new ConfigurationException(field + " must be greater than or equal to 0, but was " + value);
        }
        return value;
    }

    /**
     * Checks that a number lies in a closed range.
     *
     * @param value the value
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @param field the field's name
     * @return the value
     * @throws ConfigurationException if it lies outside {@code [min, max]} or is NaN
     */
    public static double inRange(double value, double min, double max, String field) {
        if (!(value >= min && value <= max)) {
            throw new ConfigurationException(field + " must be between " + min + " and " + max + ", but was " + value);
        }
        return value;
    }

    /**
     * Checks that a duration is not null and strictly positive.
     *
     * @param value the value
     * @param field the field's name
     * @return the value
     * @throws ConfigurationException if it is null, zero or negative
     */
    public static Duration positive(Duration value, String field) {
        notNull(value, field);
        if (value.isZero() || value.isNegative()) {
            throw new ConfigurationException(field + " must be greater than 0, but was " + value);
        }
        return value;
    }

    /**
     * Checks that a duration is not null and not negative.
     *
     * @param value the value
     * @param field the field's name
     * @return the value
     * @throws ConfigurationException if it is null or negative
     */
    public static Duration notNegative(Duration value, String field) {
        notNull(value, field);
        if (value.isNegative()) {
            throw new ConfigurationException(field + " must be greater than or equal to 0, but was " + value);
        }
        return value;
    }

    /**
     * Checks a cross-field rule.
     *
     * @param condition the rule, true when satisfied
     * @param message the full message naming fields, rule and values
     * @throws ConfigurationException if the condition is false
     */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new ConfigurationException(message);
        }
    }

    private static String quote(String value) {
        return value == null ? "null" : '"' + value + '"';
    }

    /**
     * Same as {@link Objects#requireNonNull(Object, String)} but with the coldstart message pattern,
     * for method arguments rather than configuration.
     *
     * @param value the argument
     * @param name the parameter's name
     * @param <T> the type
     * @return the argument
     * @throws NullPointerException if it is null
     */
    public static <T> T requireArgument(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }
}
