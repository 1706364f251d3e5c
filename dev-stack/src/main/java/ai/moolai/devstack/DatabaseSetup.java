package ai.moolai.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.moolai.database.Migrations;
import ai.moolai.process.ChildProcess;
import ai.moolai.process.Log;
import ai.moolai.process.ProcessFailed;

/**
 * Makes the controller's database ready: the role and database exist (created through a
 * PostgreSQL superuser when they do not), and the schema is migrated.
 */
final class DatabaseSetup {

    private final DatabaseUrl url;

    DatabaseSetup(DatabaseUrl url) {
        this.url = url;
    }

    /** Prepares the database; throws with a readable reason when it cannot. */
    void prepare() throws IOException, InterruptedException {
        if (!canConnect()) {
            Log.info("database", "creating role '" + url.user() + "' and database '" + url.database() + "'");
            createRoleAndDatabase();
            if (!canConnect()) {
                throw new IllegalStateException("cannot connect to " + url.jdbcUrl() + " as " + url.user()
                        + " even after creating them; check pg_hba.conf allows password logins on " + url.host());
            }
        }
        int applied = Migrations.apply(url.jdbcUrl(), url.user(), url.password()).migrationsExecuted;
        Log.info("database", url.jdbcUrl() + " ready (" + applied + " migration(s) applied)");
    }

    /** Whether anything accepts connections where the database should be. */
    boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.host(), url.port()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the role logs in to its database. */
    boolean canConnect() {
        try (Connection ignored = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void createRoleAndDatabase() throws IOException, InterruptedException {
        try (Connection admin = DriverManager.getConnection(url.jdbcUrl("postgres"), "postgres", "")) {
            createRoleAndDatabase(admin, url);
            return;
        } catch (SQLException noTcpSuperuser) {
            Log.info("database", "no superuser login over TCP (" + noTcpSuperuser.getMessage()
                    + "); trying psql as the postgres OS user");
        }
        psql(roleStatement(url));
        if (!psql(databaseExists(url)).contains("1")) {
            psql(createDatabase(url));
        }
    }

    /** Through a superuser's connection: the role, with its password, and the database it owns, each unless it exists. */
    static void createRoleAndDatabase(Connection admin, DatabaseUrl url) throws SQLException {
        admin.createStatement().execute(roleStatement(url));
        if (!admin.createStatement().executeQuery(databaseExists(url)).next()) {
            admin.createStatement().execute(createDatabase(url));
        }
    }

    private static String roleStatement(DatabaseUrl url) {
        return """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN
                    CREATE ROLE "%1$s" LOGIN CREATEDB PASSWORD '%2$s';
                  ELSE
                    ALTER ROLE "%1$s" LOGIN PASSWORD '%2$s';
                  END IF;
                END $$;""".formatted(url.user(), url.password().replace("'", "''"));
    }

    private static String databaseExists(DatabaseUrl url) {
        return "SELECT 1 FROM pg_database WHERE datname = '" + url.database() + "'";
    }

    private static String createDatabase(DatabaseUrl url) {
        return "CREATE DATABASE \"" + url.database() + "\" OWNER \"" + url.user() + "\"";
    }

    private String psql(String sql) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        } else {
            command.addAll(List.of("sudo", "-n", "-u", "postgres"));
        }
        // The statement on standard input, never the command line: it may hold the role's password.
        command.addAll(List.of("psql", "-v", "ON_ERROR_STOP=1", "-qAt", "-p", Integer.toString(url.port()), "-f", "-"));
        try {
            return ChildProcess.run(command, sql, Duration.ofSeconds(60));
        } catch (ProcessFailed failed) {
            throw new IllegalStateException("could not prepare PostgreSQL with " + String.join(" ", command.subList(0, 4))
                    + ": " + failed.output().strip() + "\nCreate them yourself: role '" + url.user() + "' (LOGIN, PASSWORD) and database '"
                    + url.database() + "' it owns, or set DATABASE_URL.");
        }
    }
}
