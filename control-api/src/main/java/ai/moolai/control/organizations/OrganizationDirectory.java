package ai.moolai.control.organizations;

import java.util.Map;

import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Json;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Organizations as the dashboard reads them, with how many orchestrators each has. */
@Component
class OrganizationDirectory {

    static final Map<String, String> SORTABLE = Map.of("name", "lower(o.name)", "organizationId", "o.organization_id",
            "createdAt", "o.created_at", "orchestratorCount", "orchestrator_count");

    private static final String SELECT = """
            SELECT o.*, (SELECT count(*) FROM orchestrator_instances i WHERE i.organization_id = o.organization_id)
                   AS orchestrator_count
            FROM organizations o""";

    private static final RowMapper<OrganizationView> ROW = (rs, n) -> new OrganizationView(rs.getString("organization_id"),
            rs.getString("name"), rs.getString("location"), rs.getBoolean("is_active"),
            Json.events().readTree(rs.getString("settings")), rs.getLong("orchestrator_count"),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());

    private final JdbcClient jdbc;

    OrganizationDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    Paging.Page<OrganizationView> list(String search, Paging paging) {
        String where = " WHERE (CAST(:q AS text) IS NULL OR o.name ILIKE '%' || CAST(:q AS text) || '%' OR o.organization_id ILIKE '%' || CAST(:q AS text) || '%')";
        var items = jdbc.sql(SELECT + where + " ORDER BY " + paging.orderBy() + " LIMIT :limit OFFSET :offset")
                .param("q", search).param("limit", paging.size()).param("offset", paging.offset())
                .query(ROW).list();
        long total = jdbc.sql("SELECT count(*) FROM organizations o" + where).param("q", search)
                .query(Long.class).single();
        return paging.of(items, total);
    }

    @Transactional(readOnly = true)
    OrganizationView get(String id) {
        return jdbc.sql(SELECT + " WHERE o.organization_id = :id").param("id", id).query(ROW).optional()
                .orElseThrow(() -> new OrganizationNotFound(id));
    }
}
