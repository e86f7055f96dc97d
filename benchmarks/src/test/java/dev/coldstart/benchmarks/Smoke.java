package dev.coldstart.benchmarks;

import java.nio.file.Path;

/** The smoke settings: tiny sizes, in-process JMH, one run, nothing written but standard output. */
final class Smoke {
    private Smoke() {
    }

    static RowReport run(String row) throws Exception {
        return new BenchmarkMain(new BenchmarkMain.Settings(true, 0, null,
                Path.of(System.getProperty("coldstart.bench.demoJar", "../examples/target/coldstart-demo.jar")),
                Path.of(System.getProperty("coldstart.bench.bootJar", "spring-boot-peer/target/missing.jar"))))
                .run(row);
    }
}
