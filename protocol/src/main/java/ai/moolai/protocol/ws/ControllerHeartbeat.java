package ai.moolai.protocol.ws;

/**
 * The controller's keepalive, every {@code CONTROLLER_HEARTBEAT_SEC}.
 *
 * @param orchId the session's orchestrator
 * @param ts     the controller's clock
 */
public record ControllerHeartbeat(String orchId, String ts) implements OutboundFrame {
}
