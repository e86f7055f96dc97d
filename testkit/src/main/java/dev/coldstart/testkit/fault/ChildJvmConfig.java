package dev.coldstart.testkit.fault;

import dev.coldstart.core.Checks;
import dev.coldstart.core.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a {@link ChildJvm} is launched: main class and arguments, classpath, heap, system
 * properties, environment, extra JVM arguments and OS limits.
 *
 * <p>OS limits are applied by a shell: with {@link Builder#openFilesLimit(int)} the command is
 * {@code bash -c 'ulimit -n N && exec java ...'}, so the JVM itself (same pid, thanks to
 * {@code exec}) runs under the limit, soft and hard. The JVM raises its soft limit to the hard one
 * at start (HotSpot's {@code -XX:+MaxFDLimit}), which is why both are set.
 *
 * <p>Built configs are immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * ChildJvmConfig config = ChildJvmConfig.builder(MyService.class)
 *         .maxHeapBytes(64L * 1024 * 1024)
 *         .openFilesLimit(256)
 *         .systemProperty("service.port", "0")
 *         .build();
 * }</pre>
 */
public final class ChildJvmConfig {
    /** Default lines kept in memory per child (stdout and stderr together): 10,000. */
    public static final int DEFAULT_MAX_CAPTURED_LINES = 10_000;
    /** Default time between SIGTERM and SIGKILL on close: zero, the tree is killed at once. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ZERO;
    private static final long MIN_HEAP_BYTES = 2L * 1024 * 1024;

    private final String mainClass;
    private final List<String> args;
    private final String name;
    private final String classpath;
    private final Path javaExecutable;
    private final long maxHeapBytes;
    private final Map<String, String> systemProperties;
    private final List<String> jvmArgs;
    private final Map<String, String> environment;
    private final boolean inheritEnvironment;
    private final int openFilesLimit;
    private final Path workingDirectory;
    private final Path outputFile;
    private final int maxCapturedLines;
    private final Duration shutdownGrace;

    private ChildJvmConfig(Builder b) {
        this.mainClass = b.mainClass;
        this.args = List.copyOf(b.args);
        this.name = b.name != null ? b.name : simpleName(b.mainClass);
        this.classpath = b.classpath != null ? b.classpath : System.getProperty("java.class.path", "");
        this.javaExecutable = b.javaExecutable != null ? b.javaExecutable
                : Path.of(System.getProperty("java.home"), "bin", "java");
        this.maxHeapBytes = b.maxHeapBytes;
        this.systemProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.systemProperties));
        this.jvmArgs = List.copyOf(b.jvmArgs);
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.inheritEnvironment = b.inheritEnvironment;
        this.openFilesLimit = b.openFilesLimit;
        this.workingDirectory = b.workingDirectory;
        this.outputFile = b.outputFile;
        this.maxCapturedLines = b.maxCapturedLines;
        this.shutdownGrace = b.shutdownGrace;
    }

    /**
     * Starts a builder for a main class.
     *
     * @param mainClass the class whose {@code main} the child runs; it must be on the classpath
     * @return a new builder
     * @throws ConfigurationException if null
     */
    public static Builder builder(Class<?> mainClass) {
        return builder(Checks.notNull(mainClass, "mainClass").getName());
    }

    /**
     * Starts a builder for a main class given by name.
     *
     * @param mainClass the fully qualified class name
     * @return a new builder
     * @throws ConfigurationException if blank
     */
    public static Builder builder(String mainClass) {
        return new Builder(Checks.notBlank(mainClass, "mainClass"));
    }

    /**
     * A builder holding this config's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(mainClass);
        b.args.addAll(args);
        b.name = name;
        b.classpath = classpath;
        b.javaExecutable = javaExecutable;
        b.maxHeapBytes = maxHeapBytes;
        b.systemProperties.putAll(systemProperties);
        b.jvmArgs.addAll(jvmArgs);
        b.environment.putAll(environment);
        b.inheritEnvironment = inheritEnvironment;
        b.openFilesLimit = openFilesLimit;
        b.workingDirectory = workingDirectory;
        b.outputFile = outputFile;
        b.maxCapturedLines = maxCapturedLines;
        b.shutdownGrace = shutdownGrace;
        return b;
    }

    /**
     * The main class.
     *
     * @return the fully qualified name
     */
    public String mainClass() {
        return mainClass;
    }

    /**
     * Arguments passed to {@code main}.
     *
     * @return an unmodifiable list, empty by default
     */
    public List<String> args() {
        return args;
    }

    /**
     * The name that starts log messages and names the output threads.
     *
     * @return the name; default the main class's simple name
     */
    public String name() {
        return name;
    }

    /**
     * The child's classpath.
     *
     * @return the classpath; default this JVM's {@code java.class.path} (a test's classpath)
     */
    public String classpath() {
        return classpath;
    }

    /**
     * The {@code java} launcher.
     *
     * @return the path; default {@code ${java.home}/bin/java}, the JDK running this JVM
     */
    public Path javaExecutable() {
        return javaExecutable;
    }

    /**
     * The heap limit passed as {@code -Xmx}.
     *
     * @return bytes; 0 (the default) leaves the JVM's own default
     */
    public long maxHeapBytes() {
        return maxHeapBytes;
    }

    /**
     * System properties passed as {@code -Dkey=value}, in insertion order.
     *
     * @return an unmodifiable map, empty by default
     */
    public Map<String, String> systemProperties() {
        return systemProperties;
    }

    /**
     * Extra JVM arguments, placed after {@code -Xmx} and the system properties.
     *
     * @return an unmodifiable list, empty by default
     */
    public List<String> jvmArgs() {
        return jvmArgs;
    }

    /**
     * Environment variables set for the child, on top of the inherited ones.
     *
     * @return an unmodifiable map, empty by default
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Whether the child inherits this JVM's environment.
     *
     * @return true by default
     */
    public boolean inheritEnvironment() {
        return inheritEnvironment;
    }

    /**
     * The open-files limit ({@code ulimit -n}) of the child, soft and hard.
     *
     * @return the limit; 0 (the default) inherits this process's limit
     */
    public int openFilesLimit() {
        return openFilesLimit;
    }

    /**
     * The child's working directory.
     *
     * @return the directory, or empty (the default) for this process's working directory
     */
    public Optional<Path> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /**
     * A file that receives every output line too (stderr lines prefixed with {@code [stderr] }),
     * created or truncated at start.
     *
     * @return the file, or empty (the default) to capture in memory only
     */
    public Optional<Path> outputFile() {
        return Optional.ofNullable(outputFile);
    }

    /**
     * How many output lines are kept in memory; older lines are dropped beyond it.
     *
     * @return positive; default {@value #DEFAULT_MAX_CAPTURED_LINES}
     */
    public int maxCapturedLines() {
        return maxCapturedLines;
    }

    /**
     * Time between SIGTERM to the child and SIGKILL to its whole tree on {@link ChildJvm#close()}.
     *
     * @return zero or more; default zero (SIGKILL at once)
     */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    @Override
    public String toString() {
        return "ChildJvmConfig(name=" + name + ", mainClass=" + mainClass + ", args=" + args + ", maxHeapBytes="
                + maxHeapBytes + ", systemProperties=" + systemProperties.keySet() + ", jvmArgs=" + jvmArgs
                + ", environment=" + environment.keySet() + ", openFilesLimit=" + openFilesLimit + ")";
    }

    private static String simpleName(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return simple.substring(simple.lastIndexOf('$') + 1);
    }

    /** Builds a {@link ChildJvmConfig}. Not thread-safe. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> args = new ArrayList<>();
        private String name;
        private String classpath;
        private Path javaExecutable;
        private long maxHeapBytes;
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private boolean inheritEnvironment = true;
        private int openFilesLimit;
        private Path workingDirectory;
        private Path outputFile;
        private int maxCapturedLines = DEFAULT_MAX_CAPTURED_LINES;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

        private Builder(String mainClass) {
            this.mainClass = mainClass;
        }

        /**
         * Appends arguments for {@code main}.
         *
         * @param args the arguments, none null
         * @return this builder
         * @throws ConfigurationException if any is null
         */
        public Builder args(String... args) {
            for (String a : Checks.notNull(args, "args")) {
                this.args.add(Checks.notNull(a, "args[]"));
            }
            return this;
        }

        /**
         * Sets the name used in logs.
         *
         * @param name not blank
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder name(String name) {
            this.name = Checks.notBlank(name, "name");
            return this;
        }

        /**
         * Sets the classpath.
         *
         * @param classpath entries joined with the platform's path separator; not blank
         * @return this builder
         * @throws ConfigurationException if blank
         */
        public Builder classpath(String classpath) {
            this.classpath = Checks.notBlank(classpath, "classpath");
            return this;
        }

        /**
         * Sets the {@code java} launcher.
         *
         * @param javaExecutable the path
         * @return this builder
         * @throws ConfigurationException if null
         */
        public Builder javaExecutable(Path javaExecutable) {
            this.javaExecutable = Checks.notNull(javaExecutable, "javaExecutable");
            return this;
        }

        /**
         * Sets the heap limit ({@code -Xmx}).
         *
         * @param maxHeapBytes 0 for the JVM's default, else at least 2 MiB (the JVM's minimum)
         * @return this builder
         * @throws ConfigurationException if negative or between 1 byte and 2 MiB
         */
        public Builder maxHeapBytes(long maxHeapBytes) {
            Checks.check(maxHeapBytes == 0 || maxHeapBytes >= MIN_HEAP_BYTES,
                    "maxHeapBytes must be 0 (JVM default) or at least " + MIN_HEAP_BYTES + ", but was " + maxHeapBytes);
            this.maxHeapBytes = maxHeapBytes;
            return this;
        }

        /**
         * Adds a system property ({@code -Dkey=value}).
         *
         * @param key not blank
         * @param value not null, may be empty
         * @return this builder
         * @throws ConfigurationException if the key is blank or the value null
         */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(Checks.notBlank(key, "systemProperty.key"), Checks.notNull(value, "systemProperty.value"));
            return this;
        }

        /**
         * Appends JVM arguments, such as {@code -XX:+UseSerialGC}.
         *
         * @param jvmArgs the arguments, none blank
         * @return this builder
         * @throws ConfigurationException if any is blank
         */
        public Builder jvmArgs(String... jvmArgs) {
            for (String a : Checks.notNull(jvmArgs, "jvmArgs")) {
                this.jvmArgs.add(Checks.notBlank(a, "jvmArgs[]"));
            }
            return this;
        }

        /**
         * Sets an environment variable for the child.
         *
         * @param key not blank
         * @param value not null, may be empty
         * @return this builder
         * @throws ConfigurationException if the key is blank or the value null
         */
        public Builder environment(String key, String value) {
            environment.put(Checks.notBlank(key, "environment.key"), Checks.notNull(value, "environment.value"));
            return this;
        }

        /**
         * Sets whether the child inherits this JVM's environment.
         *
         * @param inheritEnvironment default true; false starts from an empty environment plus
         *     {@link #environment(String, String)}
         * @return this builder
         */
        public Builder inheritEnvironment(boolean inheritEnvironment) {
            this.inheritEnvironment = inheritEnvironment;
            return this;
        }

        /**
         * Sets the open-files limit ({@code ulimit -n}); needs {@code bash} on the PATH.
         *
         * @param openFilesLimit 0 to inherit (the default), else at least 16 (below that a JVM
         *     cannot start)
         * @return this builder
         * @throws ConfigurationException if negative or between 1 and 15
         */
        public Builder openFilesLimit(int openFilesLimit) {
            Checks.check(openFilesLimit == 0 || openFilesLimit >= 16,
                    "openFilesLimit must be 0 (inherit) or at least 16, but was " + openFilesLimit);
            this.openFilesLimit = openFilesLimit;
            return this;
        }

        /**
         * Sets the working directory.
         *
         * @param workingDirectory an existing directory
         * @return this builder
         * @throws ConfigurationException if null
         */
        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = Checks.notNull(workingDirectory, "workingDirectory");
            return this;
        }

        /**
         * Sets a file that receives every output line too.
         *
         * @param outputFile the file; its directory must exist
         * @return this builder
         * @throws ConfigurationException if null
         */
        public Builder outputFile(Path outputFile) {
            this.outputFile = Checks.notNull(outputFile, "outputFile");
            return this;
        }

        /**
         * Sets how many output lines are kept in memory.
         *
         * @param maxCapturedLines positive; default {@value #DEFAULT_MAX_CAPTURED_LINES}
         * @return this builder
         * @throws ConfigurationException if not positive
         */
        public Builder maxCapturedLines(int maxCapturedLines) {
            this.maxCapturedLines = Checks.positive(maxCapturedLines, "maxCapturedLines");
            return this;
        }

        /**
         * Sets the time between SIGTERM and SIGKILL on close.
         *
         * @param shutdownGrace zero or more; default zero
         * @return this builder
         * @throws ConfigurationException if null or negative
         */
        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = Checks.notNegative(shutdownGrace, "shutdownGrace");
            return this;
        }

        /**
         * Builds the config.
         *
         * @return an immutable config
         */
        public ChildJvmConfig build() {
            return new ChildJvmConfig(this);
        }
    }
}
