package dev.coldstart.examples.demo;

import dev.coldstart.coordination.BuildManifest;
import dev.coldstart.core.CorsPolicy;
import dev.coldstart.core.StartupOrchestrator;
import dev.coldstart.testkit.ApiIntegrationEnvironment;
import dev.coldstart.testkit.ApiIntegrationScenarios;
import dev.coldstart.testkit.ApiIntegrationService;
import java.net.URI;

/**
 * The demo service through the front-end and API integration scenarios CS-21 to CS-25, exactly as
 * a user's service would run them: implement {@link ApiIntegrationScenarios} and say how to build an
 * instance from the scenario's environment.
 */
class DemoApiIntegrationScenariosIT implements ApiIntegrationScenarios {

    @Override
    public ApiIntegrationService apiIntegrationService(ApiIntegrationEnvironment env) {
        DemoFrontEndConfig.Builder frontEnd = DemoFrontEndConfig.builder()
                .gateQueue(env.requestQueueCapacity())
                .gateWait(env.requestDeadline())
                .corsOrigins(env.httpAllowedOrigins())
                .wsOrigins(env.sharedCorsPolicy() ? null : env.webSocketAllowedOrigins())
                .corsCredentials(env.allowCredentials())
                .clientManifest(env.clientManifestUri() == null ? null : env.clientManifestUri().toString())
                .assetOrigins(env.assetOrigins())
                .assetCheckPath(env.assetCheckPath())
                .assetCheckInterval(env.assetCheckInterval())
                .assetRecoverAfter(env.assetRecoverAfter())
                .backend(env.backend().component(), env.backend()::call);
        env.graphQlServices().forEach(frontEnd::graphQlService);
        DemoService demo = DemoService.create(DemoConfig.builder()
                .jdbcUrl(env.jdbcUrl()).jdbcUser(env.jdbcUser()).jdbcPassword(env.jdbcPassword())
                .appName(env.instanceName())
                .startTimeout(env.startTimeout())
                .httpPort(0)
                .frontEnd(frontEnd.build())
                .build())
                .startHttp();
        DemoFrontEnd fe = demo.frontEnd();
        return new ApiIntegrationService() {
            @Override
            public StartupOrchestrator orchestrator() {
                return demo.orchestrator();
            }

            @Override
            public URI baseUri() {
                return demo.http().uri();
            }

            @Override
            public String gatedPath() {
                return DemoFrontEnd.BACKEND_PATH;
            }

            @Override
            public int queuedRequests() {
                return fe.gate().queued();
            }

            @Override
            public CorsPolicy httpCorsPolicy() {
                return fe.httpCors();
            }

            @Override
            public CorsPolicy webSocketCorsPolicy() {
                return fe.wsCors();
            }

            @Override
            public URI webSocketUri() {
                return URI.create("ws://127.0.0.1:" + demo.http().port() + DemoFrontEnd.WEBSOCKET_PATH);
            }

            @Override
            public URI resolveAsset(String assetPath) {
                return fe.assets() == null ? null : fe.assets().resolve(assetPath);
            }

            @Override
            public String mergedGraphQlSchema() {
                return fe.schemas() == null ? null : fe.schemas().sdl();
            }

            @Override
            public BuildManifest serverBuildManifest() {
                return fe.serverManifest();
            }

            @Override
            public void close() {
                demo.close();
            }
        };
    }
}
