/**
 * WebSocket for coldstart, on Jetty 12: a server that survives reconnect storms and restarts, and a
 * client that reconnects politely.
 *
 * <ul>
 *   <li>Upgrade admission ({@link dev.coldstart.websocket.AdmissionConfig}): a token-bucket rate
 *       and a cap on handshakes in flight, the excess answered 503 with Retry-After.</li>
 *   <li>Security at the upgrade: {@link dev.coldstart.websocket.OriginPolicy} first (403), then the
 *       token through {@link dev.coldstart.core.TokenVerifier} ({@link dev.coldstart.websocket.UpgradeAuth}, 401).</li>
 *   <li>Heartbeats ({@link dev.coldstart.websocket.HeartbeatConfig}) with phases spread by a
 *       {@link dev.coldstart.websocket.PingSchedule}.</li>
 *   <li>Per-session sequence numbers and resume from a {@link dev.coldstart.websocket.MessageLog}
 *       (in memory, or Redis Streams to survive a restart), bounded by
 *       {@link dev.coldstart.websocket.BufferLimits}, with explicit gap markers on overflow.</li>
 *   <li>A {@link dev.coldstart.websocket.Broadcaster} with per-session asynchronous sends and
 *       backpressure.</li>
 *   <li>The client: {@link dev.coldstart.websocket.ReconnectingClient} with a
 *       {@link dev.coldstart.websocket.ReconnectPolicy}, sharing a {@link dev.coldstart.websocket.ClientTransport}.</li>
 * </ul>
 *
 * <p>The wire protocol (hello, welcome, sequenced messages, gap markers, resume) is specified in
 * {@code docs/websocket.md} so that clients in other languages can implement it.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.of(WebSocketServerConfig.builder()
 *         .port(8081)
 *         .originPolicy(OriginPolicy.builder().allowOrigin("https://app.example.com").build())
 *         .messageLog(MessageLog.redis("ws-log", URI.create("redis://redis:6379"), "app:ws:", BufferLimits.ofDefaults()))
 *         .build());
 * StartupOrchestrator.builder().components(server.components()).build().start();
 * }</pre>
 *
 * <p>Arguments and return values are non-null unless a method says otherwise.
 */
package dev.coldstart.websocket;
