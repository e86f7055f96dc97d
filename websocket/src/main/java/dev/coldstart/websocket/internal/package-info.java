/**
 * Implementation of {@code dev.coldstart.websocket}; not an API, may change without notice.
 */
package dev.coldstart.websocket.internal;
