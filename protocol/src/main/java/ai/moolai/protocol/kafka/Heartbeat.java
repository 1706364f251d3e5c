package ai.moolai.protocol.kafka;

import java.time.Instant;

/**
 * One {@code i_am_alive} an edge received.
 *
 * @param orchestratorId the session's authenticated orchestrator
 * @param sessionId      the session it came on
 * @param edgeId         the edge that received it
 * @param seq            the client's counter, when it sends one
 * @param sentAt         the client's clock, when readable
 * @param receivedAt     the edge's clock: the time liveness uses
 */
public record Heartbeat(String orchestratorId, String sessionId, String edgeId, Long seq, Instant sentAt,
                        Instant receivedAt) implements TopicValue {
}
