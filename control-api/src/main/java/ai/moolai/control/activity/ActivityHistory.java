package ai.moolai.control.activity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Json;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** The activity log as admins read it: newest first, filtered. */
@Component
class ActivityHistory {

    private final JdbcClient jdbc;

    ActivityHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One entry.
     *
     * @param id         its id
     * @param at         when
     * @param actor      who
     * @param actorRole  with which role
     * @param action     what
     * @param targetType the kind of target
     * @param targetId   the target
     * @param details    what changed
     */
    record Entry(long id, Instant at, String actor, String actorRole, String action, String targetType, String targetId,
                 JsonNode details) {
    }

    /**
     * What to show; a blank or {@code null} field does not filter.
     *
     * @param action an action, or a prefix of actions: {@code orchestrator} matches {@code orchestrator.created}
     * @param from   inclusive
     * @param to     exclusive
     */
    record Filter(String actor, String action, String targetType, String targetId, Instant from, Instant to) {
    }

    @Transactional(readOnly = true)
    Paging.Page<Entry> list(Filter filter, Paging paging) {
        String where = """
                 WHERE (CAST(:actor AS text) IS NULL OR actor = :actor)
                   AND (CAST(:action AS text) IS NULL OR action = :action OR action LIKE CAST(:action AS text) || '.%')
                   AND (CAST(:targetType AS text) IS NULL OR target_type = :targetType)
                   AND (CAST(:targetId AS text) IS NULL OR target_id = :targetId)
                   AND (CAST(:from AS timestamptz) IS NULL OR occurred_at >= :from)
                   AND (CAST(:to AS timestamptz) IS NULL OR occurred_at < :to)""";
        Map<String, Object> params = new HashMap<>();
        params.put("actor", blankToNull(filter.actor()));
        params.put("action", blankToNull(filter.action()));
        params.put("targetType", blankToNull(filter.targetType()));
        params.put("targetId", blankToNull(filter.targetId()));
        params.put("from", filter.from() == null ? null : Timestamp.from(filter.from()));
        params.put("to", filter.to() == null ? null : Timestamp.from(filter.to()));
        var items = jdbc.sql("SELECT * FROM activity_logs " + where + " ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(params).param("limit", paging.size()).param("offset", paging.offset())
                .query((rs, n) -> new Entry(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("actor"),
                        rs.getString("actor_role"), rs.getString("action"), rs.getString("target_type"),
                        rs.getString("target_id"), Json.events().readTree(rs.getString("details"))))
                .list();
        long total = jdbc.sql("SELECT count(*) FROM activity_logs " + where).params(params).query(Long.class).single();
        return paging.of(items, total);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
