package ai.moolai.admin;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * One change of an orchestrator's status.
 *
 * @param from     the status it left
 * @param to       the status it entered
 * @param reason   why
 * @param at       when
 * @param evidence what liveness-stream based it on
 */
public record Transition(String from, String to, String reason, Instant at, JsonNode evidence) {
}
