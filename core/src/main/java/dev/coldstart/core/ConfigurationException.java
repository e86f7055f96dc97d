package dev.coldstart.core;

/**
 * Invalid configuration, detected by a builder's {@code build()} or by a component before it
 * touches anything outside the process. Misconfiguration fails fast and is never retried.
 *
 * <p>Messages follow one pattern: the field, the rule and the value, for example
 * {@code "maxBackoff must be greater than or equal to initialBackoff (PT0.1S), but was PT0.05S"}.
 */
public class ConfigurationException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the field, the rule and the value that broke it
     */
    public ConfigurationException(String message) {
        super(message);
    }
}
