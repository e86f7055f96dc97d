package dev.coldstart.coordination;

import dev.coldstart.coordination.internal.Backoff;
import dev.coldstart.coordination.internal.PortHolders;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ColdstartException;
import dev.coldstart.core.RetryPolicy;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds listening ports atomically and hands over the bound channel, so nothing can take the port
 * between a check and the bind (there is no check: the bind is the check).
 *
 * <p>When the port is in use the {@link PortPolicy} decides: fail with an error naming the port and
 * its holder ({@link PortPolicy#FAIL}, the default), retry with exponential backoff and full jitter
 * until {@link #retryTimeout()} ({@link PortPolicy#RETRY}), or bind an ephemeral port instead
 * ({@link PortPolicy#EPHEMERAL_FALLBACK}).
 *
 * <p>{@code SO_REUSEADDR} is on by default, so a restarted service binds at once although the
 * connections of its previous instance linger in TIME_WAIT; on Linux and macOS this never lets two
 * sockets listen on the same port. Windows differs: there {@code SO_REUSEADDR} lets a second
 * socket bind a port that another socket is actively listening on (port stealing). The JDK
 * therefore binds on Windows with {@code SO_EXCLUSIVEADDRUSE} (system property
 * {@code sun.net.useExclusiveBind}, true by default) and only records {@code SO_REUSEADDR} on
 * server channels instead of applying it, so the default here is safe on Windows too; a JVM started with {@code -Dsun.net.useExclusiveBind=false} on
 * Windows should use {@link Builder#reuseAddress(boolean) reuseAddress(false)}. The holder of a
 * port is only looked up on Linux ({@code /proc}). Failures to bind because of privileges (ports
 * below 1024) or a non-local address are never retried.
 *
 * <p>Built allocators are immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * PortAllocator ports = PortAllocator.builder()
 *         .policy(PortPolicy.RETRY)
 *         .retryTimeout(Duration.ofSeconds(10))
 *         .build();
 * try (BoundPort http = ports.bind(8080)) {
 *     serve(http.channel());
 * }
 * }</pre>
 */
public final class PortAllocator {
    private static final Logger log = LoggerFactory.getLogger(PortAllocator.class);

    /** Default policy: {@link PortPolicy#FAIL}. */
    public static final PortPolicy DEFAULT_POLICY = PortPolicy.FAIL;
    /** Default deadline of {@link PortPolicy#RETRY}: 30 s. */
    public static final Duration DEFAULT_RETRY_TIMEOUT = Duration.ofSeconds(30);
    /** Default backoff of {@link PortPolicy#RETRY}: 50 ms doubling up to 2 s, full jitter. */
    public static final RetryPolicy DEFAULT_RETRY_POLICY = RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(50))
            .maxBackoff(Duration.ofSeconds(2))
            .build();
    /** Default accept backlog: 0, meaning the operating system's default. */
    public static final int DEFAULT_BACKLOG = 0;

    private static final PortAllocator DEFAULTS = builder().build();

    private final InetAddress bindAddress;
    private final PortPolicy policy;
    private final Duration retryTimeout;
    private final RetryPolicy retryPolicy;
    private final boolean reuseAddress;
    private final int backlog;

    private PortAllocator(Builder b) {
        this.bindAddress = b.bindAddress;
        this.policy = b.policy;
        this.retryTimeout = b.retryTimeout;
        this.retryPolicy = b.retryPolicy;
        this.reuseAddress = b.reuseAddress;
        this.backlog = b.backlog;
    }

    /**
     * An allocator with every default: all interfaces, {@link PortPolicy#FAIL},
     * {@code SO_REUSEADDR} on.
     *
     * @return the shared default allocator
     */
    public static PortAllocator ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with every default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder with this allocator's settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.policy = policy;
        b.retryTimeout = retryTimeout;
        b.retryPolicy = retryPolicy;
        b.reuseAddress = reuseAddress;
        b.backlog = backlog;
        return b;
    }

    /**
     * Binds a listening socket to a port, applying the policy when it is in use.
     *
     * @param port the port, between 1 and 65535; 0 binds an ephemeral port chosen by the system
     * @return the bound, listening channel; the caller owns it
     * @throws dev.coldstart.core.ConfigurationException if the port is outside 0..65535
     * @throws PortBindException if the port is in use and the policy gives up (naming the port and,
     *     where the system tells, the holder's pid), or if the bind fails for another reason
     *     (privileges, non-local address), which no policy retries
     * @throws ColdstartException if interrupted while waiting to retry (the interrupt flag is restored)
     */
    public BoundPort bind(int port) {
        Checks.check(port >= 0 && port <= 65535, "port must be between 0 and 65535, but was " + port);
        long deadline = System.nanoTime() + retryTimeout.toNanos();
        int attempts = 0;
        while (true) {
            attempts++;
            BindException failure;
            try {
                return bound(open(port), port, attempts);
            } catch (BindException e) {
                failure = e;
            } catch (IOException e) {
                throw new PortBindException(describe(port) + " could not be bound: " + e.getMessage()
                        + "; check that the address is local and the process may open sockets", port, policy,
                        attempts, false, -1, e);
            }
            if (!isInUse(failure)) {
                throw new PortBindException(describe(port) + " could not be bound: " + failure.getMessage()
                        + (port < 1024 ? "; ports below 1024 need privileges (CAP_NET_BIND_SERVICE on Linux), "
                                + "use a port of 1024 or above" : "; check that the address is local"),
                        port, policy, attempts, false, -1, failure);
            }
            switch (policy) {
                case EPHEMERAL_FALLBACK:
                    return fallback(port, attempts, failure);
                case RETRY:
                    long remaining = deadline - System.nanoTime();
                    if (remaining > 0) {
                        long delay = Math.min(remaining, Backoff.delayNanos(retryPolicy, attempts));
                        log.debug("port {} - in use, retrying in {} ms (attempt {})", port,
                                TimeUnit.NANOSECONDS.toMillis(delay), attempts);
                        Backoff.park(delay, "waiting to retry the bind of port " + port);
                        continue;
                    }
                    throw inUse(port, attempts, failure, " after " + attempts + " attempts over "
                            + seconds(retryTimeout) + "; stop the holder, raise retryTimeout, or choose another port");
                default:
                    throw inUse(port, attempts, failure, "; stop the holder, choose another port, or use "
                            + "PortPolicy.RETRY (wait for it) or PortPolicy.EPHEMERAL_FALLBACK (take any free port)");
            }
        }
    }

    private BoundPort fallback(int port, int attempts, BindException failure) {
        Optional<PortHolders.Holder> holder = PortHolders.listenerOf(port);
        BoundPort bound;
        try {
            bound = bound(open(0), port, attempts + 1);
        } catch (IOException e) {
            e.addSuppressed(failure);
            throw new PortBindException(describe(port) + " is in use and no ephemeral port could be bound either: "
                    + e.getMessage(), port, policy, attempts + 1, true, holder.map(PortHolders.Holder::pid).orElse(-1L), e);
        }
        log.warn("port {} - in use{}; bound ephemeral port {} instead (register this one for discovery)", port,
                holder.map(h -> " by " + h.describe()).orElse(""), bound.port());
        return bound;
    }

    private ServerSocketChannel open(int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
            channel.bind(new InetSocketAddress(bindAddress, port), backlog);
            return channel;
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private static BoundPort bound(ServerSocketChannel channel, int requestedPort, int attempts) throws IOException {
        try {
            return new BoundPort(channel, (InetSocketAddress) channel.getLocalAddress(), requestedPort, attempts);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private PortBindException inUse(int port, int attempts, BindException failure, String advice) {
        Optional<PortHolders.Holder> holder = PortHolders.listenerOf(port);
        String by = holder.map(h -> " by " + h.describe()).orElse(" by another socket");
        return new PortBindException(describe(port) + " is already in use" + by + advice, port, policy, attempts, true,
                holder.map(PortHolders.Holder::pid).orElse(-1L), failure);
    }

    private static boolean isInUse(BindException e) {
        // The JDK reports EADDRINUSE as "Address already in use" (Windows adds ": bind").
        String m = e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("in use");
    }

    private String describe(int port) {
        return "port " + port + " on " + (bindAddress == null ? "all interfaces" : bindAddress.getHostAddress());
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /**
     * The local address to bind.
     *
     * @return the address, or empty for all interfaces
     */
    public Optional<InetAddress> bindAddress() {
        return Optional.ofNullable(bindAddress);
    }

    /**
     * What happens when the port is in use.
     *
     * @return the policy
     */
    public PortPolicy policy() {
        return policy;
    }

    /**
     * How long {@link PortPolicy#RETRY} keeps trying, counted from the first attempt.
     *
     * @return a positive duration
     */
    public Duration retryTimeout() {
        return retryTimeout;
    }

    /**
     * The backoff between attempts under {@link PortPolicy#RETRY}; its attempt limit and circuit
     * breaker settings are not used.
     *
     * @return the retry policy
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * Whether {@code SO_REUSEADDR} is set before binding.
     *
     * @return true by default
     */
    public boolean reuseAddress() {
        return reuseAddress;
    }

    /**
     * The accept backlog.
     *
     * @return the backlog; 0 for the system default
     */
    public int backlog() {
        return backlog;
    }

    @Override
    public String toString() {
        return "PortAllocator{bindAddress=" + (bindAddress == null ? "*" : bindAddress.getHostAddress()) + ", policy="
                + policy + ", retryTimeout=" + retryTimeout + ", reuseAddress=" + reuseAddress + ", backlog=" + backlog
                + '}';
    }

    /** Builder for {@link PortAllocator}; not thread-safe. */
    public static final class Builder {
        private InetAddress bindAddress;
        private PortPolicy policy = DEFAULT_POLICY;
        private Duration retryTimeout = DEFAULT_RETRY_TIMEOUT;
        private RetryPolicy retryPolicy = DEFAULT_RETRY_POLICY;
        private boolean reuseAddress = true;
        private int backlog = DEFAULT_BACKLOG;

        private Builder() {
        }

        /**
         * Sets the local address to bind.
         *
         * @param bindAddress a local address, or null for all interfaces (the default)
         * @return this builder
         */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /**
         * Sets what happens when the port is in use.
         *
         * @param policy not null; default {@link PortPolicy#FAIL}
         * @return this builder
         */
        public Builder policy(PortPolicy policy) {
            this.policy = Checks.notNull(policy, "policy");
            return this;
        }

        /**
         * Sets how long {@link PortPolicy#RETRY} keeps trying.
         *
         * @param retryTimeout positive; default 30 s
         * @return this builder
         */
        public Builder retryTimeout(Duration retryTimeout) {
            this.retryTimeout = Checks.positive(retryTimeout, "retryTimeout");
            return this;
        }

        /**
         * Sets the backoff between attempts under {@link PortPolicy#RETRY}.
         *
         * @param retryPolicy not null; default 50 ms doubling to 2 s with full jitter
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Checks.notNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * Sets whether {@code SO_REUSEADDR} is set before binding, so a restart binds at once over
         * connections in TIME_WAIT. See the class comment for Windows.
         *
         * @param reuseAddress default true
         * @return this builder
         */
        public Builder reuseAddress(boolean reuseAddress) {
            this.reuseAddress = reuseAddress;
            return this;
        }

        /**
         * Sets the accept backlog: how many connections the kernel queues before they are accepted.
         *
         * @param backlog 0 or more; 0 (the default) uses the system's default
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = Checks.notNegative(backlog, "backlog");
            return this;
        }

        /**
         * Builds the allocator.
         *
         * @return an immutable allocator
         */
        public PortAllocator build() {
            return new PortAllocator(this);
        }
    }
}
