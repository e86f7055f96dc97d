package dev.coldstart.testkit.fault;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Small main classes that {@link ChildJvmIT} runs in child JVMs. */
final class ChildMains {
    private ChildMains() {
    }

    /** Prints its open-files limit and heap limit, then opens files until it fails (bounded). */
    static final class PrintLimits {
        private PrintLimits() {
        }

        public static void main(String[] args) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    System.out.println("MAX_OPEN_FILES_SOFT " + parts[0] + " HARD " + parts[1]);
                }
            }
            System.out.println("MAX_HEAP " + Runtime.getRuntime().maxMemory());
            List<FileInputStream> opened = new ArrayList<>();
            String failure = "none";
            try {
                for (int i = 0; i < 4096; i++) {
                    opened.add(new FileInputStream("/dev/null"));
                }
            } catch (IOException e) {
                failure = e.getMessage();
            } finally {
                for (FileInputStream in : opened) {
                    in.close();
                }
            }
            System.out.println("OPENED_UNTIL_FAILURE " + opened.size() + " " + failure);
        }
    }

    /** Echoes its arguments, a system property and an environment variable, then exits with 3. */
    static final class EchoArgs {
        private EchoArgs() {
        }

        public static void main(String[] args) {
            System.out.println("ARGS " + String.join(",", args));
            System.out.println("PROPERTY " + System.getProperty("coldstart.test.property"));
            System.err.println("ENV " + System.getenv("COLDSTART_TEST_ENV"));
            System.exit(3);
        }
    }

    /** Prints one line and then waits for stdin to close. */
    static final class Quiet {
        private Quiet() {
        }

        public static void main(String[] args) throws IOException {
            System.out.println("hello from the quiet child");
            while (System.in.read() >= 0) {
                System.out.println("still here");
            }
        }
    }

    /** Starts a grandchild process, prints both pids, then blocks until killed. */
    static final class WithGrandchild {
        private WithGrandchild() {
        }

        public static void main(String[] args) throws IOException, InterruptedException {
            Process grandchild = new ProcessBuilder("sleep", "300").start();
            System.out.println("GRANDCHILD " + grandchild.pid());
            new CountDownLatch(1).await();
        }
    }
}
