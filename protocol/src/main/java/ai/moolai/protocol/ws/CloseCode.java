package ai.moolai.protocol.ws;

/** Why a session ended, as a WebSocket close code and reason (PROTOCOL.md, "Close codes"). */
public enum CloseCode {
    /** Independence acknowledged: do not reconnect, poll instead. */
    INDEPENDENT_ACKNOWLEDGED(1000, "independent"),
    /**
     * The orchestrator deregistered over HTTP (the original client's shutdown call): the edge closes
     * its session for it, as the orchestrator's own goodbye.
     */
    DEREGISTERED(1000, "deregistered"),
    /** The edge is going away: reconnect, to any edge, with backoff. */
    EDGE_SHUTDOWN(1001, "edge_shutdown"),
    /** Nothing arrived for three heartbeat TTLs: reconnect with backoff. */
    IDLE_TIMEOUT(1001, "idle_timeout"),
    HANDSHAKE_TIMEOUT(1008, "handshake_timeout"),
    INVALID_HANDSHAKE(1008, "invalid_handshake"),
    MESSAGE_TOO_BIG(1009, "message_too_big"),
    /**
     * The edge cannot check this orchestrator's credential now (its view of desired state is not
     * current, or the orchestrator's latest record is unreadable): reconnect with backoff.
     */
    TRY_AGAIN_LATER(1013, "try_again_later"),
    /** A missing, wrong, rotated or foreign token: do not reconnect with it. */
    UNAUTHORIZED(4401, "unauthorized"),
    /** Not registered, or deleted: do not reconnect. */
    UNKNOWN_ORCHESTRATOR(4403, "unknown_orchestrator"),
    /** An admin rejected the orchestrator's enrolment: do not reconnect (the edge refuses it for a while). */
    ENROLMENT_REJECTED(4403, "enrolment_rejected"),
    /** The session waited for approval longer than the edge holds one: reconnect with backoff. */
    WAITING_TIMEOUT(1001, "waiting_timeout"),
    /** A newer session of the same orchestrator exists, on this edge or another. */
    SESSION_REPLACED(4409, "session_replaced"),
    /** The orchestrator is independent: poll instead of reconnecting. */
    INDEPENDENT(4410, "independent"),
    RATE_LIMITED(4429, "rate_limited");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
