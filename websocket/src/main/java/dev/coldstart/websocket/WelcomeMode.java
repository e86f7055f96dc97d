package dev.coldstart.websocket;

/** How the server attached a connection to a session, as said by its {@code welcome}. */
public enum WelcomeMode {
    /** A new session: sequence numbers start at 1. */
    NEW,
    /** The session the client asked for, resumed after the last sequence number it had. */
    RESUMED,
    /**
     * The session the client asked for is gone (expired, unknown after a restart without a shared
     * log, or not the caller's): a new one was created and the client must resync its state.
     */
    RESYNC
}
