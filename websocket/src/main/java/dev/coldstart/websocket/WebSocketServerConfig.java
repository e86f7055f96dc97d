package dev.coldstart.websocket;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.time.Duration;

/**
 * Everything a {@link WebSocketServer} needs: where it listens, who may upgrade and how fast, how
 * it checks that connections are alive, and where it buffers messages for resume.
 *
 * <p>Cross-field rules are checked at {@link Builder#build()}, so a misconfigured server fails at
 * startup, never on the first browser that connects: a token read from a cookie needs an
 * {@link OriginPolicy} that lists origins and allows credentials (a wildcard origin with cookie
 * credentials would let any web page act as the user), and {@link HeartbeatConfig} already refuses
 * a heartbeat not shorter than the idle timeout in front.
 *
 * <p>Immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * WebSocketServerConfig config = WebSocketServerConfig.builder()
 *         .port(8081)
 *         .originPolicy(OriginPolicy.builder().allowOrigin("https://app.example.com").build())
 *         .auth(UpgradeAuth.bearer(identityProvider).queryParameter("access_token").build())
 *         .messageLog(MessageLog.redis("ws-log", URI.create("redis://redis:6379"), "app:ws:", BufferLimits.ofDefaults()))
 *         .build();
 * }</pre>
 */
public final class WebSocketServerConfig {
    /** Default component name: {@code "websocket"}. */
    public static final String DEFAULT_NAME = "websocket";
    /** Default interface: {@code "0.0.0.0"}, all of them. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    /** Default path of the WebSocket endpoint: {@code "/ws"}. */
    public static final String DEFAULT_PATH = "/ws";
    /** Default TCP accept backlog: 4,096 pending connections (the kernel may cap it at somaxconn). */
    public static final int DEFAULT_ACCEPT_QUEUE_SIZE = 4096;
    /** Default largest number of server threads: 128. */
    public static final int DEFAULT_MAX_THREADS = 128;
    /** Default threads that send to sessions: 2. */
    public static final int DEFAULT_SENDER_THREADS = 2;
    /** Default time a new connection has to send its hello: 10 s. */
    public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(10);
    /** Default frames in flight per connection before its sender waits: 4. */
    public static final int DEFAULT_MAX_FRAMES_IN_FLIGHT = 4;
    /** Default most messages batched into one frame: 64. */
    public static final int DEFAULT_MAX_MESSAGES_PER_FRAME = 64;
    /** Default size at which a frame stops taking more messages: 64 KiB of text. */
    public static final int DEFAULT_MAX_FRAME_CHARS = 64 * 1024;
    /** Default interval at which connected sessions look for messages appended by other processes: 1 s. */
    public static final Duration DEFAULT_LOG_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Default largest message a client may send: 64 KiB. */
    public static final int DEFAULT_MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;

    private final String name;
    private final String host;
    private final int port;
    private final String path;
    private final int acceptQueueSize;
    private final int maxThreads;
    private final int senderThreads;
    private final AdmissionConfig admission;
    private final OriginPolicy originPolicy;
    private final UpgradeAuth auth;
    private final HeartbeatConfig heartbeat;
    private final MessageLog messageLog;
    private final SessionListener listener;
    private final Duration helloTimeout;
    private final int maxFramesInFlight;
    private final int maxMessagesPerFrame;
    private final int maxFrameChars;
    private final int maxClientMessageBytes;
    private final Duration logPollInterval;

    private WebSocketServerConfig(Builder b) {
        this.name = b.name;
        this.host = b.host;
        this.port = b.port;
        this.path = b.path;
        this.acceptQueueSize = b.acceptQueueSize;
        this.maxThreads = b.maxThreads;
        this.senderThreads = b.senderThreads;
        this.admission = b.admission;
        this.originPolicy = b.originPolicy;
        this.auth = b.auth;
        this.heartbeat = b.heartbeat;
        this.messageLog = b.messageLog != null ? b.messageLog
                : MessageLog.inMemory(b.name + "-log", BufferLimits.ofDefaults());
        this.listener = b.listener;
        this.helloTimeout = b.helloTimeout;
        this.maxFramesInFlight = b.maxFramesInFlight;
        this.maxMessagesPerFrame = b.maxMessagesPerFrame;
        this.maxFrameChars = b.maxFrameChars;
        this.maxClientMessageBytes = b.maxClientMessageBytes;
        this.logPollInterval = b.logPollInterval;
    }

