package ai.moolai.protocol.ws;

/**
 * The orchestrator's heartbeat. It carries no id: a session speaks only for the orchestrator it
 * authenticated as.
 *
 * @param timestamp the client's clock, as sent
 * @param seq       an optional counter the client increments
 */
public record IAmAlive(String timestamp, Long seq) implements InboundFrame {
}
