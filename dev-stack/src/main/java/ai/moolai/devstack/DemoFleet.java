package ai.moolai.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.moolai.protocol.Json;
import tools.jackson.databind.JsonNode;

/**
 * Demo orchestrators, provisioned through control-api like any other: the organization
 * {@code demo} and orchestrators {@code demo-1} … {@code demo-N}, each with a fresh token (created,
 * or rotated when it exists from an earlier run, since a token is shown only once).
 */
final class DemoFleet {

    /** One demo orchestrator and its current token. */
    record Member(String orchestratorId, String token) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final String adminToken;

    DemoFleet(URI api, String adminToken) {
        this.api = api;
        this.adminToken = adminToken;
    }

    List<Member> provision(int count) throws IOException, InterruptedException {
        HttpResponse<String> organization = call("POST", "/api/v1/controller/organizations",
                "{\"organizationId\":\"demo\",\"name\":\"Demo Fleet\",\"location\":\"local\"}");
        require(organization, 201, 409);
        List<Member> members = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String id = "demo-" + i;
            HttpResponse<String> created = call("POST", "/api/v1/controller/orchestrator-instances",
                    "{\"orchestratorId\":\"" + id + "\",\"organizationId\":\"demo\",\"name\":\"Demo " + i
                            + "\",\"location\":\"local\",\"features\":{\"cache\":{\"enabled\":false}}}");
            if (created.statusCode() == 409) {
                created = call("POST", "/api/v1/controller/orchestrator-instances/" + id + "/credentials", null);
            }
            require(created, 200, 201);
            members.add(new Member(id, Json.events().readTree(created.body()).path("token").asString()));
        }
        return members;
    }

    private HttpResponse<String> call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void require(HttpResponse<String> response, int... accepted) {
        for (int status : accepted) {
            if (response.statusCode() == status) {
                return;
            }
        }
        JsonNode body = Json.events().readTree(response.body().isBlank() ? "{}" : response.body());
        throw new IllegalStateException("control-api answered " + response.statusCode() + " to "
                + response.request().method() + " " + response.request().uri() + ": " + body.path("detail").asString(""));
    }
}
