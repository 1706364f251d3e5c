package ai.moolai.control.instances;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.moolai.control.events.FleetSummary;
import ai.moolai.control.liveness.LastSeen;
import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.LivenessStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The fleet as the dashboard reads it: what admins decided beside how each orchestrator is doing. */
@Component
class Fleet implements FleetSummary {

    /** How far back status changes count for the summary's {@code changes}. */
    static final Duration CHANGES_WITHIN = Duration.ofMinutes(1);

    /** Ids in natural order (…-9 before …-10): the collation and its index come with migration V8. */
    static final String NATURAL_ID = "i.orchestrator_id COLLATE natural_order";

    static final Map<String, String> SORTABLE = Map.of("orchestratorId", NATURAL_ID, "name", "lower(i.name)",
            "organizationId", "i.organization_id", "status", "i.status", "lastSeen", "i.last_seen",
            "createdAt", "i.created_at");

    /**
     * What the fleet is filtered by, each optional.
     *
     * @param status         its liveness status
     * @param organizationId its organization
     * @param connected      whether it holds a session now
     * @param independent    whether admins set it free
     * @param search         part of its id or name, or of its organization's name
     */
    record Filter(LivenessStatus status, String organizationId, Boolean connected, Boolean independent, String search) {
    }

    private static final String SELECT = """
            SELECT i.*, o.name AS organization_name
            FROM orchestrator_instances i JOIN organizations o ON o.organization_id = i.organization_id""";

    /**
     * The orchestrators of the fleet with a transition in the last {@code :seconds}, by the status
     * their latest one moved them to. A range scan of the transitions' time index reads that window
     * alone, however long the history kept; transitions of deleted orchestrators do not count.
     */
    static final String CHANGED_WITHIN = """
            SELECT latest.to_status, count(*) AS n
            FROM (SELECT DISTINCT ON (t.orchestrator_id) t.to_status
                  FROM liveness_transitions t
                  WHERE t.occurred_at > now() - make_interval(secs => :seconds)
                    AND EXISTS (SELECT 1 FROM orchestrator_instances i WHERE i.orchestrator_id = t.orchestrator_id)
                  ORDER BY t.orchestrator_id, t.occurred_at DESC, t.id DESC) AS latest
            GROUP BY latest.to_status""";

    private final JdbcClient jdbc;
    private final DashboardProperties dashboard;
    private final LastSeen lastSeen;

    Fleet(JdbcClient jdbc, DashboardProperties dashboard, LastSeen lastSeen) {
        this.jdbc = jdbc;
        this.lastSeen = lastSeen;
        this.dashboard = dashboard;
    }

    /** An orchestrator as stored; its last seen, the later of the stored one and what {@link LastSeen} heard. */
    private Instance row(ResultSet rs, int n) throws SQLException {
        return new Instance(rs.getString("orchestrator_id"),
                rs.getString("organization_id"), rs.getString("organization_name"), rs.getString("name"),
                rs.getString("location"), Json.events().readTree(rs.getString("features")), rs.getBoolean("is_independent"),
                rs.getBoolean("privacy_mode"), rs.getLong("desired_version"), rs.getString("credential_hash") != null,
                rs.getBoolean("tokenless_allowed"), instant(rs, "credential_rotated_at"), instant(rs, "created_at"),
                instant(rs, "updated_at"),
                new Instance.Liveness(rs.getString("status"), rs.getString("status_reason"), instant(rs, "status_since"),
                        lastSeen.of(rs.getString("orchestrator_id"), instant(rs, "last_seen")), rs.getBoolean("connected"),
                        rs.getString("session_id"), rs.getString("edge_id"), (Long) rs.getObject("independence_requested_version"),
                        (Long) rs.getObject("independence_acked_version")));
    }

    /**
     * @param counts  orchestrators by status
     * @param changes who changed status in the last minute, and whether that makes a mass change
     */
    record Summary(Map<String, Long> counts, StatusChanges changes) {
    }

