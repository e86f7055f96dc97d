package dev.coldstart.testkit.fault;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A sequence of faults over time for a {@link TcpFaultProxy}: each step holds for a duration or for
 * a number of new connections, and the last fault stays in force. Boot-phase faults are what
 * matter for cold start ("the database is down for the first 10 s", "the first 3 connections
 * fail"), so the schedule starts when {@link TcpFaultProxy#schedule(FaultSchedule)} is called.
 *
 * <p>Steps:
 * <ul>
 *   <li>{@link Builder#faultFor(TcpFault, Duration)} (and {@code refuseFor}, {@code resetFor},
 *       {@code blackholeFor}): the fault is in force, proxy-wide, for the duration, measured on
 *       the proxy's selector thread from the moment the step begins.</li>
 *   <li>{@link Builder#failFirst(int)} and {@link Builder#faultForConnections(TcpFault, int)}: the
 *       next {@code n} connections the proxy accepts get the fault (RESET: accepted, counted and
 *       reset; BLACKHOLE: accepted and swallowed for good, never connected upstream, closed when
 *       the client closes); connections already open keep forwarding and the port listens. The
 *       step ends right after the {@code n}-th accept, so connection {@code n + 1} gets the next
 *       step.</li>
 *   <li>{@link Builder#resetOpenConnections()}: an instant step that resets every open
 *       connection, as a server crash does.</li>
 *   <li>{@link Builder#thenForward()} or {@link Builder#then(TcpFault)} end the schedule with the
 *       fault that stays in force.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * proxy.schedule(FaultSchedule.builder().refuseFor(Duration.ofSeconds(10)).thenForward());
 * proxy.schedule(FaultSchedule.builder().failFirst(3).thenForward());
 * }</pre>
 */
public final class FaultSchedule {
    /** The kind of a {@link Step}. */
    public enum StepKind {
        /** A fault for a duration. */
        FOR_DURATION,
        /** A fault for the next {@code n} accepted connections. */
        FOR_CONNECTIONS,
        /** Reset every open connection, then go on at once. */
        RESET_OPEN_CONNECTIONS,
        /** The fault that stays in force once the schedule ends. */
        FINALLY
    }

    /**
     * One step of a schedule. Immutable and thread-safe.
     */
    public static final class Step {
        private final StepKind kind;
        private final TcpFault fault;
        private final Duration duration;
        private final int connections;

        private Step(StepKind kind, TcpFault fault, Duration duration, int connections) {
            this.kind = kind;
            this.fault = fault;
            this.duration = duration;
            this.connections = connections;
        }

        /**
         * The step's kind.
         *
         * @return the kind
         */
        public StepKind kind() {
            return kind;
        }

        /**
         * The fault of the step.
         *
         * @return the fault; {@link TcpFault#none()} for {@link StepKind#RESET_OPEN_CONNECTIONS}
         */
        public TcpFault fault() {
            return fault;
        }

        /**
         * How long a {@link StepKind#FOR_DURATION} step lasts.
         *
         * @return the duration; zero for other kinds
         */
        public Duration duration() {
            return duration;
        }

        /**
         * How many connections a {@link StepKind#FOR_CONNECTIONS} step affects.
         *
         * @return the count; 0 for other kinds
         */
        public int connections() {
            return connections;
        }

        @Override
        public String toString() {
            switch (kind) {
                case FOR_DURATION:
                    return fault + " for " + duration.toMillis() + "ms";
                case FOR_CONNECTIONS:
                    return fault + " for the next " + connections + " connections";
                case RESET_OPEN_CONNECTIONS:
                    return "reset open connections";
                default:
                    return "then " + fault;
            }
        }
    }

    private final List<Step> steps;

    private FaultSchedule(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Starts an empty schedule.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The steps in order; the last is always {@link StepKind#FINALLY}.
     *
     * @return an unmodifiable list
     */
    public List<Step> steps() {
        return steps;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultSchedule && steps.toString().equals(((FaultSchedule) o).steps.toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(steps.toString());
    }

    @Override
    public String toString() {
        return steps.stream().map(Step::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Builds a {@link FaultSchedule}, ending with {@link #thenForward()} or {@link #then(TcpFault)}. Not thread-safe. */
    public static final class Builder {
        private final List<Step> steps = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a fault for a duration.
         *
         * @param fault the fault in force during the step
         * @param duration how long; greater than 0
         * @return this builder
         * @throws ConfigurationException if the fault is null or the duration null or not positive
         */
        public Builder faultFor(TcpFault fault, Duration duration) {
            Checks.notNull(fault, "fault");
            steps.add(new Step(StepKind.FOR_DURATION, fault, Checks.positive(duration, "duration"), 0));
            return this;
        }

        /**
         * Refuses connections at the kernel for a duration; see {@link TcpFault.Mode#REFUSE}.
         *
         * @param duration how long; greater than 0
         * @return this builder
         * @throws ConfigurationException if the duration is null or not positive
         */
        public Builder refuseFor(Duration duration) {
            return faultFor(TcpFault.refuse(), duration);
        }

        /**
         * Accepts, counts and resets new connections for a duration; see {@link TcpFault.Mode#RESET}.
         *
         * @param duration how long; greater than 0
         * @return this builder
         * @throws ConfigurationException if the duration is null or not positive
         */
        public Builder resetFor(Duration duration) {
            return faultFor(TcpFault.reset(), duration);
        }

        /**
         * Relays nothing for a duration; see {@link TcpFault.Mode#BLACKHOLE}.
         *
         * @param duration how long; greater than 0
         * @return this builder
         * @throws ConfigurationException if the duration is null or not positive
         */
        public Builder blackholeFor(Duration duration) {
            return faultFor(TcpFault.blackhole(), duration);
        }

        /**
         * Resets the next {@code connections} connections the proxy accepts.
         *
         * @param connections how many; greater than 0
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder failFirst(int connections) {
            return faultForConnections(TcpFault.reset(), connections);
        }

        /**
         * Applies a fault to the next {@code connections} connections the proxy accepts.
         *
         * @param fault {@link TcpFault.Mode#RESET} or {@link TcpFault.Mode#BLACKHOLE}: the modes that
         *     act on one accepted connection
         * @param connections how many; greater than 0
         * @return this builder
         * @throws ConfigurationException if the fault has another mode or the count is not positive
         */
        public Builder faultForConnections(TcpFault fault, int connections) {
            Checks.notNull(fault, "fault");
            Checks.check(fault.mode() == TcpFault.Mode.RESET || fault.mode() == TcpFault.Mode.BLACKHOLE,
                    "fault.mode must be RESET or BLACKHOLE for a step counted in connections, but was " + fault.mode()
                            + " (REFUSE connections never reach the proxy, so they cannot be counted)");
            steps.add(new Step(StepKind.FOR_CONNECTIONS, fault, Duration.ZERO,
                    Checks.positive(connections, "connections")));
            return this;
        }

        /**
         * Adds an instant step that resets every connection open at that moment.
         *
         * @return this builder
         */
        public Builder resetOpenConnections() {
            steps.add(new Step(StepKind.RESET_OPEN_CONNECTIONS, TcpFault.none(), Duration.ZERO, 0));
            return this;
        }

        /**
         * Ends the schedule with no fault.
         *
         * @return the schedule
         */
        public FaultSchedule thenForward() {
            return then(TcpFault.none());
        }

        /**
         * Ends the schedule with a fault that stays in force.
         *
         * @param fault the final fault
         * @return the schedule
         * @throws ConfigurationException if null
         */
        public FaultSchedule then(TcpFault fault) {
            Checks.notNull(fault, "fault");
            List<Step> all = new ArrayList<>(steps);
            all.add(new Step(StepKind.FINALLY, fault, Duration.ZERO, 0));
            return new FaultSchedule(all);
        }
    }
}
