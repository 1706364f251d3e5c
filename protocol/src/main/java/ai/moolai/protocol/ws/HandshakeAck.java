package ai.moolai.protocol.ws;

/**
 * The first frame back after a successful handshake.
 *
 * @param orchId          the orchestrator the session belongs to
 * @param ts              the controller's clock
 * @param sessionId       this session's id
 * @param heartbeatTtlSec seconds without a heartbeat after which the orchestrator counts as inactive
 * @param status          {@value #PENDING_APPROVAL} while the orchestrator waits for an admin's approval; absent
 *                        once it is admitted
 */
public record HandshakeAck(String orchId, String ts, String sessionId, int heartbeatTtlSec, String status)
        implements OutboundFrame {

    /** The status of a session held in the waiting room. */
    public static final String PENDING_APPROVAL = "pending_approval";

    /** The acknowledgement of an admitted session. */
    public HandshakeAck(String orchId, String ts, String sessionId, int heartbeatTtlSec) {
        this(orchId, ts, sessionId, heartbeatTtlSec, null);
    }

    public boolean pendingApproval() {
        return PENDING_APPROVAL.equals(status);
    }
}
