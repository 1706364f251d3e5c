package ai.moolai.control.activity;

import java.util.Locale;
import java.util.Map;

import ai.moolai.control.outbox.Outbox;
import ai.moolai.control.system.Actor;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.ActivityEntry;
import ai.moolai.protocol.kafka.Topics;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** Records an admin action in the transaction of the change itself, and queues it for Kafka. */
@Component
public class ActivityLog {

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final ApplicationEventPublisher events;

    ActivityLog(JdbcClient jdbc, Outbox outbox, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.events = events;
    }

    /**
     * @param action     what was done, such as {@code orchestrator.independence.set}
     * @param targetType the kind of target, such as {@code orchestrator}
     * @param targetId   the target's id
     * @param details    what changed
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ActivityEntry record(Actor actor, String action, String targetType, String targetId, Map<String, ?> details) {
        JsonNode detailsJson = Json.events().valueToTree(details);
        ActivityEntry entry = jdbc.sql("""
                        INSERT INTO activity_logs (actor, actor_role, action, target_type, target_id, details)
                        VALUES (:actor, :role, :action, :targetType, :targetId, CAST(:details AS jsonb))
                        RETURNING id, occurred_at""")
                .param("actor", actor.subject())
                .param("role", actor.role().name().toLowerCase(Locale.ROOT))
                .param("action", action)
                .param("targetType", targetType)
                .param("targetId", targetId)
                .param("details", detailsJson.toString())
                .query((rs, n) -> new ActivityEntry(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(),
                        actor.subject(), action, targetType, targetId, detailsJson))
                .single();
        outbox.append(Topics.ACTIVITY, targetId, entry);
        events.publishEvent(new ActivityRecorded(entry));
        return entry;
    }

    /** An action was recorded; listeners act after the commit. */
    public record ActivityRecorded(ActivityEntry entry) {
    }
}
