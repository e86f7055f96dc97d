package dev.coldstart.websocket.internal;

import dev.coldstart.websocket.AdmissionConfig;
import java.util.function.LongSupplier;

/**
 * The upgrade admission of {@link AdmissionConfig}: a token bucket, a cap on handshakes in flight
 * and the Retry-After hints for the rejected. Thread-safe: one lock, held for a few arithmetic
 * operations per upgrade request.
 */
public final class Admission {
    /** Outcome of {@link #tryAdmit()}. */
    public enum Outcome {
        /** Admitted: call {@link #release()} when the handshake ends. */
        ADMITTED,
        /** The bucket is empty. */
        REJECTED_RATE,
        /** The cap on handshakes in flight is reached. */
        REJECTED_IN_FLIGHT
    }

    /**
     * What {@link #tryAdmit()} decided.
     *
     * @param outcome admitted or why not
     * @param retryAfterSeconds the Retry-After hint in whole seconds, at least 1, for a rejection; 0 when admitted
     */
    public record Decision(Outcome outcome, long retryAfterSeconds) {
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double permitsPerNano;
    private final long nanosPerPermit;
    private final int burst;
    private final int maxInFlight;
    private final long maxRetryAfterSeconds;
    private final LongSupplier nanoTime;

    private static final Decision ADMIT = new Decision(Outcome.ADMITTED, 0);
    private static final Decision IN_FLIGHT = new Decision(Outcome.REJECTED_IN_FLIGHT, 1);

    private double tokens;
    private long refilledAt;
    private long nextSlot;
    private int inFlight;
    private int peakInFlight;

    /**
     * Creates the admission with a full bucket.
     *
     * @param config the settings
     * @param nanoTime the ticker, {@code System::nanoTime} outside tests
     */
    public Admission(AdmissionConfig config, LongSupplier nanoTime) {
        this.permitsPerNano = config.permitsPerSecond() / NANOS_PER_SECOND;
        this.nanosPerPermit = Math.max(1, (long) (NANOS_PER_SECOND / config.permitsPerSecond()));
        this.burst = config.burstPermits();
        this.maxInFlight = config.maxHandshakesInFlight();
        this.maxRetryAfterSeconds = config.maxRetryAfter().toSeconds();
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
        this.nextSlot = refilledAt;
    }

    /**
     * Tries to admit one upgrade. A rejection by rate reserves the next free slot of the bucket and
     * says how far away it is.
     *
     * @return the decision
     */
    public synchronized Decision tryAdmit() {
        long now = nanoTime.getAsLong();
        refill(now);
        if (inFlight >= maxInFlight) {
            return IN_FLIGHT;
        }
        if (tokens >= 1.0) {
            tokens -= 1.0;
            inFlight++;
            peakInFlight = Math.max(peakInFlight, inFlight);
            return ADMIT;
        }
        long nextToken = now + (long) Math.ceil((1.0 - tokens) / permitsPerNano);
        long slot = Math.max(nextSlot, nextToken);
        nextSlot = slot + nanosPerPermit;
        long waitSeconds = (slot - now + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
        return new Decision(Outcome.REJECTED_RATE, Math.max(1, Math.min(maxRetryAfterSeconds, waitSeconds)));
    }

    /** Ends an admitted handshake. */
    public synchronized void release() {
        if (inFlight > 0) {
            inFlight--;
        }
    }

    /**
     * Handshakes admitted and not yet ended.
     *
     * @return zero or more
     */
    public synchronized int inFlight() {
        return inFlight;
    }

    /**
     * The most handshakes ever in flight at once.
     *
     * @return zero or more, never above the configured cap
     */
    public synchronized int peakInFlight() {
        return peakInFlight;
    }

    private void refill(long now) {
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * permitsPerNano);
            refilledAt = now;
        }
    }
}
