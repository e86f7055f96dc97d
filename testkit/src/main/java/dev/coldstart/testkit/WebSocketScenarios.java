package dev.coldstart.testkit;

import dev.coldstart.testkit.internal.scenario.WsBroadcastScenario;
import dev.coldstart.testkit.internal.scenario.WsHeartbeatScenario;
import dev.coldstart.testkit.internal.scenario.WsOriginAuthScenario;
import dev.coldstart.testkit.internal.scenario.WsResumeScenario;
import dev.coldstart.testkit.internal.scenario.WsUpgradeStormScenario;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket cold-start scenarios CS-11 to CS-15, run against your own server. Implement this
 * interface in a test class and build your {@link dev.coldstart.websocket.WebSocketServer} from the
 * {@link WebSocketEnvironment} each scenario hands you; each scenario then runs as a JUnit test
 * named after it, against real sockets on 127.0.0.1 (and real Redis for the restart of CS-12), with
 * clients that use the library's {@link dev.coldstart.websocket.ReconnectingClient}, and asserts
 * every pass criterion of SCENARIOS.md with its figures.
 *
 * <pre>{@code
 * class ChatWebSocketScenariosIT implements WebSocketScenarios {
 *     public WebSocketService webSocketService(WebSocketEnvironment env) {
 *         WebSocketServer server = WebSocketServer.of(ChatServer.config().toBuilder()
 *                 .host(env.host()).port(env.port())
 *                 .messageLog(env.messageLog("chat-log", ChatServer.LIMITS))
 *                 .build());
 *         return WebSocketService.builder(server).validToken(TestTokens::valid).build();
 *     }
 * }
 * }</pre>
 *
 * <p>The scenarios use your configuration as it is: the admission rate and in-flight cap (CS-11),
 * the buffer limits (CS-12, CS-15: a session must be able to hold every message of the scenario
 * that it may miss), the origin policy and token verifier (CS-13, which needs a server that
 * requires a token), the heartbeat interval P and missed pongs K (CS-14, whose duration grows with
 * P x K). What they check depends on nothing else.
 */
@ColdstartScenarios
public interface WebSocketScenarios {

    /**
     * Builds one instance of your server, not started.
     *
     * @param env where to bind and which message log to use
     * @return your server and how a legitimate client connects to it
     * @throws Exception when it cannot be built
     */
    WebSocketService webSocketService(WebSocketEnvironment env) throws Exception;

    /**
     * The figures of CS-11.
     *
     * @return by default {@link Cs11Parameters#ofDefaults()}
     */
    default Cs11Parameters cs11Parameters() {
        return Cs11Parameters.ofDefaults();
    }

    /**
     * The figures of CS-12.
     *
     * @return by default {@link Cs12Parameters#ofDefaults()}
     */
    default Cs12Parameters cs12Parameters() {
        return Cs12Parameters.ofDefaults();
    }

    /**
     * The figures of CS-13.
     *
     * @return by default {@link Cs13Parameters#ofDefaults()}
     */
    default Cs13Parameters cs13Parameters() {
        return Cs13Parameters.ofDefaults();
    }

    /**
     * The figures of CS-14.
     *
     * @return by default {@link Cs14Parameters#ofDefaults()}
     */
    default Cs14Parameters cs14Parameters() {
        return Cs14Parameters.ofDefaults();
    }

    /**
     * The figures of CS-15.
     *
     * @return by default {@link Cs15Parameters#ofDefaults()}
     */
    default Cs15Parameters cs15Parameters() {
        return Cs15Parameters.ofDefaults();
    }

    /**
     * CS-11: 2,000 clients try to upgrade within 1 s of the server opening its port. Pass: the
     * server admits upgrades at its configured rate and answers the excess with 503 and
     * Retry-After (no resets, no timeouts, no thread exhaustion); the clients, using the library's
     * reconnect policy, are all connected within 30 s; handshakes in flight never exceed the limit.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs11_websocket_upgrade_failures_high_rate(ScenarioContext ctx) throws Exception {
        WsUpgradeStormScenario.run(this, ctx, cs11Parameters());
    }

    /**
     * CS-12: 200 connected clients; the server restarts (shared Redis Streams log) and, separately,
     * the connections drop (in-memory log) for 2 s while 1,000 messages are published. Pass: every
     * client then has every message in order without duplicates; a client whose buffer limit
     * (count, then bytes) is exceeded gets an explicit gap marker; heap stays bounded.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs12_message_buffering_reconnection_storms(ScenarioContext ctx) throws Exception {
        WsResumeScenario.run(this, ctx, cs12Parameters());
    }

    /**
     * CS-13: upgrades from a disallowed origin, without or with an invalid token, and a cross-site
     * hijack with cookie credentials from a foreign origin. Pass: bad origins get 403 before any
     * auth work; bad tokens get 401; only an allowed origin with a valid token connects; a wildcard
     * origin with credentials is rejected at startup.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs13_cross_origin_websocket_authentication(ScenarioContext ctx) throws Exception {
        WsOriginAuthScenario.run(this, ctx, cs13Parameters());
    }

    /**
     * CS-14: the server pings every P; a client stops answering; a server goes silent behind a
     * blackholing proxy. Pass: the silent client is closed within P x K + 1 s and freed; the client
     * detects the silent server within its timeout and reconnects; a heartbeat not shorter than the
     * idle timeout in front is rejected at startup; 5,000 sessions do not ping in the same
     * millisecond.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs14_websocket_heartbeat_synchronization(ScenarioContext ctx) throws Exception {
        WsHeartbeatScenario.run(this, ctx, cs14Parameters());
    }

    /**
     * CS-15: 10,000 broadcasts to 500 sessions while 100 random sessions disconnect and reconnect,
     * and one session reads slowly. Pass: every session connected at the end has every message
     * exactly once and in order; the slow one does not slow the others; no exception escapes the
     * broadcaster.
     *
     * @param ctx the scenario's context
     * @throws Exception when the scenario cannot run
     */
    @Test
    default void cs15_broadcasting_failures_during_restart(ScenarioContext ctx) throws Exception {
        WsBroadcastScenario.run(this, ctx, cs15Parameters());
    }
}
