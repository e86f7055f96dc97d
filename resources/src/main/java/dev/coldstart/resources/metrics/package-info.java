/** Optional Micrometer meters of coldstart-resources; needs {@code io.micrometer:micrometer-core} on the class path. */
package dev.coldstart.resources.metrics;
