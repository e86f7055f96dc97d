/**
 * Immutable event payloads that a {@link dev.coldstart.core.StartupListener} receives. Nothing in
 * this package is null unless its Javadoc says so.
 */
package dev.coldstart.core.event;
