package dev.coldstart.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the rows of {@code docs/benchmarks.md} and prints each as Markdown (and appends it to
 * {@code --out}, by default {@code benchmarks/target/results.md}).
 *
 * <pre>
 * java -cp "$(cat benchmarks/target/benchmarks.classpath):benchmarks/target/classes" \
 *     dev.coldstart.benchmarks.BenchmarkMain b1|b2|b3|b4|b5|b6|b7|all [--smoke] [--runs N]
 * </pre>
 *
 * <p>{@code --smoke} shrinks every row to seconds (tiny sizes, JMH in-process with one iteration) so
 * that the build can run each row and the benchmarks cannot rot; its figures mean nothing.
 */
public final class BenchmarkMain {
    private static final String JVM_LOG_LEVEL = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

    private final Settings settings;

    /**
     * How big and how often: the real run's figures or the smoke run's.
     *
     * @param smoke tiny sizes, JMH in-process, one iteration
     * @param runs whole-process or scenario repetitions (B3, B4 unknown kid, B7); 0 for the row's default
     * @param out where the Markdown goes, or null for standard output only
     * @param demoJar the demo's executable jar (B7)
     * @param bootJar the Spring Boot peer's executable jar (B7)
     */
    public record Settings(boolean smoke, int runs, Path out, Path demoJar, Path bootJar) {
        int runsOr(int real, int smokeRuns) {
            return runs > 0 ? runs : smoke ? smokeRuns : real;
        }
    }

    /**
     * A runner with these settings.
     *
     * @param settings the settings
     */
    public BenchmarkMain(Settings settings) {
        this.settings = settings;
    }

