package ai.moolai.control.reports;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Json;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** Recommendations as admins read them: pending first, then newest first. */
@Component
class RecommendationInbox {

    private static final RowMapper<View> ROW = (rs, n) -> new View(rs.getLong("id"),
            rs.getString("orchestrator_id"), UUID.fromString(rs.getString("message_id")), rs.getString("title"),
            rs.getString("description"), rs.getString("severity"), rs.getString("category"),
            rs.getString("proposed_action") == null ? null : Json.events().readTree(rs.getString("proposed_action")),
            instant(rs.getTimestamp("produced_at")), rs.getTimestamp("received_at").toInstant(), rs.getString("status"),
            rs.getString("decided_by"), instant(rs.getTimestamp("decided_at")), rs.getString("decision_note"));

    private final JdbcClient jdbc;

    RecommendationInbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A recommendation and what was decided on it. */
    @Schema(name = "Recommendation")
    record View(long id, String orchestratorId, UUID messageId, String title, String description, String severity,
                String category, JsonNode proposedAction, Instant producedAt, Instant receivedAt, String status,
                String decidedBy, Instant decidedAt, String decisionNote) {
    }

    /** Which recommendations; a {@code null} field does not filter. */
    record Filter(String orchestratorId, String status, String severity) {
    }

    @Transactional(readOnly = true)
    Paging.Page<View> list(Filter filter, Paging paging) {
        String where = """
                 WHERE (CAST(:id AS text) IS NULL OR orchestrator_id = :id)
                   AND (CAST(:status AS text) IS NULL OR status = :status)
                   AND (CAST(:severity AS text) IS NULL OR severity = :severity)""";
        Map<String, Object> params = new HashMap<>();
        params.put("id", filter.orchestratorId());
        params.put("status", filter.status());
        params.put("severity", filter.severity());
        var items = jdbc.sql("SELECT * FROM recommendations " + where
                        + " ORDER BY (status = 'PENDING') DESC, received_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(params).param("limit", paging.size()).param("offset", paging.offset()).query(ROW).list();
        long total = jdbc.sql("SELECT count(*) FROM recommendations " + where).params(params).query(Long.class).single();
        return paging.of(items, total);
    }

    @Transactional(readOnly = true)
    View get(long id) {
        return jdbc.sql("SELECT * FROM recommendations WHERE id = :id").param("id", id).query(ROW).optional()
                .orElseThrow(() -> new RecommendationNotFound(id));
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
