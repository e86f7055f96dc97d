package dev.coldstart.coordination;

import dev.coldstart.core.ColdstartException;
import java.util.OptionalLong;

/**
 * A port could not be bound: it is in use (and the {@link PortPolicy} did not allow another way),
 * the address is not local, or the process lacks the privilege for it.
 *
 * <p>Exposes the port, the policy, the attempts made and, where the operating system tells (Linux
 * {@code /proc}, same user or root), the process id of the holder. Immutable and thread-safe.
 */
public class PortBindException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /** The port that was asked for. */
    private final int port;
    /** The policy that applied. */
    private final PortPolicy policy;
    /** Bind attempts made. */
    private final int attempts;
    /** Whether the port was in use. */
    private final boolean inUse;
    /** The holder's pid, or -1 when unknown. */
    private final long holderPid;

    /**
     * Creates the exception.
     *
     * @param message what happened, what was expected and what to do
     * @param port the requested port
     * @param policy the policy in force
     * @param attempts how many binds were attempted
     * @param inUse whether the failure was "address already in use"
     * @param holderPid the holder's process id, or -1 when unknown
     * @param cause the last bind failure
     */
    public PortBindException(String message, int port, PortPolicy policy, int attempts, boolean inUse, long holderPid,
            Throwable cause) {
        super(message, cause);
        this.port = port;
        this.policy = policy;
        this.attempts = attempts;
        this.inUse = inUse;
        this.holderPid = holderPid;
    }

    /**
     * The port that could not be bound.
     *
     * @return the requested port
     */
    public int port() {
        return port;
    }

    /**
     * The policy that was in force.
     *
     * @return never null
     */
    public PortPolicy policy() {
        return policy;
    }

    /**
     * How many binds were attempted.
     *
     * @return at least 1
     */
    public int attempts() {
        return attempts;
    }

    /**
     * Whether the port was in use by another socket (rather than, say, needing privileges).
     *
     * @return true for "address already in use"
     */
    public boolean isInUse() {
        return inUse;
    }

    /**
     * The process id of the process that listens on the port, when the operating system tells.
     *
     * @return the pid, or empty when unknown (not Linux, another user's process, or the port was
     *     released in between)
     */
    public OptionalLong holderPid() {
        return holderPid < 0 ? OptionalLong.empty() : OptionalLong.of(holderPid);
    }
}
