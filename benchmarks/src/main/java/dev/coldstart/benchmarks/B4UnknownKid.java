package dev.coldstart.benchmarks;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.coldstart.auth.IdentityProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * B4, key rotation: the provider publishes a new key, and many requests carrying tokens signed with
 * it (a {@code kid} the warm cache does not know) arrive at the same instant. Counted: JWKS fetches
 * during the burst (coldstart's target is exactly one), tokens accepted, and the time until every
 * caller has its answer; for coldstart and for plain Nimbus with its default JWK source, each with a
 * fresh provider and cache.
 */
public final class B4UnknownKid {
    private final int callers;

    /**
     * Prepares a run.
     *
     * @param callers concurrent callers, each on a thread of its own (1,000 in the row)
     */
    public B4UnknownKid(int callers) {
        this.callers = callers;
    }

    /**
     * The figures of one burst.
     *
     * @param fetches JWKS requests the provider answered during the burst
     * @param accepted tokens verified
     * @param millis from the release of all callers to the last answer, in milliseconds
     */
    public record Result(long fetches, int accepted, double millis) {
    }

    /** A verifier under test. */
    @FunctionalInterface
    interface Verifier {
        void verify(String token) throws Exception;
    }

    /**
     * One burst against coldstart's {@link IdentityProvider}.
     *
     * @return the figures
     * @throws Exception if the set-up fails
     */
    public Result coldstart() throws Exception {
        try (IdpFixture idp = new IdpFixture()) {
            RSAKey old = IdpFixture.rsaKey("old");
            idp.publish(old);
            try (IdentityProvider ours = idp.startOurs()) {
                ours.verify(idp.token(old));
                return burst(idp, old, ours::verify);
            }
        }
    }

    /**
     * One burst against plain Nimbus.
     *
     * @return the figures
     * @throws Exception if the set-up fails
     */
    public Result nimbus() throws Exception {
        try (IdpFixture idp = new IdpFixture()) {
            RSAKey old = IdpFixture.rsaKey("old");
            idp.publish(old);
            DefaultJWTProcessor<SecurityContext> nimbus = idp.nimbus();
            nimbus.process(idp.token(old), null);
            return burst(idp, old, token -> nimbus.process(token, null));
        }
    }

    private Result burst(IdpFixture idp, RSAKey old, Verifier verifier) throws Exception {
        RSAKey rotated = IdpFixture.rsaKey("rotated");
        idp.publish(old, rotated);
        String token = idp.token(rotated);
        long before = idp.jwksRequests();
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch ready = new CountDownLatch(callers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> answers = new ArrayList<>(callers);
            for (int i = 0; i < callers; i++) {
                answers.add(threads.submit(() -> {
                    ready.countDown();
                    if (!go.await(60, TimeUnit.SECONDS)) {
                        return false;
                    }
                    try {
                        verifier.verify(token);
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                }));
            }
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("b4 - " + callers + " caller threads did not start within 60 s");
            }
            long t0 = System.nanoTime();
            go.countDown();
            int accepted = 0;
            for (Future<Boolean> f : answers) {
                accepted += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            return new Result(idp.jwksRequests() - before, accepted, millis);
        } finally {
            threads.shutdownNow();
        }
    }
}
