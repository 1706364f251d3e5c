package ai.moolai.control.activity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Json;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/controller/activity}: the activity log, newest first, filtered. */
@RestController
class ActivityController {

    private final JdbcClient jdbc;

    ActivityController(JdbcClient jdbc) {
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

    @GetMapping("/api/v1/controller/activity")
    Paging.Page<Entry> list(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                            @RequestParam(required = false) String targetType,
                            @RequestParam(required = false) String targetId,
                            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size, null, Map.of("at", "occurred_at"), "at,desc");
        String where = """
                 WHERE (CAST(:actor AS text) IS NULL OR actor = :actor)
                   AND (CAST(:action AS text) IS NULL OR action = :action OR action LIKE CAST(:action AS text) || '.%')
                   AND (CAST(:targetType AS text) IS NULL OR target_type = :targetType)
                   AND (CAST(:targetId AS text) IS NULL OR target_id = :targetId)
                   AND (CAST(:from AS timestamptz) IS NULL OR occurred_at >= :from)
                   AND (CAST(:to AS timestamptz) IS NULL OR occurred_at < :to)""";
        var params = new HashMap<String, Object>();
        params.put("actor", blankToNull(actor));
        params.put("action", blankToNull(action));
        params.put("targetType", blankToNull(targetType));
        params.put("targetId", blankToNull(targetId));
        params.put("from", from == null ? null : Timestamp.from(from));
        params.put("to", to == null ? null : Timestamp.from(to));
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