    /**
     * Starts a builder with the defaults: port 0 (any free port), path {@code /ws}, default
     * admission and heartbeat, non-browser clients only (no {@code Origin} allowed), no
     * authentication, an in-memory log with default limits.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this config's values, including the same message log instance.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.host = host;
        b.port = port;
        b.path = path;
        b.acceptQueueSize = acceptQueueSize;
        b.maxThreads = maxThreads;
        b.senderThreads = senderThreads;
        b.admission = admission;
        b.originPolicy = originPolicy;
        b.auth = auth;
        b.heartbeat = heartbeat;
        b.messageLog = messageLog;
        b.listener = listener;
        b.helloTimeout = helloTimeout;
        b.maxFramesInFlight = maxFramesInFlight;
        b.maxMessagesPerFrame = maxMessagesPerFrame;
        b.maxFrameChars = maxFrameChars;
        b.maxClientMessageBytes = maxClientMessageBytes;
        b.logPollInterval = logPollInterval;
        return b;
    }

    /**
     * The server component's name; its parts are named {@code <name>-heartbeats} and
     * {@code <name>-sender}.
     *
     * @return a non-blank name
     */
    public String name() {
        return name;
    }

    /**
     * The interface the server binds.
     *
     * @return a host name or address
     */
    public String host() {
        return host;
    }

    /**
     * The port the server binds.
     *
     * @return 0 for any free port, else 1 to 65535
     */
    public int port() {
        return port;
    }

    /**
     * The path of the WebSocket endpoint.
     *
     * @return a path starting with {@code /}
     */
    public String path() {
        return path;
    }

    /**
     * The TCP accept backlog.
     *
     * @return at least 1
     */
    public int acceptQueueSize() {
        return acceptQueueSize;
    }

    /**
     * The largest number of Jetty server threads.
     *
     * @return at least 8
     */
    public int maxThreads() {
        return maxThreads;
    }

    /**
     * The threads that read sessions' logs and hand frames to Jetty.
     *
     * @return at least 1
     */
    public int senderThreads() {
        return senderThreads;
    }

    /**
     * The upgrade admission.
     *
     * @return the admission settings
     */
    public AdmissionConfig admission() {
        return admission;
    }

    /**
     * The origin policy, checked first on every upgrade.
     *
     * @return the policy
     */
    public OriginPolicy originPolicy() {
        return originPolicy;
    }

    /**
     * The token check at the upgrade.
     *
     * @return the settings
     */
    public UpgradeAuth auth() {
        return auth;
    }

    /**
     * The heartbeat.
     *
     * @return the settings
     */
    public HeartbeatConfig heartbeat() {
        return heartbeat;
    }

    /**
     * The per-session message log.
     *
     * @return the log
     */
    public MessageLog messageLog() {
        return messageLog;
    }

    /**
     * The application's session listener.
     *
     * @return the listener; a no-op by default
     */
    public SessionListener listener() {
        return listener;
    }

    /**
     * How long a new connection has to send its hello before it is closed with 1008.
     *
     * @return a positive duration
     */
    public Duration helloTimeout() {
        return helloTimeout;
    }

    /**
     * Frames handed to Jetty and not yet written, per connection, before the sender waits: the
     * backpressure window.
     *
     * @return at least 1
     */
    public int maxFramesInFlight() {
        return maxFramesInFlight;
    }

    /**
     * The most messages batched into one frame when a session has a backlog.
     *
     * @return at least 1
     */
    public int maxMessagesPerFrame() {
        return maxMessagesPerFrame;
    }

    /**
     * The frame length (in UTF-16 characters) at which a frame takes no more messages; a single
     * message longer than this still goes out, alone.
     *
     * @return at least 1,024
     */
    public int maxFrameChars() {
        return maxFrameChars;
    }

    /**
     * The largest text message a client may send.
     *
     * @return at least 1,024 bytes
     */
    public int maxClientMessageBytes() {
        return maxClientMessageBytes;
    }

    /**
     * How often each connected session looks in the log for messages this server did not append
     * itself: appended by a publisher process, another replica, or while this instance was down.
     * Messages appended through this server's {@link WebSocketServer#broadcaster()} are sent at once.
     *
     * @return a positive duration
     */
    public Duration logPollInterval() {
        return logPollInterval;
    }

