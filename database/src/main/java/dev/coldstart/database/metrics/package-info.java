/** Optional Micrometer meters of coldstart-database; needs {@code io.micrometer:micrometer-core} on the class path. */
package dev.coldstart.database.metrics;
