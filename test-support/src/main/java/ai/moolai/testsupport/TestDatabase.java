package ai.moolai.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh database on a real PostgreSQL server, created for a test run (or a test class) and
 * dropped when the JVM exits.
 *
 * <p>The server is reached through {@code TEST_DATABASE_URL} (a JDBC URL of a database the role
 * may connect to; default {@code jdbc:postgresql://127.0.0.1:5432/moolai_controller}) with
 * {@code TEST_DATABASE_USER} / {@code TEST_DATABASE_PASSWORD} (default {@code moolai}/{@code moolai}).
 * The role needs {@code CREATEDB}; {@code .ci/run} sets that up.
 */
public final class TestDatabase {

    private static final String SERVER_URL = env("TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/moolai_controller");
    private static final String USER = env("TEST_DATABASE_USER", "moolai");
    private static final String PASSWORD = env("TEST_DATABASE_PASSWORD", "moolai");

    private static TestDatabase perRun;

    private final String jdbcUrl;

    private TestDatabase(String name) {
        this.jdbcUrl = SERVER_URL.replaceFirst("(//[^/]+/)[^?]*", "$1" + name);
    }

    /** The database shared by every test of this JVM, created on first use. */
    public static synchronized TestDatabase perRun() {
        if (perRun == null) {
            perRun = create();
        }
        return perRun;
    }

    /** A new, empty database of its own, dropped when the JVM exits. */
    public static TestDatabase create() {
        String name = "moolai_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        TestDatabase database = new TestDatabase(name);
        database.execute("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> database.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
        return database;
    }

    /** The JDBC URL of this database. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The JDBC URL of this database reached through another port on this machine (a {@link TcpProxy}). */
    public String jdbcUrlVia(int port) {
        return jdbcUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
    }

    public String username() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** A new connection to this database. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
    }

    /** Points a Spring test's {@code spring.datasource.*} at this database. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", this::jdbcUrl);
        registry.add("spring.datasource.username", this::username);
        registry.add("spring.datasource.password", this::password);
    }

    private void execute(String sql) {
        try (Connection server = DriverManager.getConnection(SERVER_URL, USER, PASSWORD);
             Statement statement = server.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER_URL + " as " + USER + " refused: " + sql
                    + " (is PostgreSQL running and the role created? see README, 'Tests')", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
