/**
 * Metrics of a start-up through Micrometer, an optional dependency of {@code coldstart-core}: add
 * {@code io.micrometer:micrometer-core} to your application to use this package. Nothing else in
 * core loads it. Nothing in this package is null unless its Javadoc says so.
 */
package dev.coldstart.core.metrics;
