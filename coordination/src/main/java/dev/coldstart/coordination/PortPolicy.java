package dev.coldstart.coordination;

/**
 * What a {@link PortAllocator} does when the requested port is already in use.
 */
public enum PortPolicy {
    /**
     * Fail at once with a {@link PortBindException} that names the port and, on Linux when the
     * operating system tells, the process holding it. The default: a service that expects a fixed
     * port should not silently listen elsewhere.
     */
    FAIL,
    /**
     * Retry with exponential backoff until the allocator's retry timeout, for a port that is about
     * to be released (the previous instance of the service still shutting down), then fail as
     * {@link #FAIL} does.
     */
    RETRY,
    /**
     * Bind an ephemeral port chosen by the operating system instead, and report it through
     * {@link BoundPort#port()}; the chosen port is the one to register for discovery. For replicas
     * that are found through a registry rather than a fixed address.
     */
    EPHEMERAL_FALLBACK
}
