package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import ai.moolai.process.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL the stack runs where none is installed: a real server from Maven Central's
 * binaries, as an unprivileged user when the test runs as root (as CI does), taking the
 * migrations (ICU collations included), letting in only who has a password, and keeping its data
 * across a stop and a kill -9.
 */
class EmbeddedDatabaseTest {

    @Test
    void runsPostgresqlWithoutRootTakesTheMigrationsAndKeepsItsDataAcrossAStopAndAKill(@TempDir Path folder) throws Exception {
        // As .dev-stack is: a folder other users may pass through.
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path directory = folder.resolve("postgres");
        DatabaseUrl url = new DatabaseUrl("127.0.0.1", FreePorts.next(), "embedded_check", "embedded_role", "a-password");
        Path log = folder.resolve("postgres.log");

        ChildProcess server = EmbeddedDatabase.start(url, directory, log);
        try {
            new DatabaseSetup(url).prepare();
            execute(url, "INSERT INTO organizations (organization_id, name) VALUES ('kept', 'Kept')");
            if ("root".equals(System.getProperty("user.name"))) {
                String owner = ChildProcess.run(List.of("ps", "-o", "user=", "-p",
                        Long.toString(server.process().pid())), Duration.ofSeconds(10)).strip();
                assertThat(owner).as("the server's user").isEqualTo(EmbeddedDatabase.SYSTEM_USER);
            }
            assertThatThrownBy(() -> DriverManager.getConnection(url.jdbcUrl(), "postgres", "").close())
                    .as("no login without a password").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url.jdbcUrl(), url.user(), "wrong").close())
                    .isInstanceOf(SQLException.class);
        } finally {
            server.stop(Duration.ofSeconds(30));
        }

        server = EmbeddedDatabase.start(url, directory, log);
        try {
            assertThat(count(url, "SELECT count(*) FROM organizations WHERE organization_id = 'kept'")).isOne();
        } finally {
            server.kill();
        }

        server = EmbeddedDatabase.start(url, directory, log);
        try {
            new DatabaseSetup(url).prepare();
            assertThat(count(url, "SELECT count(*) FROM organizations WHERE organization_id = 'kept'")).isOne();
        } finally {
            server.stop(Duration.ofSeconds(30));
        }
    }

    private static void execute(DatabaseUrl url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            connection.createStatement().execute(sql);
        }
    }

    private static long count(DatabaseUrl url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             ResultSet result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
