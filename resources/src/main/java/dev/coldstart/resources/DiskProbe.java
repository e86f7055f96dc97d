package dev.coldstart.resources;

import dev.coldstart.core.Checks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One latency measurement of a data directory, used by {@link DiskLatencyMonitor}. Injectable so that
 * tests can drive the monitor deterministically; {@link #fsync(Path, int)} is the real one.
 */
@FunctionalInterface
public interface DiskProbe {

    /**
     * Measures once.
     *
     * @return how long the measured operation took; not negative
     * @throws IOException if the directory cannot be written (full disk, read-only mount)
     */
    Duration measure() throws IOException;

    /**
     * The real probe: writes {@code bytes} to {@code .coldstart-disk-probe} in the directory and forces
     * them to the device ({@link FileChannel#force(boolean)} with metadata, i.e. {@code fsync}), timing
     * the write and the fsync together. The file is overwritten in place each time, so it stays
     * {@code bytes} long; it is never deleted, so that the first measurement after a restart does not
     * pay for creating it.
     *
     * @param directory the data directory; must exist and be writable
     * @param bytes bytes per measurement, 1 to 1 MiB; 4096 (one page) is typical
     * @return the probe; each call opens and closes the file, so it holds no descriptor between calls
     * @throws dev.coldstart.core.ConfigurationException if an argument breaks its rule
     */
    static DiskProbe fsync(Path directory, int bytes) {
        Checks.notNull(directory, "directory");
        Checks.check(bytes >= 1 && bytes <= 1 << 20, "bytes must be between 1 and 1048576, but was " + bytes);
        Path file = directory.resolve(".coldstart-disk-probe");
        return () -> {
            ByteBuffer buf = ByteBuffer.allocate(bytes);
            long t0 = System.nanoTime();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                while (buf.hasRemaining()) {
                    ch.write(buf, buf.position());
                }
                ch.force(true);
            }
            return Duration.ofNanos(System.nanoTime() - t0);
        };
    }
}
