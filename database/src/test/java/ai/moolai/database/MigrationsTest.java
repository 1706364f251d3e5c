package ai.moolai.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import ai.moolai.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The migrations build the schema on a real PostgreSQL, and its constraints make duplicates impossible. */
class MigrationsTest {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String CHECK_VIOLATION = "23514";

    private static TestDatabase database;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.create();
        var result = Migrations.apply(database.jdbcUrl(), database.username(), database.password());
        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isPositive();
    }

    private static Flyway flyway() {
        return Flyway.configure()
                .dataSource(database.jdbcUrl(), database.username(), database.password())
                .load();
    }

    @Test
    void createsEveryTableAndTheLegacyView() throws SQLException {
        List<String> relations = query("""
                SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1""");
        assertThat(relations).contains("organizations", "orchestrator_instances", "activity_logs", "outbox",
                "orchestrator_reports", "recommendations", "liveness_transitions", "liveness_windows", "orchestrators");
    }

    @Test
    void aFreshDatabaseIsNotCurrentUntilMigrated() {
        TestDatabase fresh = TestDatabase.create();
        assertThat(Migrations.current(fresh.jdbcUrl(), fresh.username(), fresh.password())).isFalse();
        Migrations.apply(fresh.jdbcUrl(), fresh.username(), fresh.password());
        assertThat(Migrations.current(fresh.jdbcUrl(), fresh.username(), fresh.password())).isTrue();
    }

    @Test
    void migratingAgainChangesNothing() {
        assertThat(Migrations.apply(database.jdbcUrl(), database.username(), database.password()).migrationsExecuted).isZero();
        assertThat(flyway().validateWithResult().validationSuccessful).isTrue();
    }

    @Test
    void theLegacyViewShowsLastSeenAsLastHeartbeat() throws SQLException {
        execute("INSERT INTO organizations (organization_id, name) VALUES ('view-org', 'View Org')");
        execute("""
                INSERT INTO orchestrator_instances (orchestrator_id, organization_id, name, last_seen)
                VALUES ('view-orch', 'view-org', 'View', '2026-11-27T10:00:00Z')""");
        assertThat(query("""
                SELECT organization_id || ' ' || to_char(last_heartbeat AT TIME ZONE 'UTC', 'HH24:MI')
                FROM orchestrators WHERE orchestrator_id = 'view-orch'"""))
                .containsExactly("view-org 10:00");
    }

    @Test
    void aReportIsStoredOnceWhateverTheRedelivery() throws SQLException {
        String insert = """
                INSERT INTO orchestrator_reports (orchestrator_id, message_id, kind, received_at, data)
                VALUES ('orch-dup', '6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f', 'monitoring_report', now(), '{"cpu_pct": 1}')""";
        execute(insert);

        assertThatThrownBy(() -> execute(insert)).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(UNIQUE_VIOLATION);
        execute(insert + " ON CONFLICT DO NOTHING");
        assertThat(query("SELECT count(*) FROM orchestrator_reports WHERE orchestrator_id = 'orch-dup'"))
                .containsExactly("1");
    }

    @Test
    void aRecommendationIsStoredOncePerOrchestratorAndMessage() throws SQLException {
        String insert = """
                INSERT INTO recommendations (orchestrator_id, message_id, title, severity, data, received_at)
                VALUES ('%s', '9a2e4b6c-1d3f-4a5b-8c7d-0e1f2a3b4c5d', 'Enable cache', 'info', '{}', now())""";
        execute(insert.formatted("orch-a"));
        execute(insert.formatted("orch-b"));

        assertThatThrownBy(() -> execute(insert.formatted("orch-a")))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(UNIQUE_VIOLATION);
    }

    @Test
    void anOrchestratorIsRefusedTokenlessSessionsUntilAnAdminAllowsThem() throws SQLException {
        execute("INSERT INTO organizations (organization_id, name) VALUES ('tokenless-org', 'Tokenless Org')");
        execute("""
                INSERT INTO orchestrator_instances (orchestrator_id, organization_id, name)
                VALUES ('tokenless-orch', 'tokenless-org', 'Tokenless')""");
        assertThat(query("SELECT tokenless_allowed FROM orchestrator_instances WHERE orchestrator_id = 'tokenless-orch'"))
                .containsExactly("f");
    }

    @Test
    void refusesAnOrchestratorOfAnUnknownOrganization() {
        assertThatThrownBy(() -> execute("""
                INSERT INTO orchestrator_instances (orchestrator_id, organization_id, name) VALUES ('o-x', 'nobody', 'X')"""))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(FOREIGN_KEY_VIOLATION);
    }

    @Test
    void refusesStatesTheDomainDoesNotHave() throws SQLException {
        execute("INSERT INTO organizations (organization_id, name) VALUES ('check-org', 'Check Org')");
        assertThatThrownBy(() -> execute("""
                INSERT INTO orchestrator_instances (orchestrator_id, organization_id, name, status)
                VALUES ('o-y', 'check-org', 'Y', 'ALIVE')"""))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(CHECK_VIOLATION);
        assertThatThrownBy(() -> execute("""
                INSERT INTO recommendations (orchestrator_id, message_id, title, severity, data, received_at, status)
                VALUES ('o-y', gen_random_uuid(), 't', 'info', '{}', now(), 'ACCEPTED')"""))
                .as("a decision needs its time").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(CHECK_VIOLATION);
        assertThatThrownBy(() -> execute("INSERT INTO organizations (organization_id, name) VALUES ('bad id!', 'Bad')"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(CHECK_VIOLATION);
    }

    @Test
    void organizationNamesAreUniqueIgnoringCase() throws SQLException {
        execute("INSERT INTO organizations (organization_id, name) VALUES ('acme-1', 'Acme Corp')");
        assertThatThrownBy(() -> execute("INSERT INTO organizations (organization_id, name) VALUES ('acme-2', 'ACME corp')"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(UNIQUE_VIOLATION);
    }

    @Test
    void aTransitionIsRecordedOnceWhenReplayed() throws SQLException {
        String insert = """
                INSERT INTO liveness_transitions (orchestrator_id, from_status, to_status, reason, occurred_at)
                VALUES ('orch-t', 'ACTIVE', 'INACTIVE', 'heartbeat_timeout', '2026-11-27T10:00:30Z') ON CONFLICT DO NOTHING""";
        execute(insert);
        execute(insert);
        assertThat(query("SELECT count(*) FROM liveness_transitions WHERE orchestrator_id = 'orch-t'")).containsExactly("1");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
