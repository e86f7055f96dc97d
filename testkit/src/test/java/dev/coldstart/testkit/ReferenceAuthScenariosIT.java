package dev.coldstart.testkit;

import com.sun.net.httpserver.HttpServer;
import dev.coldstart.auth.ClientCredentialsConfig;
import dev.coldstart.auth.ClientCredentialsTokens;
import dev.coldstart.auth.IdentityProvider;
import dev.coldstart.auth.IdentityProviderConfig;
import dev.coldstart.auth.KeySetStore;
import dev.coldstart.auth.RedisSessionStoreConfig;
import dev.coldstart.auth.SessionStore;
import dev.coldstart.auth.SigningKeys;
import dev.coldstart.auth.SigningKeysConfig;
import dev.coldstart.core.Component;
import dev.coldstart.core.Health;
import dev.coldstart.core.RetryPolicy;
import dev.coldstart.core.StartPolicy;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.core.TokenRejectedException;
import dev.coldstart.core.TokenVerifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Our own proof: the five auth scenarios against a service wired from coldstart-auth's mechanisms,
 * as a user would wire theirs: identity providers as start-up components, a Redis session store,
 * rotating signing keys, client-credentials tokens for calls (A), and a JDK HTTP server whose
 * endpoint checks bearer tokens through the core {@link TokenVerifier} (B).
 */
class ReferenceAuthScenariosIT implements AuthScenarios {

    @Override
    public AuthService authService(AuthEnvironment env) {
        return new ReferenceService(env);
    }

    /** The "user's service". */
    private static final class ReferenceService implements AuthService {
        private final IdentityProvider primary;
        private final IdentityProvider secondary;
        private final TokenVerifier verifier;
        private final SessionStore sessions;
        private final SigningKeys signingKeys;
        private final ClientCredentialsTokens tokens;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        private final StartupOrchestrator orchestrator;
        private volatile HttpServer server;

        ReferenceService(AuthEnvironment env) {
            primary = IdentityProvider.create(IdentityProviderConfig.builder(env.serviceName() + "-idp", env.issuer())
                    .audiences(env.audience()).requestTimeout(env.requestTimeout())
                    .keySetStore(KeySetStore.file(env.stateDirectory())).build());
            List<Component> components = new ArrayList<>(primary.components());
            if (env.secondaryIssuer() != null) {
                secondary = IdentityProvider.create(IdentityProviderConfig.builder(env.serviceName() + "-partner-idp",
                        env.secondaryIssuer()).audiences(env.audience()).requestTimeout(env.requestTimeout())
                        .optional().build());
                components.addAll(secondary.components());
                verifier = IdentityProvider.byIssuer(primary, secondary);
            } else {
                secondary = null;
                verifier = primary;
            }
            sessions = SessionStore.redis(RedisSessionStoreConfig.builder(env.redisUri())
                    .keyPrefix(env.redisKeyPrefix()).build());
            components.add(sessions.component());
            signingKeys = SigningKeys.create(SigningKeysConfig.builder().publishLead(env.signingKeyPublishLead()).build());
            if (env.role() == AuthEnvironment.Role.CALLER) {
                tokens = ClientCredentialsTokens.create(ClientCredentialsConfig.builder(env.serviceName() + "-client",
                        env.tokenEndpoint(), env.clientId(), env.clientSecret()).requestTimeout(env.requestTimeout())
                        .build());
                components.add(tokens.component());
            } else {
                tokens = null;
            }
            if (env.role() == AuthEnvironment.Role.CALLEE) {
                components.add(Component.builder(env.serviceName() + "-http")
                        .dependsOn(primary.component().name())
                        .onStart(this::startServer)
                        .probe(() -> server != null ? Health.up() : Health.down("not listening"))
                        .onStop(() -> server.stop(0))
                        .build());
            }
            StartPolicy policy = StartPolicy.of(env.startTimeout(), RetryPolicy.builder()
                    .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)).build());
            orchestrator = StartupOrchestrator.builder().serviceName(env.serviceName())
                    .probeInterval(Duration.ofMillis(500)).defaultStartPolicy(policy).drainTimeout(Duration.ofSeconds(5))
                    .components(components).build();
        }

        private void startServer() throws Exception {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            s.createContext("/orders", exchange -> {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                int status;
                try {
                    if (auth == null || !auth.startsWith("Bearer ")) {
                        status = 401;
                    } else {
                        verifier.verify(auth.substring(7));
                        status = 200;
                    }
                } catch (TokenRejectedException e) {
                    status = 401;
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            s.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "reference-callee-http");
                t.setDaemon(true);
                return t;
            }));
            s.start();
            server = s;
        }

        @Override
        public StartupOrchestrator orchestrator() {
            return orchestrator;
        }

        @Override
        public TokenVerifier verifier() {
            return verifier;
        }

        @Override
        public SessionStore sessionStore() {
            return sessions;
        }

        @Override
        public SigningKeys signingKeys() {
            return signingKeys;
        }

        @Override
        public URI protectedEndpoint() {
            HttpServer s = server;
            return s == null ? null : URI.create("http://127.0.0.1:" + s.getAddress().getPort() + "/orders");
        }

        @Override
        public int callProtected(URI endpoint) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).GET().build();
            return tokens.send(http, request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        @Override
        public void close() {
            primary.close();
            if (secondary != null) {
                secondary.close();
            }
            sessions.close();
            if (tokens != null) {
                tokens.close();
            }
            HttpServer s = server;
            if (s != null) {
                s.stop(0);
            }
        }
    }
}
