package ai.moolai.control.instances;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.moolai.control.activity.ActivityLog;
import ai.moolai.control.outbox.Outbox;
import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Conflict;
import ai.moolai.control.system.NotFound;
import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.Topics;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Orchestrator instances in PostgreSQL. Every change bumps the desired-state version, records an
 * activity entry and queues the new desired state (a tombstone on deletion) in the outbox, all in
 * one transaction. Tokens are random, returned once and stored only as a hash. Tokenless sessions
 * are allowed per orchestrator only, by an admin, who must confirm it for one that holds a token; a
 * rotation withdraws them, so a new token is never accompanied by them unless an admin says so again.
 */
@Service
public class Instances {

    static final Map<String, String> SORTABLE = Map.of("orchestratorId", "i.orchestrator_id", "name", "lower(i.name)",
            "organizationId", "i.organization_id", "status", "i.status", "lastSeen", "i.last_seen",
            "createdAt", "i.created_at");

    private static final String SELECT = """
            SELECT i.*, o.name AS organization_name
            FROM orchestrator_instances i JOIN organizations o ON o.organization_id = i.organization_id""";

    private static final RowMapper<Instance> ROW = (rs, n) -> new Instance(rs.getString("orchestrator_id"),
            rs.getString("organization_id"), rs.getString("organization_name"), rs.getString("name"),
            rs.getString("location"), Json.events().readTree(rs.getString("features")), rs.getBoolean("is_independent"),
            rs.getBoolean("privacy_mode"), rs.getLong("desired_version"), rs.getString("credential_hash") != null,
            rs.getBoolean("tokenless_allowed"), instant(rs, "credential_rotated_at"), instant(rs, "created_at"), instant(rs, "updated_at"),
            new Instance.Liveness(rs.getString("status"), rs.getString("status_reason"), instant(rs, "status_since"),
                    instant(rs, "last_seen"), rs.getBoolean("connected"), rs.getString("session_id"),
                    rs.getString("edge_id"), (Long) rs.getObject("independence_requested_version"),
                    (Long) rs.getObject("independence_acked_version")));

    private final JdbcClient jdbc;
    private final ActivityLog activity;
    private final Outbox outbox;

    Instances(JdbcClient jdbc, ActivityLog activity, Outbox outbox) {
        this.jdbc = jdbc;
        this.activity = activity;
        this.outbox = outbox;
    }

    @Transactional(readOnly = true)
    public Paging.Page<Instance> list(LivenessStatus status, String organizationId, String search, Paging paging) {
        String where = """
                 WHERE (CAST(:status AS text) IS NULL OR i.status = :status)
                   AND (CAST(:org AS text) IS NULL OR i.organization_id = :org)
                   AND (CAST(:q AS text) IS NULL OR i.orchestrator_id ILIKE '%' || CAST(:q AS text) || '%' OR i.name ILIKE '%' || CAST(:q AS text) || '%'
                        OR o.name ILIKE '%' || CAST(:q AS text) || '%')""";
        String statusName = status == null ? null : status.name();
        var items = jdbc.sql(SELECT + " " + where + " ORDER BY " + paging.orderBy() + ", i.orchestrator_id LIMIT :limit OFFSET :offset")
                .param("status", statusName).param("org", organizationId).param("q", search)
                .param("limit", paging.size()).param("offset", paging.offset())
                .query(ROW).list();
        long total = jdbc.sql("SELECT count(*) FROM orchestrator_instances i JOIN organizations o "
                        + "ON o.organization_id = i.organization_id " + where)
                .param("status", statusName).param("org", organizationId).param("q", search)
                .query(Long.class).single();
        return paging.of(items, total);
    }

    @Transactional(readOnly = true)
    public Instance get(String id) {
        return jdbc.sql(SELECT + " WHERE i.orchestrator_id = :id").param("id", id).query(ROW).optional()
                .orElseThrow(() -> new NotFound("orchestrator " + id));
    }

