package dev.coldstart.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.coldstart.core.Checks;
import dev.coldstart.core.ColdstartException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's own signing keys, rotated with overlap: {@link #rotate()} publishes a new key at
 * once but signs with it only after {@link SigningKeysConfig#publishLead()}, so every verifier
 * that refreshes its key set at least that often knows the key before the first token names it
 * and never needs an unknown-{@code kid} fetch. The replaced key stays published for
 * {@link SigningKeysConfig#retention()} after its successor became active, so tokens it signed
 * verify until they expire. Serve {@link #jwksJson()} at your JWKS URL.
 *
 * <p>The first key is active at once: no verifier can have cached a key set without it. Keys live
 * in memory: replicas that must sign with the same keys need a shared key store, which is outside
 * this class. Thread-safe: {@link #sign(JWTClaimsSet)} reads a volatile snapshot.
 *
 * <pre>{@code
 * SigningKeys keys = SigningKeys.create(SigningKeysConfig.ofDefaults());
 * String token = keys.sign(new JWTClaimsSet.Builder().subject("orders").build());
 * keys.rotate(); // daily: published now, signing 10 min later
 * }</pre>
 */
public final class SigningKeys {
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    private record Entry(JWK key, JWSSigner signer, Instant publishedAt, Instant activeFrom) {
    }

    private final SigningKeysConfig config;
    private final JWSAlgorithm algorithm;
    private volatile List<Entry> entries;

    private SigningKeys(SigningKeysConfig config) {
        this.config = config;
        this.algorithm = JWSAlgorithm.parse(config.algorithm());
        Instant now = config.clock().instant();
        this.entries = List.of(newEntry(now, now));
    }

    /**
     * Creates the key ring with one fresh key, active at once.
     *
     * @param config the configuration; not null
     * @return the key ring
     */
    public static SigningKeys create(SigningKeysConfig config) {
        return new SigningKeys(Checks.notNull(config, "config"));
    }

    private Entry newEntry(Instant publishedAt, Instant activeFrom) {
        String kid = UUID.randomUUID().toString();
        try {
            JWK key;
            JWSSigner signer;
            if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
                RSAKey rsa = new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
                key = rsa;
                signer = new RSASSASigner(rsa);
            } else {
                ECKey ec = new ECKeyGenerator(Curve.forJWSAlgorithm(algorithm).iterator().next()).keyID(kid)
                        .keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
                key = ec;
                signer = new ECDSASigner(ec);
            }
            return new Entry(key, signer, publishedAt, activeFrom);
        } catch (JOSEException e) {
            throw new ColdstartException("signing-keys - could not generate a " + algorithm + " key: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a rotation: a new key is published now and signs from {@code now + publishLead}.
     *
     * @return the new key's id
     * @throws IllegalStateException if the previous rotation's key is not active yet
     */
    public synchronized String rotate() {
        Instant now = config.clock().instant();
        List<Entry> live = live(now);
        Entry newest = live.get(live.size() - 1);
        if (newest.activeFrom().isAfter(now)) {
            throw new IllegalStateException("signing-keys - a rotation is in progress: key " + newest.key().getKeyID()
                    + " signs from " + newest.activeFrom() + "; rotate again after that");
        }
        Entry next = newEntry(now, now.plus(config.publishLead()));
        List<Entry> updated = new ArrayList<>(live);
        updated.add(next);
        entries = List.copyOf(updated);
        log.info("signing-keys - key {} published, signs from {} (lead {}); key {} stays published until {}",
                next.key().getKeyID(), next.activeFrom(), config.publishLead(), newest.key().getKeyID(),
                next.activeFrom().plus(config.retention()));
        return next.key().getKeyID();
    }

    /** Entries still published at {@code now}, oldest first: each until its successor's activation plus retention. */
    private List<Entry> live(Instant now) {
        List<Entry> all = entries;
        List<Entry> out = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Entry e = all.get(i);
            boolean retired = i + 1 < all.size()
                    && !now.isBefore(all.get(i + 1).activeFrom().plus(config.retention()));
            if (!retired) {
                out.add(e);
            }
        }
        return out;
    }

    private Entry active(Instant now) {
        List<Entry> all = entries;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (!all.get(i).activeFrom().isAfter(now)) {
                return all.get(i);
            }
        }
        return all.get(0);
    }

    /**
     * Signs claims with the active key, naming it in the {@code kid} header.
     *
     * @param claims the claims; not null
     * @return the compact JWT
     * @throws ColdstartException if signing fails
     */
    public String sign(JWTClaimsSet claims) {
        Checks.requireArgument(claims, "claims");
        Entry e = active(config.clock().instant());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(e.key().getKeyID()).build(), claims);
        try {
            jwt.sign(e.signer());
        } catch (JOSEException ex) {
            throw new ColdstartException("signing-keys - signing with key " + e.key().getKeyID() + " failed: "
                    + ex.getMessage(), ex);
        }
        return jwt.serialize();
    }

    /**
     * The id of the key that signs now.
     *
     * @return the key id
     */
    public String activeKeyId() {
        return active(config.clock().instant()).key().getKeyID();
    }

    /**
     * The ids of the keys published now, oldest first.
     *
     * @return an immutable list
     */
    public List<String> publishedKeyIds() {
        List<String> ids = new ArrayList<>();
        for (Entry e : live(config.clock().instant())) {
            ids.add(e.key().getKeyID());
        }
        return List.copyOf(ids);
    }

    /**
     * The public keys published now.
     *
     * @return a key set with public keys only
     */
    public JWKSet publicKeys() {
        List<JWK> keys = new ArrayList<>();
        for (Entry e : live(config.clock().instant())) {
            keys.add(e.key().toPublicJWK());
        }
        return new JWKSet(keys);
    }

    /**
     * The published public keys as a JWKS document, to serve at the service's JWKS URL.
     *
     * @return JSON text
     */
    public String jwksJson() {
        return publicKeys().toString();
    }
}
