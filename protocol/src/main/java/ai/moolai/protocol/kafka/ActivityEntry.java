package ai.moolai.protocol.kafka;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * One entry of the activity log: who did what to which target.
 *
 * @param id         the entry's id in the log
 * @param at         when it was committed
 * @param actor      who acted (a token's subject)
 * @param action     what they did, such as {@code orchestrator.independence.set}
 * @param targetType the kind of target, such as {@code orchestrator}
 * @param targetId   the target's id
 * @param details    what changed, a JSON object
 */
public record ActivityEntry(long id, Instant at, String actor, String action, String targetType,
                            String targetId, JsonNode details) implements TopicValue {
}
