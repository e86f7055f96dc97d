/**
 * Coordination between a service and the world around it while it starts and stops: the probe
 * endpoint Kubernetes reads ({@link dev.coldstart.coordination.ProbeEndpoint}), atomic port binding
 * ({@link dev.coldstart.coordination.PortAllocator}), a service registry with discovery that waits
 * ({@link dev.coldstart.coordination.ServiceRegistry}, registration once READY with
 * {@link dev.coldstart.coordination.ServiceRegistration}), and feature flags that follow optional
 * components ({@link dev.coldstart.coordination.FeatureFlags}); and the front of a service: a
 * request gate that holds requests until READY ({@link dev.coldstart.coordination.RequestGate}),
 * one CORS policy for the HTTP API and the WebSocket upgrade
 * ({@link dev.coldstart.coordination.CorsHandler}, {@link dev.coldstart.coordination.CorsCheck}),
 * health-checked asset origins ({@link dev.coldstart.coordination.AssetOrigins}), merged downstream
 * GraphQL schemas ({@link dev.coldstart.coordination.GraphQlSchemas}) and the client build manifest
 * check ({@link dev.coldstart.coordination.BuildManifestCheck}).
 *
 * <p>Nothing in this package accepts or returns null unless its Javadoc says so.
 */
package dev.coldstart.coordination;
