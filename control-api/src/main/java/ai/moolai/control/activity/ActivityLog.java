package ai.moolai.control.activity;

import java.util.Locale;

import ai.moolai.control.events.LiveFeed;
import ai.moolai.control.outbox.Outbox;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.ActivityEntry;
import ai.moolai.protocol.kafka.Topics;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Records every {@link Audited} event in the transaction of the change it announces, queues it for
 * {@code controller.activity.v1}, and announces it to the dashboards once committed.
 */
@Component
class ActivityLog {

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final LiveFeed live;

    ActivityLog(JdbcClient jdbc, Outbox outbox, LiveFeed live) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.live = live;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void record(Audited event) {
        JsonNode details = Json.events().valueToTree(event.details());
        ActivityEntry entry = jdbc.sql("""
                        INSERT INTO activity_logs (actor, actor_role, action, target_type, target_id, details)
                        VALUES (:actor, :role, :action, :targetType, :targetId, CAST(:details AS jsonb))
                        RETURNING id, occurred_at""")
                .param("actor", event.actor().subject())
                .param("role", event.actor().role().name().toLowerCase(Locale.ROOT))
                .param("action", event.action())
                .param("targetType", event.targetType())
                .param("targetId", event.targetId())
                .param("details", details.toString())
                .query((rs, n) -> new ActivityEntry(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(),
                        event.actor().subject(), event.action(), event.targetType(), event.targetId(), details))
                .single();
        outbox.append(Topics.ACTIVITY, event.targetId(), entry);
        live.announce("activity", entry);
    }
}