    /**
     * Runs the rows named on the command line.
     *
     * @param args {@code b1} to {@code b7} or {@code all}, then the options
     * @throws Exception if a row cannot run
     */
    public static void main(String[] args) throws Exception {
        List<String> rows = new ArrayList<>();
        boolean smoke = false;
        int runs = 0;
        Path out = Path.of("benchmarks/target/results.md");
        Path demoJar = Path.of("examples/target/coldstart-demo.jar");
        Path bootJar = Path.of("benchmarks/spring-boot-peer/target/coldstart-benchmarks-spring-boot-peer-0.1.0-SNAPSHOT-exec.jar");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--demo-jar" -> demoJar = Path.of(args[++i]);
                case "--boot-jar" -> bootJar = Path.of(args[++i]);
                case "all" -> rows.addAll(List.of("b1", "b2", "b3", "b4", "b5", "b6", "b7"));
                default -> rows.add(args[i].toLowerCase(Locale.ROOT));
            }
        }
        if (rows.isEmpty()) {
            System.err.println("usage: BenchmarkMain b1|b2|b3|b4|b5|b6|b7|all [--smoke] [--runs N] [--out FILE] "
                    + "[--demo-jar PATH] [--boot-jar PATH]");
            System.exit(2);
        }
        BenchmarkMain main = new BenchmarkMain(new Settings(smoke, runs, out, demoJar, bootJar));
        for (String row : rows) {
            main.run(row);
        }
        // JMH and the HTTP peers leave non-daemon threads behind.
        System.exit(0);
    }

    /**
     * Runs one row, prints it and appends it to the output file.
     *
     * @param row {@code b1} to {@code b7}
     * @return the row's figures
     * @throws Exception if the row cannot run
     */
    public RowReport run(String row) throws Exception {
        RowReport report = switch (row) {
            case "b1" -> b1();
            case "b2" -> b2();
            case "b3" -> b3();
            case "b4" -> b4();
            case "b5" -> b5();
            case "b6" -> b6();
            case "b7" -> b7();
            default -> throw new IllegalArgumentException("unknown row " + row + "; expected b1 to b7 or all");
        };
        String text = report.toMarkdown();
        System.out.println(text);
        if (settings.out() != null) {
            Path parent = settings.out().toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(settings.out(), text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return report;
    }

    private static String command(String row) {
        return "benchmarks/run.sh " + row;
    }

    // ------------------------------------------------------------------ B1

    private RowReport b1() throws RunnerException {
        int components = settings.smoke() ? 300 : 10_000;
        RowReport r = new RowReport("B1", "start " + components + " no-op components (random layered graph, "
                + "20 layers, 3 dependencies each)", command("b1"));
        Jmh s = jmh(B1StartNoOpComponents.class, List.of("coldstart", "coldstartNoDependencies", "guavaServiceManager",
                "springLifecycleProcessor", "springLifecycleProcessorDependsOn"),
                Map.of("components", Integer.toString(components)), 3, () -> singleShots(5, 10), "ms");
        s.samples.values().forEach(r::sample);
        Sample guava = s.pairedRatio("coldstart", "guavaServiceManager");
        Sample spring = s.pairedRatio("coldstart", "springLifecycleProcessor");
        r.sample(guava).sample(spring).sample(s.pairedRatio("coldstart", "springLifecycleProcessorDependsOn"))
                .sample(s.pairedRatio("coldstart", "coldstartNoDependencies"));
        return r.target("ratio <= 1.0 against Guava and Spring, honouring the dependencies",
                guava.median() <= 1.0 && spring.median() <= 1.0);
    }

    // ------------------------------------------------------------------ B2

    private RowReport b2() throws RunnerException {
        int components = settings.smoke() ? 20 : 200;
        int layers = settings.smoke() ? 4 : 10;
        int minMillis = settings.smoke() ? 1 : 10;
        int maxMillis = settings.smoke() ? 5 : 100;
        Map<String, String> params = Map.of("components", Integer.toString(components), "layers",
                Integer.toString(layers), "minStartMillis", Integer.toString(minMillis), "maxStartMillis",
                Integer.toString(maxMillis));
        RowReport r = new RowReport("B2", components + " components with " + minMillis + "-" + maxMillis
                + " ms starts (timed park) in a random layered graph (" + layers + " layers, 3 dependencies, seed 42)",
                command("b2"));
        Jmh s = jmh(B2TimedStarts.class, List.of("coldstart", "coldstartDefaultWorkers", "springPhasesConcurrent"),
                params, 2, () -> singleShots(3, 8), "ms");
        Jmh sequential = jmh(B2TimedStarts.class, List.of("springPhasesSequential"), params, 1,
                () -> singleShots(0, 3), "ms");
        s.samples.values().forEach(r::sample);
        sequential.samples.values().forEach(r::sample);
        LayeredGraph graph = LayeredGraph.random(components, layers, 3, 42);
        long[] starts = B2TimedStarts.startNanos(components, minMillis, maxMillis, 42);
        double critical = graph.criticalPathNanos(starts) / 1e6;
        double phased = graph.phasedNanos(starts) / 1e6;
        double sum = java.util.Arrays.stream(starts).sum() / 1e6;
        Sample ours = s.samples.get("coldstart");
        Sample toPhases = s.pairedRatio("coldstart", "springPhasesConcurrent");
        double toCritical = ours.median() / critical;
        r.sample(toPhases);
        r.figure("critical path (ms)", critical);
        r.figure("phase floor: sum over layers of the slowest start (ms)", phased);
        r.figure("sum of all starts (ms)", sum);
        r.figure("ratio coldstart / critical path (median run)", toCritical);
        r.figure("ratio coldstart / critical path (best run)", ours.min() / critical);
        r.figure("ratio coldstart / critical path (worst run)", ours.max() / critical);
        r.figure("ratio coldstart / Spring sequential phases", ours.ratioTo(sequential.samples.get("springPhasesSequential")));
        r.figure("ratio coldstart with 8 workers / critical path", s.samples.get("coldstartDefaultWorkers").median() / critical);
        return r.target("wall / critical path <= 1.05 and faster than Spring phases",
                toCritical <= 1.05 && toPhases.median() < 1.0);
    }

    // ------------------------------------------------------------------ B3

    private RowReport b3() throws Exception {
        int instances = settings.smoke() ? 3 : 20;
        Duration outage = settings.smoke() ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
        int runs = settings.runsOr(3, 1);
        RowReport r = new RowReport("B3", instances + " demo instances start while PostgreSQL is down for "
                + outage.toSeconds() + " s, against " + instances + " clients retrying every 500 ms", command("b3"));
        B3RetryStorm storm = new B3RetryStorm(instances, outage, Duration.ofMillis(500));
        List<Double> ours = new ArrayList<>();
        List<Double> naive = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Double> recovery = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        boolean allReady = true;
        for (int i = 0; i < runs; i++) {
            B3RetryStorm.Result res = storm.run();
            ours.add((double) res.oursAttempts());
            naive.add((double) res.naiveAttempts());
            ratio.add(res.attemptRatio());
            recovery.add(res.slowestReadyAfterRecovery().toMillis() / 1000.0);
            loads.add(res.loadAverage());
            allReady &= res.allReady();
        }
        r.sample(Sample.of("coldstart demo: connection attempts during the outage", "count", ours));
        r.sample(Sample.of("fixed 500 ms retry: connection attempts during the outage", "count", naive));
        r.sample(Sample.of("ratio fixed / coldstart", "x", ratio));
        r.sample(Sample.of("slowest instance READY after the database's return", "s", recovery));
        r.sample(Sample.of("load average at the end of each run", "1 min", loads));
        double bound = B3RetryStorm.DEMO_BACKOFF_CAP.plusSeconds(2).toMillis() / 1000.0;
        r.figure("READY bound: backoff cap + 2 s (s)", bound);
        r.note("every instance READY in every run: " + allReady);
        Sample rs = r.sample("ratio fixed / coldstart");
        return r.target(">= 5x fewer attempts (worst run) and every instance READY within " + Sample.format(bound)
                + " s (worst run)", allReady && rs.min() >= 5 && r.sample(
                        "slowest instance READY after the database's return").max() <= bound);
    }

    // ------------------------------------------------------------------ B4

    private RowReport b4() throws Exception {
        int callers = settings.smoke() ? 50 : 1_000;
        int runs = settings.runsOr(5, 1);
        RowReport r = new RowReport("B4", "JWT (RS256) validation with a warm JWKS cache; " + callers
                + " concurrent callers with an unknown kid", command("b4"));
        Jmh s = jmh(B4JwtThroughput.class, List.of("coldstart", "nimbus"), Map.of(), 4,
                () -> timed(3, 5, Duration.ofSeconds(2)), "ops/ms");
        s.samples.values().forEach(r::sample);
        Sample ratio = s.pairedRatio("coldstart", "nimbus");
        r.sample(ratio);
        double throughput = ratio.median();
        B4UnknownKid burst = new B4UnknownKid(callers);
        List<Double> oursFetches = new ArrayList<>();
        List<Double> oursAccepted = new ArrayList<>();
        List<Double> oursMillis = new ArrayList<>();
        List<Double> nimbusFetches = new ArrayList<>();
        List<Double> nimbusAccepted = new ArrayList<>();
        List<Double> nimbusMillis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            B4UnknownKid.Result o = burst.coldstart();
            oursFetches.add((double) o.fetches());
            oursAccepted.add((double) o.accepted());
            oursMillis.add(o.millis());
            B4UnknownKid.Result n = burst.nimbus();
            nimbusFetches.add((double) n.fetches());
            nimbusAccepted.add((double) n.accepted());
            nimbusMillis.add(n.millis());
        }
        r.sample(Sample.of("coldstart: JWKS fetches in the burst", "count", oursFetches));
        r.sample(Sample.of("coldstart: tokens accepted", "count", oursAccepted));
        r.sample(Sample.of("coldstart: time to the last answer", "ms", oursMillis));
        r.sample(Sample.of("Nimbus: JWKS fetches in the burst", "count", nimbusFetches));
        r.sample(Sample.of("Nimbus: tokens accepted", "count", nimbusAccepted));
        r.sample(Sample.of("Nimbus: time to the last answer", "ms", nimbusMillis));
        Sample fetches = r.sample("coldstart: JWKS fetches in the burst");
        Sample accepted = r.sample("coldstart: tokens accepted");
        return r.target("throughput ratio >= 0.95 and exactly one JWKS fetch (every run) with every token accepted",
                throughput >= 0.95 && fetches.min() == 1 && fetches.max() == 1 && accepted.min() == callers);
    }

    // ------------------------------------------------------------------ B5

    private RowReport b5() throws Exception {
        int clients = settings.smoke() ? 50 : 5_000;
        int runs = settings.runsOr(2, 1);
        RowReport r = new RowReport("B5", clients + " WebSocket clients reconnect after a server restart (the "
                + "websocket module's server, default admission: 200 upgrades/s, burst 50, 32 in flight)", command("b5"));
        B5ReconnectStorm storm = new B5ReconnectStorm(clients);
        Map<String, List<B5ReconnectStorm.Result>> results = new LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            results.computeIfAbsent("reconnect policy", k -> new ArrayList<>())
                    .add(storm.run(dev.coldstart.websocket.ReconnectPolicy.ofDefaults()));
            results.computeIfAbsent("at once", k -> new ArrayList<>()).add(storm.run(B5ReconnectStorm.immediate()));
        }
        boolean allConnected = true;
        for (var e : results.entrySet()) {
            List<B5ReconnectStorm.Result> list = e.getValue();
            String name = e.getKey();
            r.sample(Sample.of(name + ": READY to all reconnected", "ms",
                    list.stream().map(B5ReconnectStorm.Result::reconnectMillis).toList()));
            r.sample(Sample.of(name + ": peak handshakes in flight", "count",
                    list.stream().map(x -> (double) x.peakHandshakesInFlight()).toList()));
            r.sample(Sample.of(name + ": failed handshakes", "count",
                    list.stream().map(x -> (double) x.failedHandshakes()).toList()));
            r.sample(Sample.of(name + ": answered 503 + Retry-After", "count",
                    list.stream().map(x -> (double) x.rejected503()).toList()));
            r.sample(Sample.of(name + ": attempts", "count",
                    list.stream().map(x -> (double) x.attempts()).toList()));
            allConnected &= list.stream().allMatch(B5ReconnectStorm.Result::allConnected);
        }
        r.note("every client reconnected in every run: " + allConnected);
        Sample failed = r.sample("reconnect policy: failed handshakes");
        return r.target("all reconnected with zero failed handshakes (reconnect policy)",
                allConnected && failed.max() == 0);
    }

    // ------------------------------------------------------------------ B6

    private RowReport b6() throws RunnerException {
        int inMemory = settings.smoke() ? 50 : 1_000;
        int onRedis = settings.smoke() ? 10 : 100;
        RowReport r = new RowReport("B6", "message log: append a batch to one session, replay it, forget the session ("
                + inMemory + " messages in memory, " + onRedis + " on Redis Streams; 100-character messages)",
                command("b6"));
        // The two states share one @Param name: one JMH run per batch size.
        Jmh memory = jmh(B6MessageLog.class, List.of("inMemoryLog", "arrayBlockingQueue"),
                Map.of("messages", Integer.toString(inMemory)), 3, () -> timed(3, 4, Duration.ofSeconds(2)), "batches/s");
        Jmh redis = jmh(B6MessageLog.class, List.of("redisLog", "rawLettuce"),
                Map.of("messages", Integer.toString(onRedis)), 3, () -> timed(3, 4, Duration.ofSeconds(2)), "batches/s");
        memory.samples.values().forEach(r::sample);
        redis.samples.values().forEach(r::sample);
        Sample memoryRatio = memory.pairedRatio("inMemoryLog", "arrayBlockingQueue");
        Sample redisTime = redis.pairedRatio("rawLettuce", "redisLog");
        r.sample(memoryRatio).sample(redisTime);
        double redisOverhead = redisTime.median() - 1;
        r.figure("Redis overhead: coldstart's time per batch over raw Lettuce's, minus 1", redisOverhead);
        return r.target("in-memory ratio >= 1.0 and Redis overhead <= 10 %",
                memoryRatio.median() >= 1.0 && redisOverhead <= 0.10);
    }

    // ------------------------------------------------------------------ B7

    private RowReport b7() throws Exception {
        int runs = settings.runsOr(5, 1);
        RowReport r = new RowReport("B7", "cold start to READY (JVM start to the first 200 on the readiness probe) "
                + "with pool, 4 migrations on a fresh database and seeding, local PostgreSQL", command("b7"));
        for (Path jar : List.of(settings.demoJar(), settings.bootJar())) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("b7 - " + jar.toAbsolutePath() + " does not exist; build it with "
                        + "./mvnw -pl benchmarks -am package -DskipTests");
            }
        }
        B7ColdStartToReady b7 = new B7ColdStartToReady(settings.demoJar(), settings.bootJar(),
                settings.out() == null ? Path.of("target", "b7-logs")
                        : settings.out().toAbsolutePath().getParent().resolve("b7-logs"), List.of());
        Map<B7ColdStartToReady.App, List<B7ColdStartToReady.Result>> results = new LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            // Alternate the order so that neither application always runs on a machine warmed by the other.
            List<B7ColdStartToReady.App> order = i % 2 == 0
                    ? List.of(B7ColdStartToReady.App.DEMO, B7ColdStartToReady.App.BOOT)
                    : List.of(B7ColdStartToReady.App.BOOT, B7ColdStartToReady.App.DEMO);
            for (B7ColdStartToReady.App app : order) {
                results.computeIfAbsent(app, a -> new ArrayList<>()).add(b7.run(app, i));
            }
        }
        Sample demo = null;
        Sample boot = null;
        Sample demoRss = null;
        Sample bootRss = null;
        for (var e : results.entrySet()) {
            String name = e.getKey() == B7ColdStartToReady.App.DEMO ? "coldstart demo" : "Spring Boot peer";
            List<B7ColdStartToReady.Result> list = e.getValue();
            Sample time = Sample.of(name + ": to READY", "ms", list.stream().map(B7ColdStartToReady.Result::toReadyMillis).toList());
            Sample rss = Sample.of(name + ": peak RSS at READY", "MiB",
                    list.stream().map(x -> x.peakRssBytes() / (1024.0 * 1024)).toList());
            r.sample(time).sample(rss);
            r.sample(Sample.of(name + ": CPU time to READY", "ms", list.stream().map(x -> (double) x.cpuMillis()).toList()));
            r.sample(Sample.of(name + ": load average at start", "1 min", list.stream().map(B7ColdStartToReady.Result::loadAverage).toList()));
            if (e.getKey() == B7ColdStartToReady.App.DEMO) {
                demo = time;
                demoRss = rss;
            } else {
                boot = time;
                bootRss = rss;
            }
        }
        double ratio = demo.ratioTo(boot);
        r.figure("ratio demo / Spring Boot (time to READY)", ratio);
        r.figure("ratio demo / Spring Boot (peak RSS)", demoRss.ratioTo(bootRss));
        r.note("both started as plain `java -jar` with the JVM's defaults, from their executable jars");
        return r.target("median ratio < 1.0", ratio < 1.0);
    }

    // ------------------------------------------------------------------ JMH

    /**
     * What a JMH row measured: every measured iteration per method, and per round the median of each
     * method, for ratios paired by round.
     */
    private static final class Jmh {
        final Map<String, Sample> samples = new LinkedHashMap<>();
        final Map<String, List<Double>> roundMedians = new LinkedHashMap<>();

        /** The ratio of two methods' medians in each round: both ran back to back, under the same load. */
        Sample pairedRatio(String ours, String peer) {
            List<Double> a = roundMedians.get(ours);
            List<Double> b = roundMedians.get(peer);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                ratios.add(a.get(i) / b.get(i));
            }
            return Sample.of("ratio " + ours + " / " + peer + " (paired by round)", "x", ratios);
        }
    }

    private ChainedOptionsBuilder singleShots(int warmups, int iterations) {
        return settings.smoke() ? smoke() : new OptionsBuilder().warmupIterations(warmups)
                .measurementIterations(iterations).jvmArgsAppend("-Xmx2g", JVM_LOG_LEVEL);
    }

    private ChainedOptionsBuilder timed(int warmups, int iterations, Duration each) {
        return settings.smoke() ? smoke() : new OptionsBuilder().warmupIterations(warmups)
                .measurementIterations(iterations).warmupTime(TimeValue.milliseconds(each.toMillis()))
                .measurementTime(TimeValue.milliseconds(each.toMillis())).jvmArgsAppend("-Xmx2g", JVM_LOG_LEVEL);
    }

    private static ChainedOptionsBuilder smoke() {
        return new OptionsBuilder().forks(0).warmupIterations(0).measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200));
    }

    /**
     * Runs the methods in rounds, one fresh JVM per method and round (in-process in a smoke run), the
     * order reversed every other round: on a shared machine the load drifts, and a peer measured right
     * after ours sees nearly the same load, so the ratios are paired by round.
     */
    private Jmh jmh(Class<?> benchmark, List<String> methods, Map<String, String> params, int rounds,
            Supplier<ChainedOptionsBuilder> options, String unit) throws RunnerException {
        Jmh result = new Jmh();
        Map<String, List<Double>> all = new LinkedHashMap<>();
        int n = settings.smoke() ? 1 : rounds;
        for (int round = 0; round < n; round++) {
            List<String> order = new ArrayList<>(methods);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String method : order) {
                ChainedOptionsBuilder o = options.get();
                if (!settings.smoke()) {
                    o.forks(1);
                }
                o.include(Pattern.quote(benchmark.getName()) + "\\." + method + "$").shouldFailOnError(true);
                params.forEach(o::param);
                List<Double> values = new ArrayList<>();
                for (RunResult run : new Runner(o.build()).run()) {
                    for (BenchmarkResult fork : run.getBenchmarkResults()) {
                        for (IterationResult it : fork.getIterationResults()) {
                            values.add(it.getPrimaryResult().getScore());
                        }
                    }
                }
                all.computeIfAbsent(method, k -> new ArrayList<>()).addAll(values);
                result.roundMedians.computeIfAbsent(method, k -> new ArrayList<>())
                        .add(Sample.of(method, unit, values).median());
            }
        }
        for (String method : methods) {
            result.samples.put(method, Sample.of(method, unit, all.get(method)));
        }
        return result;
    }
}
