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

import ai.moolai.admin.AdminApi;
import ai.moolai.admin.Instance;
import ai.moolai.admin.InstanceRequest;
import ai.moolai.admin.OrganizationRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * control-api's admin API over real HTTP with the tokens tests configure, {@link #ADMIN} and
 * {@link #VIEWER}: raw, for tests of the HTTP surface itself (statuses, headers, problem details,
 * malformed bodies), and typed through {@link #admin()} for everything else.
 */
public final class ApiClient {

    /** The tests' admin token; control-api refuses static tokens shorter than 32 characters. */
    public static final String ADMIN = "test-admin-token-for-the-test-suite-only";
    /** The tests' viewer token. */
    public static final String VIEWER = "test-viewer-token-for-the-test-suite-only";

    /** The API's JSON is not the wire protocol's: read it without the protocol's nesting limit. */
    private static final JsonMapper RESPONSES = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final AdminApi admin;

    public ApiClient(int port) {
        this(URI.create("http://localhost:" + port));
    }

    public ApiClient(URI base) {
        this.base = base;
        this.admin = AdminApi.connect(base, ADMIN);
    }

    /**
     * @param status  the HTTP status
     * @param body    the JSON body (a missing node when there is none)
     * @param headers the response headers
     */
    public record Response(int status, JsonNode body, HttpHeaders headers) {
    }

    /** The typed client, as an admin. */
    public AdminApi admin() {
        return admin;
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
        HttpResponse<String> response = exchange(method, path, token, json, HttpResponse.BodyHandlers.ofString());
        boolean isJson = response.headers().firstValue("Content-Type").filter(type -> type.contains("json")).isPresent();
        JsonNode body = isJson && !response.body().isBlank() ? RESPONSES.readTree(response.body()) : RESPONSES.missingNode();
        return new Response(response.statusCode(), body, response.headers());
    }

    /** The status alone, without reading the body: for a stream such as {@code /api/v1/events}, which does not end. */
    public int status(String method, String path, String token, String json) {
        HttpResponse<InputStream> response = exchange(method, path, token, json, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream unread = response.body()) {
            return response.statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    private <T> HttpResponse<T> exchange(String method, String path, String token, String json,
                                         HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request(method, path, token, json), body);
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

    /** Creates an organization and an orchestrator in it, as an admin; the answer holds the orchestrator's token. */
    public Instance.WithToken createOrchestrator(String prefix) {
        String organization = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createOrganization(new OrganizationRequest(organization, organization + " Inc", null, null, null));
        return admin.createInstance(new InstanceRequest(null, organization, null, "eu-1", null));
    }
}
