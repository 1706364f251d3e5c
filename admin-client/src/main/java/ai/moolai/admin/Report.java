package ai.moolai.admin;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A monitoring report or config snapshot an orchestrator sent.
 *
 * @param orchestratorId who sent it
 * @param messageId      its id, the orchestrator's idempotency key
 * @param kind           {@code monitoring_report} or {@code config_snapshot}
 * @param producedAt     when the orchestrator produced it, if it said
 * @param receivedAt     when the edge received it
 * @param data           what it says, a JSON object
 */
public record Report(String orchestratorId, UUID messageId, String kind, Instant producedAt, Instant receivedAt,
                     JsonNode data) {
}
