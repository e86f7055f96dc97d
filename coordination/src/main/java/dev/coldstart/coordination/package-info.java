/**
 * Coordination between a service and the world around it while it starts and stops: the probe
 * endpoint Kubernetes reads ({@link dev.coldstart.coordination.ProbeEndpoint}), atomic port binding
 * ({@link dev.coldstart.coordination.PortAllocator}), a service registry with discovery that waits
 * ({@link dev.coldstart.coordination.ServiceRegistry}, registration once READY with
 * {@link dev.coldstart.coordination.ServiceRegistration}), and feature flags that follow optional
 * components ({@link dev.coldstart.coordination.FeatureFlags}).
 *
 * <p>Nothing in this package accepts or returns null unless its Javadoc says so.
 */
package dev.coldstart.coordination;
