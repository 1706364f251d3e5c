package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.UUID;

import ai.moolai.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/** The stack prepares its database on the real server: migrations, and the role and database when missing. */
class DatabaseSetupTest {

    @Test
    void migratesAnExistingDatabase() throws Exception {
        TestDatabase database = TestDatabase.create();
        DatabaseUrl url = DatabaseUrl.parse(database.jdbcUrl(), database.username(), database.password());

        new DatabaseSetup(url).prepare();
        new DatabaseSetup(url).prepare();

        assertThat(countOf(url, "SELECT count(*) FROM flyway_schema_history WHERE success")).isPositive();
        assertThat(countOf(url, "SELECT count(*) FROM orchestrator_instances")).isZero();
    }

    /**
     * Goes through a PostgreSQL superuser (over TCP, or psql as the postgres OS user). The role is
     * one fixed name, created on the first run and re-used after; the database is new every time.
     */
    @Test
    void createsAMissingDatabaseAndItsRole() throws Exception {
        String role = "moolai_setup_check";
        String database = "moolai_setup_" + UUID.randomUUID().toString().substring(0, 8);
        DatabaseUrl url = new DatabaseUrl("127.0.0.1", 5432, database, role, "setup-check");

        new DatabaseSetup(url).prepare();
        try {
            assertThat(countOf(url, "SELECT count(*) FROM organizations")).isZero();
        } finally {
            try (Connection owner = DriverManager.getConnection(url.jdbcUrl("postgres"), role, url.password())) {
                owner.createStatement().execute("DROP DATABASE " + database + " WITH (FORCE)");
            }
        }
    }

    private static long countOf(DatabaseUrl url, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             ResultSet result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
