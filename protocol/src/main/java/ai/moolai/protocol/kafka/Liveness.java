package ai.moolai.protocol.kafka;

import java.time.Instant;

/**
 * The current liveness of one orchestrator (compacted; a tombstone once it is deleted).
 *
 * @param orchestratorId               the orchestrator
 * @param status                       its status
 * @param reason                       why it has that status
 * @param since                        when it entered that status
 * @param lastSeen                     the edge's time of its latest heartbeat or connection
 * @param connected                    whether a session is open
 * @param sessionId                    the latest session
 * @param edgeId                       the edge holding the latest session
 * @param independenceRequestedVersion the desired-state version that requested the current independence mode
 * @param independenceAckedVersion     the version the orchestrator acknowledged
 * @param updatedAt                    when this record was derived
 */
public record Liveness(String orchestratorId, LivenessStatus status, LivenessReason reason, Instant since,
                       Instant lastSeen, boolean connected, String sessionId, String edgeId,
                       Long independenceRequestedVersion, Long independenceAckedVersion, Instant updatedAt)
        implements TopicValue {
}
