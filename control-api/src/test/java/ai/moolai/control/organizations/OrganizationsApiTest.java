package ai.moolai.control.organizations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import ai.moolai.control.ControlApiTest;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@ControlApiTest
class OrganizationsApiTest {

    @LocalServerPort
    private int port;

    private ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createsReadsChangesAndDeletesAnOrganizationRecordingEachAction() {
        String name = unique("Acme");
        var created = api.post("/api/v1/controller/organizations", ApiClient.ADMIN,
                "{\"name\":\"" + name + "\",\"location\":\"eu-1\",\"settings\":{\"tier\":\"gold\"}}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().path("organizationId").asString();
        assertThat(id).isEqualTo(name.toLowerCase());
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/controller/organizations/" + id);

        var read = api.get("/api/v1/controller/organizations/" + id, ApiClient.VIEWER);
        assertThat(read.body().path("settings").path("tier").asString()).isEqualTo("gold");
        assertThat(read.body().path("orchestratorCount").asLong()).isZero();

        var changed = api.put("/api/v1/controller/organizations/" + id, ApiClient.ADMIN,
                "{\"name\":\"" + name + " Renamed\",\"location\":\"us-2\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().path("name").asString()).isEqualTo(name + " Renamed");
        assertThat(changed.body().path("settings").path("tier").asString()).as("kept when not sent").isEqualTo("gold");

        assertThat(api.delete("/api/v1/controller/organizations/" + id, ApiClient.ADMIN).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/controller/organizations/" + id, ApiClient.ADMIN).status()).isEqualTo(404);

        var log = api.get("/api/v1/controller/activity?targetType=organization&targetId=" + id, ApiClient.VIEWER);
        assertThat(log.body().path("items").valueStream().map(entry -> entry.path("action").asString()).toList())
                .containsExactly("organization.deleted", "organization.updated", "organization.created");
        assertThat(log.body().path("items").get(0).path("actor").asString()).isEqualTo("token:dev");
    }

    @Test
    void refusesDuplicatesAndInvalidInputWithProblemDetails() {
        String name = unique("Dup");
        assertThat(api.post("/api/v1/controller/organizations", ApiClient.ADMIN, "{\"name\":\"" + name + "\"}").status())
                .isEqualTo(201);

        var duplicate = api.post("/api/v1/controller/organizations", ApiClient.ADMIN,
                "{\"organizationId\":\"other-" + name.toLowerCase() + "\",\"name\":\"" + name.toUpperCase() + "\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));

        assertThat(api.post("/api/v1/controller/organizations", ApiClient.ADMIN, "{\"name\":\"\"}").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/controller/organizations", ApiClient.ADMIN, "{\"name\":\"x\",\"organizationId\":\"bad id!\"}")
                .status()).isEqualTo(400);
        assertThat(api.post("/api/v1/controller/organizations", ApiClient.ADMIN, "{\"name\":\"x\",\"settings\":[1]}").status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/controller/organizations", ApiClient.ADMIN, "{not json").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/controller/organizations", ApiClient.ADMIN, "{\"name\":\"" + "n".repeat(201) + "\"}")
                .status()).isEqualTo(400);
        assertThat(api.get("/api/v1/controller/organizations/no-such-org", ApiClient.ADMIN).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/controller/organizations/bad%20id", ApiClient.ADMIN).status()).isEqualTo(400);
    }

    @Test
    void listsWithSearchPagingAndSorting() {
        String tag = unique("Listing");
        for (int i = 0; i < 3; i++) {
            api.post("/api/v1/controller/organizations", ApiClient.ADMIN, "{\"name\":\"" + tag + " " + i + "\"}");
        }
        var page = api.get("/api/v1/controller/organizations?q=" + tag + "&size=2&sort=name,desc", ApiClient.VIEWER);
        assertThat(page.body().path("total").asLong()).isEqualTo(3);
        assertThat(page.body().path("items").size()).isEqualTo(2);
        assertThat(page.body().path("items").get(0).path("name").asString()).isEqualTo(tag + " 2");

        assertThat(api.get("/api/v1/controller/organizations?size=0", ApiClient.VIEWER).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/controller/organizations?size=201", ApiClient.VIEWER).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/controller/organizations?sort=password", ApiClient.VIEWER).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/controller/organizations?page=-1", ApiClient.VIEWER).status()).isEqualTo(400);
    }

    @Test
    void refusesToDeleteAnOrganizationThatStillHasOrchestrators() {
        String orchestrator = api.createOrchestrator("busy").orchestratorId();
        String organization = api.get("/api/v1/controller/orchestrator-instances/" + orchestrator, ApiClient.ADMIN)
                .body().path("organizationId").asString();

        var refused = api.delete("/api/v1/controller/organizations/" + organization, ApiClient.ADMIN);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("detail").asString()).contains("orchestrator");
    }
}
