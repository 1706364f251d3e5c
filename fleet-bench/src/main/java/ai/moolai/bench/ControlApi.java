package ai.moolai.bench;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import ai.moolai.admin.AdminApi;

/**
 * The controller as the benchmarks reach it: control-api's admin API with an admin token
 * ({@code --api}, {@code --token}, see {@link StackToken#ADMIN}) and its database ({@code --jdbc},
 * {@code --db-user}, {@code --db-password}), each defaulting to {@code ./dev-stack/run}'s.
 */
final class ControlApi {

    private ControlApi() {
    }

    static AdminApi connect(Map<String, String> options) throws IOException {
        return AdminApi.connect(URI.create(options.getOrDefault("api", "http://127.0.0.1:8080")), StackToken.ADMIN.from(options));
    }

    /** The controller's database, for what no endpoint tells: outbox timestamps, pg_stat counters. */
    static Connection database(Map<String, String> options) throws SQLException {
        return DriverManager.getConnection(options.getOrDefault("jdbc", "jdbc:postgresql://127.0.0.1:5432/moolai_controller"),
                options.getOrDefault("db-user", "moolai"), options.getOrDefault("db-password", "moolai"));
    }
}