    @Override
    public String toString() {
        return "WebSocketServerConfig{name=" + name + ", host=" + host + ", port=" + port + ", path=" + path
                + ", acceptQueueSize=" + acceptQueueSize + ", maxThreads=" + maxThreads + ", senderThreads="
                + senderThreads + ", " + admission + ", " + originPolicy + ", " + auth + ", " + heartbeat
                + ", messageLog=" + messageLog.name() + ", helloTimeout=" + helloTimeout + ", maxFramesInFlight="
                + maxFramesInFlight + ", maxMessagesPerFrame=" + maxMessagesPerFrame + '}';
    }

    /** Builder for {@link WebSocketServerConfig}; not thread-safe. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String host = DEFAULT_HOST;
        private int port;
        private String path = DEFAULT_PATH;
        private int acceptQueueSize = DEFAULT_ACCEPT_QUEUE_SIZE;
        private int maxThreads = DEFAULT_MAX_THREADS;
        private int senderThreads = DEFAULT_SENDER_THREADS;
        private AdmissionConfig admission = AdmissionConfig.ofDefaults();
        private OriginPolicy originPolicy = OriginPolicy.builder().allowMissingOrigin(true).build();
        private UpgradeAuth auth = UpgradeAuth.none();
        private HeartbeatConfig heartbeat = HeartbeatConfig.ofDefaults();
        private MessageLog messageLog;
        private SessionListener listener = new SessionListener() { };
        private Duration helloTimeout = DEFAULT_HELLO_TIMEOUT;
        private int maxFramesInFlight = DEFAULT_MAX_FRAMES_IN_FLIGHT;
        private int maxMessagesPerFrame = DEFAULT_MAX_MESSAGES_PER_FRAME;
        private int maxFrameChars = DEFAULT_MAX_FRAME_CHARS;
        private int maxClientMessageBytes = DEFAULT_MAX_CLIENT_MESSAGE_BYTES;
        private Duration logPollInterval = DEFAULT_LOG_POLL_INTERVAL;

        private Builder() {
        }

        /**
         * Sets the component's name.
         *
         * @param name not blank; default {@code "websocket"}
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Sets the interface to bind.
         *
         * @param host a host name or address, for example {@code "127.0.0.1"}; default all interfaces
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder host(String host) {
            this.host = Checks.notBlank(host, "host");
            return this;
        }

        /**
         * Sets the port to bind.
         *
         * @param port 0 for any free port (the default), else 1 to 65535
         * @return this builder
         * @throws ConfigurationException if out of range
         */
        public Builder port(int port) {
            Checks.check(port >= 0 && port <= 65535, "port must be between 0 and 65535, but was " + port);
            this.port = port;
            return this;
        }

        /**
         * Sets the endpoint's path.
         *
         * @param path starting with {@code /}; default {@code /ws}
         * @return this builder
         * @throws ConfigurationException if it does not start with {@code /}
         */
        public Builder path(String path) {
            Checks.notBlank(path, "path");
            Checks.check(path.startsWith("/"), "path must start with /, but was \"" + path + "\"");
            this.path = path;
            return this;
        }

        /**
         * Sets the TCP accept backlog, which must hold a connection storm until the acceptor takes it.
         *
         * @param acceptQueueSize at least 1; default 4,096
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder acceptQueueSize(int acceptQueueSize) {
            this.acceptQueueSize = Checks.positive(acceptQueueSize, "acceptQueueSize");
            return this;
        }

        /**
         * Sets the largest number of Jetty server threads.
         *
         * @param maxThreads at least 8; default 128
         * @return this builder
         * @throws ConfigurationException if below 8
         */
        public Builder maxThreads(int maxThreads) {
            Checks.check(maxThreads >= 8, "maxThreads must be at least 8, but was " + maxThreads);
            this.maxThreads = maxThreads;
            return this;
        }

        /**
         * Sets the threads that send to sessions.
         *
         * @param senderThreads at least 1; default 2
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder senderThreads(int senderThreads) {
            this.senderThreads = Checks.positive(senderThreads, "senderThreads");
            return this;
        }

        /**
         * Sets the upgrade admission.
         *
         * @param admission not null; default {@link AdmissionConfig#ofDefaults()}
         * @return this builder
         */
        public Builder admission(AdmissionConfig admission) {
            this.admission = Checks.notNull(admission, "admission");
            return this;
        }

        /**
         * Sets the origin policy.
         *
         * @param originPolicy not null; default: only clients without {@code Origin} (non-browsers)
         * @return this builder
         */
        public Builder originPolicy(OriginPolicy originPolicy) {
            this.originPolicy = Checks.notNull(originPolicy, "originPolicy");
            return this;
        }

