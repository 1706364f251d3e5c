package ai.moolai.protocol.ws;

/**
 * The first frame back after a successful handshake.
 *
 * @param orchId          the orchestrator the session belongs to
 * @param ts              the controller's clock
 * @param sessionId       this session's id
 * @param heartbeatTtlSec seconds without a heartbeat after which the orchestrator counts as inactive
 */
public record HandshakeAck(String orchId, String ts, String sessionId, int heartbeatTtlSec)
        implements OutboundFrame {
}
