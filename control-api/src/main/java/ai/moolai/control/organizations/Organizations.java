package ai.moolai.control.organizations;

import java.util.Map;

import ai.moolai.control.activity.ActivityLog;
import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Conflict;
import ai.moolai.control.system.Ids;
import ai.moolai.control.system.NotFound;
import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Json;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Organizations in PostgreSQL; every change is recorded in the activity log in its own transaction. */
@Service
public class Organizations {

    static final Map<String, String> SORTABLE = Map.of("name", "lower(o.name)", "organizationId", "o.organization_id",
            "createdAt", "o.created_at", "orchestratorCount", "orchestrator_count");

    private static final String SELECT = """
            SELECT o.*, (SELECT count(*) FROM orchestrator_instances i WHERE i.organization_id = o.organization_id)
                   AS orchestrator_count
            FROM organizations o""";

    private static final RowMapper<Organization> ROW = (rs, n) -> new Organization(rs.getString("organization_id"),
            rs.getString("name"), rs.getString("location"), rs.getBoolean("is_active"),
            Json.events().readTree(rs.getString("settings")), rs.getLong("orchestrator_count"),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());

    private final JdbcClient jdbc;
    private final ActivityLog activity;

    Organizations(JdbcClient jdbc, ActivityLog activity) {
        this.jdbc = jdbc;
        this.activity = activity;
    }

    @Transactional(readOnly = true)
    public Paging.Page<Organization> list(String search, Paging paging) {
        String where = " WHERE (CAST(:q AS text) IS NULL OR o.name ILIKE '%' || CAST(:q AS text) || '%' OR o.organization_id ILIKE '%' || CAST(:q AS text) || '%')";
        var items = jdbc.sql(SELECT + where + " ORDER BY " + paging.orderBy() + " LIMIT :limit OFFSET :offset")
                .param("q", search).param("limit", paging.size()).param("offset", paging.offset())
                .query(ROW).list();
        long total = jdbc.sql("SELECT count(*) FROM organizations o" + where).param("q", search)
                .query(Long.class).single();
        return paging.of(items, total);
    }

    @Transactional(readOnly = true)
    public Organization get(String id) {
        return jdbc.sql(SELECT + " WHERE o.organization_id = :id").param("id", id).query(ROW).optional()
                .orElseThrow(() -> new NotFound("organization " + id));
    }

    @Transactional
    public Organization create(OrganizationRequest request, Actor actor) {
        String id = request.organizationId() != null ? request.organizationId() : Ids.slug(request.name());
        int inserted = jdbc.sql("""
                        INSERT INTO organizations (organization_id, name, location, is_active, settings)
                        VALUES (:id, :name, :location, :active, CAST(:settings AS jsonb))
                        ON CONFLICT DO NOTHING""")
                .param("id", id).param("name", request.name()).param("location", request.location())
                .param("active", request.isActive() == null || request.isActive())
                .param("settings", settings(request))
                .update();
        if (inserted == 0) {
            throw new Conflict("an organization with id '" + id + "' or name '" + request.name() + "' exists");
        }
        activity.record(actor, "organization.created", "organization", id, Map.of("name", request.name()));
        return get(id);
    }

    @Transactional
    public Organization update(String id, OrganizationRequest request, Actor actor) {
        int updated = jdbc.sql("""
                        UPDATE organizations SET name = :name, location = :location,
                               is_active = coalesce(:active, is_active),
                               settings = coalesce(CAST(:settings AS jsonb), settings), updated_at = now()
                        WHERE organization_id = :id""")
                .param("id", id).param("name", request.name()).param("location", request.location())
                .param("active", request.isActive())
                .param("settings", request.settings() == null || request.settings().isNull() ? null : request.settings().toString())
                .update();
        if (updated == 0) {
            throw new NotFound("organization " + id);
        }
        activity.record(actor, "organization.updated", "organization", id, Map.of("name", request.name()));
        return get(id);
    }

    @Transactional
    public void delete(String id, Actor actor) {
        Organization organization = get(id);
        if (organization.orchestratorCount() > 0) {
            throw new Conflict("organization " + id + " still has " + organization.orchestratorCount()
                    + " orchestrator(s); delete them first");
        }
        jdbc.sql("DELETE FROM organizations WHERE organization_id = :id").param("id", id).update();
        activity.record(actor, "organization.deleted", "organization", id, Map.of("name", organization.name()));
    }

    private static String settings(OrganizationRequest request) {
        return request.settings() == null || request.settings().isNull() ? "{}" : request.settings().toString();
    }
}
