/**
 * Real fault injection for cold-start tests: a TCP fault proxy ({@link
 * dev.coldstart.testkit.fault.TcpFaultProxy}) placed between a service and a real server, a
 * child-JVM launcher with OS limits ({@link dev.coldstart.testkit.fault.ChildJvm}), a port squatter
 * ({@link dev.coldstart.testkit.fault.PortSquatter}) and a faulty HTTP peer built on WireMock
 * ({@link dev.coldstart.testkit.fault.FaultyHttpPeer}).
 *
 * <p>Every fault happens on real sockets and real processes on 127.0.0.1; nothing is mocked. Each
 * resource is {@link java.lang.AutoCloseable} and frees its ports, threads and processes on
 * {@code close()}. Nothing in this package accepts or returns null unless its Javadoc says so.
 * The behaviours documented here were written for and verified on Linux.
 */
package dev.coldstart.testkit.fault;
