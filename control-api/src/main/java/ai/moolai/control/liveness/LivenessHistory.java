package ai.moolai.control.liveness;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Json;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** An orchestrator's status changes and liveness windows, as materialized from Kafka. */
@Component
class LivenessHistory {

    static final Map<String, String> BY_TIME = Map.of("at", "occurred_at");
    private static final Duration MAX_WINDOW_RANGE = Duration.ofDays(7);

    private final JdbcClient jdbc;

    LivenessHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One status change.
     *
     * @param from     the status before
     * @param to       the status after
     * @param reason   why
     * @param at       when
     * @param evidence what the decision rested on
     */
    record Transition(String from, String to, String reason, Instant at, JsonNode evidence) {
    }

    /**
     * One liveness window.
     *
     * @param start         inclusive
     * @param end           exclusive
     * @param heartbeats    heartbeats received
     * @param secondsActive seconds ACTIVE
     */
    record Window(Instant start, Instant end, long heartbeats, int secondsActive) {
    }

    @Transactional(readOnly = true)
    Paging.Page<Transition> transitions(String id, Paging paging) {
        var items = jdbc.sql("""
                        SELECT * FROM liveness_transitions WHERE orchestrator_id = :id
                        ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset""")
                .param("id", id).param("limit", paging.size()).param("offset", paging.offset())
                .query((rs, n) -> new Transition(rs.getString("from_status"), rs.getString("to_status"),
                        rs.getString("reason"), rs.getTimestamp("occurred_at").toInstant(),
                        Json.events().readTree(rs.getString("evidence"))))
                .list();
        long total = jdbc.sql("SELECT count(*) FROM liveness_transitions WHERE orchestrator_id = :id").param("id", id)
                .query(Long.class).single();
        return paging.of(items, total);
    }

    /** Windows in {@code [from, to)}, oldest first; the last 24 hours by default, at most 7 days. */
    @Transactional(readOnly = true)
    List<Window> windows(String id, Instant from, Instant to) {
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(1)) : from;
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(MAX_WINDOW_RANGE) > 0) {
            throw new IllegalArgumentException("from must be before to, at most 7 days apart");
        }
        return jdbc.sql("""
                        SELECT * FROM liveness_windows WHERE orchestrator_id = :id
                          AND window_start >= :from AND window_start < :to ORDER BY window_start""")
                .param("id", id).param("from", Timestamp.from(start)).param("to", Timestamp.from(end))
                .query((rs, n) -> new Window(rs.getTimestamp("window_start").toInstant(),
                        rs.getTimestamp("window_end").toInstant(), rs.getLong("heartbeats"), rs.getInt("seconds_active")))
                .list();
    }
}