    /** Counts by status and who changed status in the last minute: two aggregates, no list. */
    @Override
    @Transactional(readOnly = true)
    public Summary summary() {
        Map<String, Long> counts = countsByStatus();
        return new Summary(counts, StatusChanges.of(CHANGES_WITHIN, changedWithin(CHANGES_WITHIN), counts,
                dashboard.massChangeShare()));
    }

    @Transactional(readOnly = true)
    Paging.Page<Instance> list(Filter filter, Paging paging) {
        String where = """
                 WHERE (CAST(:status AS text) IS NULL OR i.status = :status)
                   AND (CAST(:org AS text) IS NULL OR i.organization_id = :org)
                   AND (CAST(:connected AS boolean) IS NULL OR i.connected = :connected)
                   AND (CAST(:independent AS boolean) IS NULL OR i.is_independent = :independent)
                   AND (CAST(:q AS text) IS NULL OR i.orchestrator_id ILIKE '%' || CAST(:q AS text) || '%' OR i.name ILIKE '%' || CAST(:q AS text) || '%'
                        OR o.name ILIKE '%' || CAST(:q AS text) || '%')""";
        Map<String, Object> params = new HashMap<>();
        params.put("status", filter.status() == null ? null : filter.status().name());
        params.put("org", filter.organizationId());
        params.put("connected", filter.connected());
        params.put("independent", filter.independent());
        params.put("q", filter.search());
        // Ties broken by id, so that pages neither repeat nor skip an orchestrator.
        var items = jdbc.sql(SELECT + " " + where + " ORDER BY " + paging.orderBy() + ", " + NATURAL_ID
                        + " LIMIT :limit OFFSET :offset")
                .params(params).param("limit", paging.size()).param("offset", paging.offset())
                .query(this::row).list();
        long total = jdbc.sql("SELECT count(*) FROM orchestrator_instances i JOIN organizations o "
                        + "ON o.organization_id = i.organization_id " + where)
                .params(params).query(Long.class).single();
        return paging.of(items, total);
    }

    @Transactional(readOnly = true)
    Instance get(String id) {
        return jdbc.sql(SELECT + " WHERE i.orchestrator_id = :id").param("id", id).query(this::row).optional()
                .orElseThrow(() -> new OrchestratorNotFound(id));
    }

    /** How many orchestrators have each status. */
    @Transactional(readOnly = true)
    Map<String, Long> countsByStatus() {
        Map<String, Long> counts = byEveryStatus();
        jdbc.sql("SELECT status, count(*) AS n FROM orchestrator_instances GROUP BY status")
                .query((rs, n) -> counts.put(rs.getString("status"), rs.getLong("n"))).list();
        return counts;
    }

    /** How many orchestrators of the fleet changed status within the window, by the status they last moved to. */
    @Transactional(readOnly = true)
    Map<String, Long> changedWithin(Duration window) {
        Map<String, Long> changed = byEveryStatus();
        jdbc.sql(CHANGED_WITHIN).param("seconds", window.toSeconds())
                .query((rs, n) -> changed.put(rs.getString("to_status"), rs.getLong("n"))).list();
        return changed;
    }

    /** The orchestrators that are ACTIVE now, those whose liveness last changed latest first. */
    @Transactional(readOnly = true)
    List<Instance> active() {
        return jdbc.sql(SELECT + " WHERE i.status = 'ACTIVE' ORDER BY i.last_seen DESC NULLS LAST LIMIT 10000")
                .query(this::row).list();
    }

    /** The independence admins decided and whether the orchestrator has acknowledged it. */
    @Transactional(readOnly = true)
    Independence independence(String id) {
        Instance instance = get(id);
        Long acked = instance.liveness().independenceAckedVersion();
        Long requested = instance.liveness().independenceRequestedVersion();
        long asked = requested != null ? requested : instance.desiredVersion();
        return new Independence(id, instance.independent(), instance.privacyMode(), instance.desiredVersion(),
                instance.liveness().status(), acked != null && acked >= asked);
    }

    /** Zero of every status, in the protocol's order, for counts to fill. */
    private static Map<String, Long> byEveryStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (LivenessStatus status : LivenessStatus.values()) {
            counts.put(status.name(), 0L);
        }
        return counts;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
