package dev.coldstart.auth.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.coldstart.auth.ProviderHealth;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One immutable key set with a verifier per signature key, built once per fetch so that a
 * verification only looks up a map. Symmetric ({@code oct}) keys and encryption keys are ignored:
 * a JWKS must never be a source of HMAC secrets.
 */
public final class KeySnapshot {
    private final JWKSet set;
    private final Map<String, JWSVerifier> byKid;
    private final List<JWSVerifier> unnamed;
    private final List<String> keyIds;
    private final Instant fetchedAt;
    private final ProviderHealth.KeySource source;
    private final URI jwksUri;

    private KeySnapshot(JWKSet set, Map<String, JWSVerifier> byKid, List<JWSVerifier> unnamed, List<String> keyIds,
            Instant fetchedAt, ProviderHealth.KeySource source, URI jwksUri) {
        this.set = set;
        this.byKid = byKid;
        this.unnamed = unnamed;
        this.keyIds = keyIds;
        this.fetchedAt = fetchedAt;
        this.source = source;
        this.jwksUri = jwksUri;
    }

    /**
     * Builds a snapshot.
     *
     * @param publicSet the public keys
     * @param fetchedAt when they were fetched
     * @param source where they came from
     * @param jwksUri where they were fetched from; may be null
     * @return the snapshot; it may hold no usable key
     */
    public static KeySnapshot of(JWKSet publicSet, Instant fetchedAt, ProviderHealth.KeySource source, URI jwksUri) {
        Map<String, JWSVerifier> byKid = new HashMap<>();
        List<JWSVerifier> unnamed = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JWK k : publicSet.getKeys()) {
            if (KeyUse.ENCRYPTION.equals(k.getKeyUse())) {
                continue;
            }
            JWSVerifier v;
            try {
                if (k instanceof RSAKey rsa) {
                    v = new RSASSAVerifier(rsa);
                } else if (k instanceof ECKey ec) {
                    v = new ECDSAVerifier(ec);
                } else {
                    continue;
                }
            } catch (JOSEException e) {
                continue; // a key Nimbus cannot use (too short, bad curve) is as good as absent
            }
            if (k.getKeyID() == null) {
                unnamed.add(v);
            } else {
                byKid.put(k.getKeyID(), v);
                ids.add(k.getKeyID());
            }
        }
        return new KeySnapshot(publicSet, Map.copyOf(byKid), List.copyOf(unnamed), List.copyOf(ids), fetchedAt,
                source, jwksUri);
    }

    /**
     * The verifier of a key id.
     *
     * @param kid the key id
     * @return the verifier, or null if unknown
     */
    public JWSVerifier verifier(String kid) {
        return byKid.get(kid);
    }

    /**
     * Whether a key id is known.
     *
     * @param kid the key id
     * @return true if known
     */
    public boolean has(String kid) {
        return byKid.containsKey(kid);
    }

    /**
     * The only verifier of a key set whose one usable key has no id.
     *
     * @return the verifier, or null unless the set has exactly one usable key and it has no id
     */
    public JWSVerifier soleUnnamed() {
        return unnamed.size() == 1 && byKid.isEmpty() ? unnamed.get(0) : null;
    }

    /**
     * Number of usable signature keys.
     *
     * @return the count
     */
    public int usableKeys() {
        return byKid.size() + unnamed.size();
    }

    /**
     * The public key set.
     *
     * @return the set
     */
    public JWKSet set() {
        return set;
    }

    /**
     * Key ids of the usable keys.
     *
     * @return an immutable list
     */
    public List<String> keyIds() {
        return keyIds;
    }

    /**
     * When the set was fetched from the provider.
     *
     * @return the instant
     */
    public Instant fetchedAt() {
        return fetchedAt;
    }

    /**
     * Where it came from.
     *
     * @return the source
     */
    public ProviderHealth.KeySource source() {
        return source;
    }

    /**
     * The JWKS URL it was fetched from.
     *
     * @return the URL, or null
     */
    public URI jwksUri() {
        return jwksUri;
    }
}
