package ai.moolai.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import ai.moolai.protocol.Json;
import tools.jackson.databind.JsonNode;

/**
 * The controller as the benchmarks reach it: control-api over HTTP with an admin token
 * ({@code --api}, {@code --token}, see {@link StackToken#ADMIN}) and its database ({@code --jdbc},
 * {@code --db-user}, {@code --db-password}), each defaulting to {@code ./dev-stack/run}'s.
 */
final class ControlApi {

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String token;

    ControlApi(Map<String, String> options) throws IOException {
        this.base = URI.create(options.getOrDefault("api", "http://127.0.0.1:8080"));
        this.token = StackToken.ADMIN.from(options);
    }

    /** The answer's JSON; an answer other than 2xx is an error. */
    JsonNode call(String method, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(method, path, json), HttpResponse.BodyHandlers.ofString());
        return body(method, path, response, response.statusCode() < 300);
    }

    /** POSTs a new resource without waiting; its JSON, or an error unless the answer is 201 Created. */
    CompletableFuture<JsonNode> createAsync(String path, String json) {
        return http.sendAsync(request("POST", path, json), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> body("POST", path, response, response.statusCode() == 201));
    }

    /** The controller's database, for what no endpoint tells: outbox timestamps, pg_stat counters. */
    static Connection database(Map<String, String> options) throws SQLException {
        return DriverManager.getConnection(options.getOrDefault("jdbc", "jdbc:postgresql://127.0.0.1:5432/moolai_controller"),
                options.getOrDefault("db-user", "moolai"), options.getOrDefault("db-password", "moolai"));
    }

    private HttpRequest request(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return request.build();
    }

    private static JsonNode body(String method, String path, HttpResponse<String> response, boolean expected) {
        if (!expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.events().readTree(response.body());
    }
}
