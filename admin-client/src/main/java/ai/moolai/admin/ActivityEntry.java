package ai.moolai.admin;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * One admin action in the activity log.
 *
 * @param id         its id
 * @param at         when
 * @param actor      who
 * @param actorRole  in which role
 * @param action     what, such as {@code orchestrator.created}
 * @param targetType the kind of thing acted on
 * @param targetId   the thing acted on
 * @param details    what changed
 */
public record ActivityEntry(long id, Instant at, String actor, String actorRole, String action, String targetType,
                            String targetId, JsonNode details) {
}
