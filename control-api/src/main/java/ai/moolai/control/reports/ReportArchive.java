package ai.moolai.control.reports;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Json;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** Monitoring reports and config snapshots as report-ingest landed them, newest first. */
@Component
class ReportArchive {

    private static final RowMapper<Report> REPORT = (rs, n) -> new Report(rs.getString("orchestrator_id"),
            UUID.fromString(rs.getString("message_id")), rs.getString("kind"), RecommendationInbox.instant(rs.getTimestamp("produced_at")),
            rs.getTimestamp("received_at").toInstant(), Json.events().readTree(rs.getString("data")));

    private final JdbcClient jdbc;

    ReportArchive(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A monitoring report or config snapshot. */
    record Report(String orchestratorId, UUID messageId, String kind, Instant producedAt, Instant receivedAt,
                  JsonNode data) {
    }

    /**
     * Which reports; a {@code null} field does not filter.
     *
     * @param from inclusive
     * @param to   exclusive
     */
    record Filter(String orchestratorId, String kind, Instant from, Instant to) {
    }

    @Transactional(readOnly = true)
    Paging.Page<Report> list(Filter filter, Paging paging) {
        String where = """
                 WHERE (CAST(:id AS text) IS NULL OR orchestrator_id = :id)
                   AND (CAST(:kind AS text) IS NULL OR kind = :kind)
                   AND (CAST(:from AS timestamptz) IS NULL OR received_at >= :from)
                   AND (CAST(:to AS timestamptz) IS NULL OR received_at < :to)""";
        Map<String, Object> params = new HashMap<>();
        params.put("id", filter.orchestratorId());
        params.put("kind", filter.kind());
        params.put("from", filter.from() == null ? null : Timestamp.from(filter.from()));
        params.put("to", filter.to() == null ? null : Timestamp.from(filter.to()));
        var items = jdbc.sql("SELECT * FROM orchestrator_reports " + where + " ORDER BY received_at DESC LIMIT :limit OFFSET :offset")
                .params(params).param("limit", paging.size()).param("offset", paging.offset()).query(REPORT).list();
        long total = jdbc.sql("SELECT count(*) FROM orchestrator_reports " + where).params(params).query(Long.class).single();
        return paging.of(items, total);
    }
}