        /**
         * Sets the token check.
         *
         * @param auth not null; default {@link UpgradeAuth#none()}
         * @return this builder
         */
        public Builder auth(UpgradeAuth auth) {
            this.auth = Checks.notNull(auth, "auth");
            return this;
        }

        /**
         * Sets the heartbeat.
         *
         * @param heartbeat not null; default {@link HeartbeatConfig#ofDefaults()}
         * @return this builder
         */
        public Builder heartbeat(HeartbeatConfig heartbeat) {
            this.heartbeat = Checks.notNull(heartbeat, "heartbeat");
            return this;
        }

        /**
         * Sets the message log; the server depends on it as a component.
         *
         * @param messageLog not null; default an in-memory log named {@code <name>-log}
         * @return this builder
         */
        public Builder messageLog(MessageLog messageLog) {
            this.messageLog = Checks.notNull(messageLog, "messageLog");
            return this;
        }

        /**
         * Sets the application's session listener.
         *
         * @param listener not null; default a no-op
         * @return this builder
         */
        public Builder listener(SessionListener listener) {
            this.listener = Checks.notNull(listener, "listener");
            return this;
        }

        /**
         * Sets how long a new connection has to send its hello.
         *
         * @param helloTimeout positive; default 10 s
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder helloTimeout(Duration helloTimeout) {
            this.helloTimeout = Checks.positive(helloTimeout, "helloTimeout");
            return this;
        }

        /**
         * Sets the backpressure window per connection.
         *
         * @param maxFramesInFlight at least 1; default 4
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxFramesInFlight(int maxFramesInFlight) {
            this.maxFramesInFlight = Checks.positive(maxFramesInFlight, "maxFramesInFlight");
            return this;
        }

        /**
         * Sets the most messages batched into one frame.
         *
         * @param maxMessagesPerFrame at least 1; default 64
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxMessagesPerFrame(int maxMessagesPerFrame) {
            this.maxMessagesPerFrame = Checks.positive(maxMessagesPerFrame, "maxMessagesPerFrame");
            return this;
        }

        /**
         * Sets the frame length at which a frame takes no more messages.
         *
         * @param maxFrameChars at least 1,024; default 65,536
         * @return this builder
         * @throws ConfigurationException if below 1,024
         */
        public Builder maxFrameChars(int maxFrameChars) {
            Checks.check(maxFrameChars >= 1024, "maxFrameChars must be at least 1024, but was " + maxFrameChars);
            this.maxFrameChars = maxFrameChars;
            return this;
        }

        /**
         * Sets the largest text message a client may send.
         *
         * @param maxClientMessageBytes at least 1,024; default 65,536
         * @return this builder
         * @throws ConfigurationException if below 1,024
         */
        public Builder maxClientMessageBytes(int maxClientMessageBytes) {
            Checks.check(maxClientMessageBytes >= 1024,
                    "maxClientMessageBytes must be at least 1024, but was " + maxClientMessageBytes);
            this.maxClientMessageBytes = maxClientMessageBytes;
            return this;
        }

        /**
         * Sets how often connected sessions look for messages appended by other processes.
         *
         * @param logPollInterval at least 10 ms; default 1 s
         * @return this builder
         * @throws ConfigurationException if shorter than 10 ms
         */
        public Builder logPollInterval(Duration logPollInterval) {
            Checks.positive(logPollInterval, "logPollInterval");
            Checks.check(logPollInterval.toMillis() >= 10, "logPollInterval must be at least PT0.01S, but was " + logPollInterval);
            this.logPollInterval = logPollInterval;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         * @throws ConfigurationException if the token may come from a cookie while the origin policy
         *     allows any origin or does not allow credentials
         */
        public WebSocketServerConfig build() {
            if (auth.cookieName() != null) {
                Checks.check(!originPolicy.anyOrigin(), "originPolicy must list the allowed origins when auth reads the "
                        + "token from cookie \"" + auth.cookieName() + "\" (a wildcard origin with cookie credentials lets "
                        + "every web page connect as the user), but was " + originPolicy);
                Checks.check(originPolicy.allowCredentials(), "originPolicy must allow credentials when auth reads the "
                        + "token from cookie \"" + auth.cookieName() + "\", but was " + originPolicy);
            }
            return new WebSocketServerConfig(this);
        }
    }
}
