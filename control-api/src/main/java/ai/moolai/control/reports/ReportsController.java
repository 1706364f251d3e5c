package ai.moolai.control.reports;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import ai.moolai.control.activity.ActivityLog;
import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Conflict;
import ai.moolai.control.system.Ids;
import ai.moolai.control.system.NotFound;
import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Json;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Monitoring reports and recommendations, per orchestrator and fleet-wide, and the decision on a
 * recommendation (recorded in the activity log with the decision itself).
 */
@RestController
@Validated
class ReportsController {

    private static final RowMapper<Report> REPORT = (rs, n) -> new Report(rs.getString("orchestrator_id"),
            UUID.fromString(rs.getString("message_id")), rs.getString("kind"), instant(rs.getTimestamp("produced_at")),
            rs.getTimestamp("received_at").toInstant(), Json.events().readTree(rs.getString("data")));

    private static final RowMapper<Recommendation> RECOMMENDATION = (rs, n) -> new Recommendation(rs.getLong("id"),
            rs.getString("orchestrator_id"), UUID.fromString(rs.getString("message_id")), rs.getString("title"),
            rs.getString("description"), rs.getString("severity"), rs.getString("category"),
            rs.getString("proposed_action") == null ? null : Json.events().readTree(rs.getString("proposed_action")),
            instant(rs.getTimestamp("produced_at")), rs.getTimestamp("received_at").toInstant(), rs.getString("status"),
            rs.getString("decided_by"), instant(rs.getTimestamp("decided_at")), rs.getString("decision_note"));

    private final JdbcClient jdbc;
    private final ActivityLog activity;

    ReportsController(JdbcClient jdbc, ActivityLog activity) {
        this.jdbc = jdbc;
        this.activity = activity;
    }

    /** A monitoring report or config snapshot. */
    record Report(String orchestratorId, UUID messageId, String kind, Instant producedAt, Instant receivedAt,
                  JsonNode data) {
    }

    /** A recommendation and what was decided on it. */
    record Recommendation(long id, String orchestratorId, UUID messageId, String title, String description,
                          String severity, String category, JsonNode proposedAction, Instant producedAt,
                          Instant receivedAt, String status, String decidedBy, Instant decidedAt, String decisionNote) {
    }

    @GetMapping("/api/v1/controller/reports")
    Paging.Page<Report> reports(@RequestParam(required = false) @Pattern(regexp = Ids.PATTERN) String orchestratorId,
                                @RequestParam(required = false) @Pattern(regexp = "monitoring_report|config_snapshot") String kind,
                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size, null, Map.of("receivedAt", "received_at"), "receivedAt,desc");
        String where = """
                 WHERE (CAST(:id AS text) IS NULL OR orchestrator_id = :id)
                   AND (CAST(:kind AS text) IS NULL OR kind = :kind)
                   AND (CAST(:from AS timestamptz) IS NULL OR received_at >= :from)
                   AND (CAST(:to AS timestamptz) IS NULL OR received_at < :to)""";
        Map<String, Object> params = new HashMap<>();
        params.put("id", orchestratorId);
        params.put("kind", kind);
        params.put("from", from == null ? null : Timestamp.from(from));
        params.put("to", to == null ? null : Timestamp.from(to));
        var items = jdbc.sql("SELECT * FROM orchestrator_reports " + where + " ORDER BY received_at DESC LIMIT :limit OFFSET :offset")
                .params(params).param("limit", paging.size()).param("offset", paging.offset()).query(REPORT).list();
        long total = jdbc.sql("SELECT count(*) FROM orchestrator_reports " + where).params(params).query(Long.class).single();
        return paging.of(items, total);
    }

    @GetMapping("/api/v1/controller/orchestrator-instances/{id}/reports")
    Paging.Page<Report> reportsOf(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                                  @RequestParam(required = false) @Pattern(regexp = "monitoring_report|config_snapshot") String kind,
                                  @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return reports(id, kind, null, null, page, size);
    }

    /** Pending first, then newest first. */
    @GetMapping("/api/v1/controller/recommendations")
    Paging.Page<Recommendation> recommendations(
            @RequestParam(required = false) @Pattern(regexp = Ids.PATTERN) String orchestratorId,
            @RequestParam(required = false) @Pattern(regexp = "PENDING|ACCEPTED|REJECTED") String status,
            @RequestParam(required = false) @Pattern(regexp = "info|warning|critical") String severity,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size, null, Map.of("receivedAt", "received_at"), "receivedAt,desc");
        String where = """
                 WHERE (CAST(:id AS text) IS NULL OR orchestrator_id = :id)
                   AND (CAST(:status AS text) IS NULL OR status = :status)
                   AND (CAST(:severity AS text) IS NULL OR severity = :severity)""";
        Map<String, Object> params = new HashMap<>();
        params.put("id", orchestratorId);
        params.put("status", status);
        params.put("severity", severity);
        var items = jdbc.sql("SELECT * FROM recommendations " + where
                        + " ORDER BY (status = 'PENDING') DESC, received_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(params).param("limit", paging.size()).param("offset", paging.offset()).query(RECOMMENDATION).list();
        long total = jdbc.sql("SELECT count(*) FROM recommendations " + where).params(params).query(Long.class).single();
        return paging.of(items, total);
    }

    @GetMapping("/api/v1/controller/orchestrator-instances/{id}/recommendations")
    Paging.Page<Recommendation> recommendationsOf(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                                                  @RequestParam(required = false) Integer page,
                                                  @RequestParam(required = false) Integer size) {
        return recommendations(id, null, null, page, size);
    }

    @GetMapping("/api/v1/controller/recommendations/{id}")
    Recommendation recommendation(@PathVariable long id) {
        return jdbc.sql("SELECT * FROM recommendations WHERE id = :id").param("id", id).query(RECOMMENDATION).optional()
                .orElseThrow(() -> new NotFound("recommendation " + id));
    }

    /** Accepts or rejects a pending recommendation; deciding twice is a conflict. */
    @PostMapping("/api/v1/controller/recommendations/{id}/decision")
    @Transactional
    Recommendation decide(@PathVariable long id, @Valid @RequestBody DecisionRequest request) {
        Actor actor = Actor.current();
        int decided = jdbc.sql("""
                        UPDATE recommendations SET status = :status, decided_by = :actor, decided_at = now(), decision_note = :note
                        WHERE id = :id AND status = 'PENDING'""")
                .param("status", request.decision().name()).param("actor", actor.subject()).param("note", request.note())
                .param("id", id).update();
        Recommendation recommendation = recommendation(id);
        if (decided == 0) {
            throw new Conflict("recommendation " + id + " was already " + recommendation.status().toLowerCase(Locale.ROOT));
        }
        Map<String, Object> details = new HashMap<>();
        details.put("orchestratorId", recommendation.orchestratorId());
        details.put("title", recommendation.title());
        details.put("note", request.note());
        activity.record(actor, "recommendation." + request.decision().name().toLowerCase(Locale.ROOT),
                "recommendation", Long.toString(id), details);
        return recommendation;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
