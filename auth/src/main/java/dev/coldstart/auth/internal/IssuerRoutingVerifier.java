package dev.coldstart.auth.internal;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import dev.coldstart.auth.IdentityProvider;
import dev.coldstart.auth.JwtRejectedException;
import dev.coldstart.core.TokenVerifier;
import dev.coldstart.core.VerifiedToken;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Picks the provider by the unverified {@code iss}, then lets that provider verify everything. */
public final class IssuerRoutingVerifier implements TokenVerifier {
    private final Map<String, IdentityProvider> byIssuer = new LinkedHashMap<>();

    /**
     * Creates the verifier.
     *
     * @param providers the providers
     */
    public IssuerRoutingVerifier(List<IdentityProvider> providers) {
        for (IdentityProvider p : providers) {
            byIssuer.putIfAbsent(p.config().issuer(), p);
        }
    }

    @Override
    public VerifiedToken verify(String token) {
        if (token == null || token.isBlank()) {
            throw new JwtRejectedException(JwtRejectedException.Reason.MALFORMED, "token refused (MALFORMED): no token given");
        }
        String issuer;
        try {
            JWT jwt = JWTParser.parse(token);
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new JwtRejectedException(JwtRejectedException.Reason.MALFORMED,
                    "token refused (MALFORMED): not a compact JWT (" + e.getMessage() + ")");
        }
        IdentityProvider p = byIssuer.get(issuer);
        if (p == null) {
            throw new JwtRejectedException(JwtRejectedException.Reason.WRONG_ISSUER, "token refused (WRONG_ISSUER): "
                    + "issuer '" + issuer + "' is none of " + byIssuer.keySet());
        }
        return p.verify(token);
    }
}
