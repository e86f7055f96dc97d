/** Optional Micrometer meters of coldstart-auth; needs {@code io.micrometer:micrometer-core} on the class path. */
package dev.coldstart.auth.metrics;
