package dev.coldstart.benchmarks;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.coldstart.auth.IdentityProvider;
import dev.coldstart.core.VerifiedToken;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * B4, throughput: verifying one RS256 token with a warm JWKS cache, coldstart's
 * {@link IdentityProvider#verify(String)} against plain Nimbus {@link DefaultJWTProcessor} with its
 * default JWK source; both parse, select the key by {@code kid}, check the signature, issuer, audience
 * and expiry. No network in the measured part: both caches are warm before the first iteration.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class B4JwtThroughput {
    IdpFixture idp;
    IdentityProvider ours;
    DefaultJWTProcessor<SecurityContext> nimbus;
    String token;

    /**
     * Starts the provider, both verifiers, and warms both caches with one verification.
     *
     * @throws Exception if a warm-up verification fails
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        idp = new IdpFixture();
        RSAKey key = IdpFixture.rsaKey("k1");
        idp.publish(key);
        token = idp.token(key);
        ours = idp.startOurs();
        nimbus = idp.nimbus();
        ours.verify(token);
        nimbus.process(token, null);
    }

    /** Stops the provider. */
    @TearDown(Level.Trial)
    public void stop() {
        ours.close();
        idp.close();
    }

    /**
     * coldstart.
     *
     * @return the verified token
     */
    @Benchmark
    public VerifiedToken coldstart() {
        return ours.verify(token);
    }

    /**
     * Plain Nimbus.
     *
     * @return the verified claims
     * @throws Exception never with this token
     */
    @Benchmark
    public JWTClaimsSet nimbus() throws Exception {
        return nimbus.process(token, null);
    }
}