    /** How many orchestrators have each status. */
    @Transactional(readOnly = true)
    public Map<String, Long> countsByStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (LivenessStatus status : LivenessStatus.values()) {
            counts.put(status.name(), 0L);
        }
        jdbc.sql("SELECT status, count(*) AS n FROM orchestrator_instances GROUP BY status")
                .query((rs, n) -> counts.put(rs.getString("status"), rs.getLong("n"))).list();
        return counts;
    }

    /** The orchestrators that are ACTIVE now, most recently seen first. */
    @Transactional(readOnly = true)
    public List<Instance> active() {
        return jdbc.sql(SELECT + " WHERE i.status = 'ACTIVE' ORDER BY i.last_seen DESC NULLS LAST LIMIT 10000")
                .query(ROW).list();
    }

    @Transactional
    public Instance.WithToken create(InstanceRequest request, Actor actor) {
        if (request.organizationId() == null) {
            throw new IllegalArgumentException("organizationId is required");
        }
        String organizationName = jdbc.sql("SELECT name FROM organizations WHERE organization_id = :id")
                .param("id", request.organizationId()).query(String.class).optional()
                .orElseThrow(() -> new IllegalArgumentException("organization " + request.organizationId() + " does not exist"));
        String id = request.orchestratorId() != null ? request.orchestratorId() : request.organizationId();
        String token = Credentials.newToken();
        int inserted = jdbc.sql("""
                        INSERT INTO orchestrator_instances (orchestrator_id, organization_id, name, location, features,
                                                            credential_hash, credential_rotated_at)
                        VALUES (:id, :org, :name, :location, CAST(:features AS jsonb), :hash, now())
                        ON CONFLICT DO NOTHING""")
                .param("id", id).param("org", request.organizationId())
                .param("name", request.name() != null ? request.name() : organizationName)
                .param("location", request.location())
                .param("features", request.featuresJson() != null ? request.featuresJson() : "{}")
                .param("hash", Credentials.hash(token))
                .update();
        if (inserted == 0) {
            throw new Conflict("an orchestrator with id '" + id + "' exists");
        }
        activity.record(actor, "orchestrator.created", "orchestrator", id,
                Map.of("organizationId", request.organizationId()));
        publishDesiredState(id);
        return new Instance.WithToken(get(id), token);
    }

    @Transactional
    public Instance update(String id, InstanceRequest request, Actor actor) {
        int updated = jdbc.sql("""
                        UPDATE orchestrator_instances SET name = coalesce(:name, name), location = :location,
                               features = coalesce(CAST(:features AS jsonb), features),
                               desired_version = desired_version + 1, updated_at = now()
                        WHERE orchestrator_id = :id""")
                .param("id", id).param("name", request.name()).param("location", request.location())
                .param("features", request.featuresJson())
                .update();
        if (updated == 0) {
            throw new NotFound("orchestrator " + id);
        }
        activity.record(actor, "orchestrator.updated", "orchestrator", id, Map.of(
                "name", String.valueOf(request.name()), "location", String.valueOf(request.location())));
        publishDesiredState(id);
        return get(id);
    }

    @Transactional
    public void delete(String id, Actor actor) {
        int deleted = jdbc.sql("DELETE FROM orchestrator_instances WHERE orchestrator_id = :id").param("id", id).update();
        if (deleted == 0) {
            throw new NotFound("orchestrator " + id);
        }
        activity.record(actor, "orchestrator.deleted", "orchestrator", id, Map.of());
        outbox.append(Topics.DESIRED_STATE, id, null);
    }

    /**
     * Issues a new token; the old one stops working at every edge, and tokenless sessions are no
     * longer allowed (those open are closed).
     */
    @Transactional
    public Instance.WithToken rotateCredentials(String id, Actor actor) {
        String token = Credentials.newToken();
        int updated = jdbc.sql("""
                        UPDATE orchestrator_instances SET credential_hash = :hash, credential_rotated_at = now(),
                               tokenless_allowed = false, desired_version = desired_version + 1, updated_at = now()
                        WHERE orchestrator_id = :id""")
                .param("id", id).param("hash", Credentials.hash(token)).update();
        if (updated == 0) {
            throw new NotFound("orchestrator " + id);
        }
        activity.record(actor, "orchestrator.credentials.rotated", "orchestrator", id,
                Map.of("tokenlessAllowed", false));
        publishDesiredState(id);
        return new Instance.WithToken(get(id), token);
    }

    /**
     * Allows or withdraws tokenless sessions for this orchestrator; withdrawing them closes those
     * open at every edge.
     *
     * @throws TokenlessNeedsConfirmation when allowing them for an orchestrator that holds a token
     *                                    without the admin's confirmation
     */
    @Transactional
    public Instance setTokenless(String id, TokenlessRequest request, Actor actor) {
        boolean holdsToken = jdbc.sql("""
                        SELECT credential_hash IS NOT NULL FROM orchestrator_instances
                        WHERE orchestrator_id = :id FOR UPDATE""")
                .param("id", id).query(Boolean.class).optional()
                .orElseThrow(() -> new NotFound("orchestrator " + id));
        if (request.allowed() && holdsToken && !request.confirmsEvenWithToken()) {
            throw new TokenlessNeedsConfirmation(id);
        }
        jdbc.sql("""
                        UPDATE orchestrator_instances SET tokenless_allowed = :allowed,
                               desired_version = desired_version + 1, updated_at = now()
                        WHERE orchestrator_id = :id""")
                .param("id", id).param("allowed", request.allowed()).update();
        DesiredState state = publishDesiredState(id);
        activity.record(actor, "orchestrator.tokenless.set", "orchestrator", id, Map.of(
                "allowed", state.tokenlessAllowed(), "holdsToken", holdsToken, "version", state.version()));
        return get(id);
    }

    @Transactional
    public Independence setIndependence(String id, IndependenceRequest request, Actor actor) {
        int updated = jdbc.sql("""
                        UPDATE orchestrator_instances SET is_independent = :independent,
                               privacy_mode = coalesce(:privacy, privacy_mode),
                               desired_version = desired_version + 1, updated_at = now()
                        WHERE orchestrator_id = :id""")
                .param("id", id).param("independent", request.isIndependent()).param("privacy", request.privacyMode())
                .update();
        if (updated == 0) {
            throw new NotFound("orchestrator " + id);
        }
        DesiredState state = publishDesiredState(id);
        activity.record(actor, "orchestrator.independence.set", "orchestrator", id, Map.of(
                "independent", state.independent(), "privacyMode", state.privacyMode(), "version", state.version()));
        return independence(id);
    }

    @Transactional(readOnly = true)
    public Independence independence(String id) {
        Instance instance = get(id);
        Long acked = instance.liveness().independenceAckedVersion();
        return new Independence(id, instance.independent(), instance.privacyMode(), instance.desiredVersion(),
                instance.liveness().status(), acked != null && acked >= requestedVersion(instance));
    }

    private static long requestedVersion(Instance instance) {
        Long requested = instance.liveness().independenceRequestedVersion();
        return requested != null ? requested : instance.desiredVersion();
    }

    private DesiredState publishDesiredState(String id) {
        DesiredState state = jdbc.sql("SELECT * FROM orchestrator_instances WHERE orchestrator_id = :id")
                .param("id", id)
                .query((rs, n) -> new DesiredState(id, rs.getString("organization_id"), rs.getString("name"),
                        rs.getString("location"), Json.events().readTree(rs.getString("features")),
                        rs.getBoolean("is_independent"), rs.getBoolean("privacy_mode"), rs.getLong("desired_version"),
                        rs.getString("credential_hash"), rs.getBoolean("tokenless_allowed"), instant(rs, "updated_at")))
                .single();
        outbox.append(Topics.DESIRED_STATE, id, state);
        return state;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
