package ai.moolai.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * control-api's admin API over real HTTP, as the dashboard calls it, with the tokens tests
 * configure: {@link #ADMIN} and {@link #VIEWER}.
 */
public final class ApiClient {

    /** The tests' admin token; control-api refuses static tokens shorter than 32 characters. */
    public static final String ADMIN = "test-admin-token-for-the-test-suite-only";
    /** The tests' viewer token. */
    public static final String VIEWER = "test-viewer-token-for-the-test-suite-only";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public ApiClient(int port) {
        this(URI.create("http://localhost:" + port));
    }

    public ApiClient(URI base) {
        this.base = base;
    }

    /**
     * @param status  the HTTP status
     * @param body    the JSON body (a missing node when there is none)
     * @param headers the response headers
     */
    /** The API's JSON is not the wire protocol's: read it without the protocol's nesting limit. */
    private static final JsonMapper RESPONSES = JsonMapper.builder().build();

    public record Response(int status, JsonNode body, HttpHeaders headers) {
    }

    public Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Response post(String path, String token, String json) {
        return send("POST", path, token, json);
    }

    public Response put(String path, String token, String json) {
        return send("PUT", path, token, json);
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    public Response send(String method, String path, String token, String json) {
        try {
            HttpResponse<String> response = http.send(request(method, path, token, json), HttpResponse.BodyHandlers.ofString());
            boolean isJson = response.headers().firstValue("Content-Type").filter(type -> type.contains("json")).isPresent();
            JsonNode body = isJson && !response.body().isBlank() ? RESPONSES.readTree(response.body())
                    : RESPONSES.missingNode();
            return new Response(response.statusCode(), body, response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status alone, without reading the body: for a stream such as {@code /api/v1/events}, which does not end. */
    public int status(String method, String path, String token, String json) {
        try {
            HttpResponse<InputStream> response = http.send(request(method, path, token, json),
                    HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String method, String path, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(15))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    /** Creates an organization and an orchestrator in it; returns the orchestrator's id and token. */
    public String[] createOrchestrator(String prefix) {
        String org = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Response organization = post("/api/v1/controller/organizations", ADMIN,
                "{\"organizationId\":\"" + org + "\",\"name\":\"" + org + " Inc\"}");
        if (organization.status() != 201) {
            throw new AssertionError("creating " + org + ": " + organization);
        }
        Response instance = post("/api/v1/controller/orchestrator-instances", ADMIN,
                "{\"organizationId\":\"" + org + "\",\"location\":\"eu-1\"}");
        if (instance.status() != 201) {
            throw new AssertionError("creating the orchestrator of " + org + ": " + instance);
        }
        return new String[] {instance.body().path("instance").path("orchestratorId").asString(),
                instance.body().path("token").asString()};
    }
}
