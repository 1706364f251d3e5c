package ai.moolai.protocol.kafka;

import java.time.Instant;

/**
 * A change in an orchestrator's session, as an edge saw it.
 *
 * @param orchestratorId      the session's authenticated orchestrator
 * @param sessionId           the session
 * @param edgeId              the edge holding it
 * @param kind                what happened
 * @param at                  the edge's clock
 * @param closeCode           for {@link Kind#DISCONNECTED}: the WebSocket close code
 * @param closedBy            for {@link Kind#DISCONNECTED}: who closed
 * @param reason              for {@link Kind#DISCONNECTED}: the close reason
 * @param independent         for {@link Kind#INDEPENDENCE_ACKED}: the mode the orchestrator applied
 * @param independenceVersion for {@link Kind#INDEPENDENCE_ACKED}: the desired-state version it applied
 * @param client              for {@link Kind#CONNECTED}: what the orchestrator said about itself
 */
public record SessionEvent(String orchestratorId, String sessionId, String edgeId, Kind kind, Instant at,
                           Integer closeCode, ClosedBy closedBy, String reason, Boolean independent,
                           Long independenceVersion, Client client) implements TopicValue {

    /** A session opened after a successful handshake. */
    public static SessionEvent connected(String orchestratorId, String sessionId, String edgeId, Instant at,
                                         Client client) {
        return new SessionEvent(orchestratorId, sessionId, edgeId, Kind.CONNECTED, at, null, null, null, null,
                null, client);
    }

    /** A session ended. */
    public static SessionEvent disconnected(String orchestratorId, String sessionId, String edgeId, Instant at,
                                            int closeCode, ClosedBy closedBy, String reason) {
        return new SessionEvent(orchestratorId, sessionId, edgeId, Kind.DISCONNECTED, at, closeCode, closedBy,
                reason, null, null, null);
    }

    /** The orchestrator acknowledged an independence update. */
    public static SessionEvent independenceAcked(String orchestratorId, String sessionId, String edgeId,
                                                 Instant at, boolean independent, long version) {
        return new SessionEvent(orchestratorId, sessionId, edgeId, Kind.INDEPENDENCE_ACKED, at, null, null, null,
                independent, version, null);
    }

    /** What happened to the session. */
    public enum Kind {
        CONNECTED, DISCONNECTED, INDEPENDENCE_ACKED
    }

    /** Who ended a session. */
    public enum ClosedBy {
        /** The orchestrator closed cleanly: it is shutting down or going independent. */
        ORCHESTRATOR,
        /** The edge closed it: shutdown, replaced session, a limit or a revoked credential. */
        EDGE,
        /** The connection dropped without a close handshake. */
        NETWORK
    }

    /**
     * What an orchestrator says about itself at handshake.
     *
     * @param version  its software version
     * @param hostname its host
     * @param ip       its address as it sees it
     */
    public record Client(String version, String hostname, String ip) {
    }
}
