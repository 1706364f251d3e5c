package ai.moolai.admin;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A recommendation an orchestrator made, and what an admin decided on it.
 *
 * @param id             its id
 * @param orchestratorId who made it
 * @param messageId      the orchestrator's idempotency key
 * @param title          what it proposes, in short
 * @param description    what it proposes, at length
 * @param severity       {@code info}, {@code warning} or {@code critical}
 * @param category       its category
 * @param proposedAction the change it proposes, a JSON object
 * @param producedAt     when the orchestrator made it, if it said
 * @param receivedAt     when the edge received it
 * @param status         {@code PENDING}, {@code ACCEPTED} or {@code REJECTED}
 * @param decidedBy      who decided
 * @param decidedAt      when
 * @param decisionNote   why
 */
public record Recommendation(long id, String orchestratorId, UUID messageId, String title, String description,
                             String severity, String category, JsonNode proposedAction, Instant producedAt,
                             Instant receivedAt, String status, String decidedBy, Instant decidedAt,
                             String decisionNote) {
}
