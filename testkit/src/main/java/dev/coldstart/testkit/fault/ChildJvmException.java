package dev.coldstart.testkit.fault;

import dev.coldstart.core.ColdstartException;
import java.util.List;
import java.util.OptionalInt;

/**
 * A {@link ChildJvm} did not do what a test waited for: it could not start, did not print the
 * expected line or did not exit before the deadline, or exited first. The message names the
 * child, what was awaited and the last lines it printed; the getters expose the same. Immutable.
 */
public class ChildJvmException extends ColdstartException {
    private static final long serialVersionUID = 1L;

    /** The child's name from its config. */
    private final String childName;
    /** The exit code, or null while the child ran. */
    private final Integer exitCode;
    /** The child's last lines, oldest first. */
    private final List<String> outputTail;

    /**
     * Creates the exception.
     *
     * @param message what was awaited, what happened and what to check
     * @param childName the child's name
     * @param exitCode the exit code if the child had exited
     * @param outputTail the last lines it printed, oldest first
     * @param cause the underlying failure; may be null
     */
    public ChildJvmException(String message, String childName, OptionalInt exitCode, List<String> outputTail,
            Throwable cause) {
        super(message, cause);
        this.childName = childName;
        this.exitCode = exitCode.isPresent() ? exitCode.getAsInt() : null;
        this.outputTail = List.copyOf(outputTail);
    }

    /**
     * The child's name.
     *
     * @return the name from its config
     */
    public String childName() {
        return childName;
    }

    /**
     * The child's exit code, if it had exited when this was thrown.
     *
     * @return the code, or empty while it runs
     */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /**
     * The last lines the child printed (stdout and stderr), oldest first.
     *
     * @return an unmodifiable list, at most 20 lines
     */
    public List<String> outputTail() {
        return outputTail;
    }
}
