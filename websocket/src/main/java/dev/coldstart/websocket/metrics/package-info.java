/** Optional Micrometer meters of coldstart-websocket; needs {@code io.micrometer:micrometer-core} on the class path. */
package dev.coldstart.websocket.metrics;
