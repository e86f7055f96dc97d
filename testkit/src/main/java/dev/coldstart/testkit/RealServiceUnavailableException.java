package dev.coldstart.testkit;

import dev.coldstart.core.ColdstartException;

/**
 * No real PostgreSQL or Redis could be found for a test. The message says where the testkit looked
 * and how to provide one. Tests fail with it rather than skip: a skipped scenario proves nothing.
 */
public final class RealServiceUnavailableException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message where the testkit looked and how to provide the service
     */
    public RealServiceUnavailableException(String message) {
        super(message);
    }
}
