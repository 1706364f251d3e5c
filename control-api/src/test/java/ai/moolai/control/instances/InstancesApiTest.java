package ai.moolai.control.instances;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ai.moolai.admin.InstanceRequest;
import ai.moolai.admin.OrganizationRequest;
import ai.moolai.control.ControlApiTest;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.ActivityEntry;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.Decoded;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.Provisioning;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Orchestrator instances over HTTP; each change reaches Kafka through the outbox. */
@ControlApiTest
class InstancesApiTest {

    private static TopicProbe<DesiredState> desired;
    private static TopicProbe<ActivityEntry> activity;

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcClient jdbc;

    private ApiClient api;

    @BeforeAll
    static void probes() {
        desired = TopicProbe.of(Topics.DESIRED_STATE);
        activity = TopicProbe.of(Topics.ACTIVITY);
    }

    @AfterAll
    static void closeProbes() throws InterruptedException {
        desired.close();
        activity.close();
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void createsAnOrchestratorWithATokenShownOnceAndPublishesItsDesiredState() {
        var created = api.createOrchestrator("make");
        String id = created.orchestratorId();
        String token = created.token();

        assertThat(token).startsWith("mo_");
        var read = api.get("/api/v1/controller/orchestrator-instances/" + id, ApiClient.VIEWER);
        assertThat(read.body().toString()).doesNotContain(token);
        assertThat(read.body().path("hasCredential").asBoolean()).isTrue();
        assertThat(read.body().path("liveness").path("status").asString()).isEqualTo("PENDING");
        assertThat(read.body().path("name").asString()).as("the organization's name by default").endsWith(" Inc");

        DesiredState state = desired.await(id, value -> value != null);
        assertThat(state.credentialHash()).isEqualTo(Credentials.hash(token));
        assertThat(state.version()).isEqualTo(1);
        assertThat(activity.await(id, entry -> entry.action().equals("orchestrator.created")).actor()).isEqualTo("token:dev");
    }

    @Test
    void everyChangeBumpsTheVersionInOrderAndDeletionLeavesATombstone() {
        String id = api.createOrchestrator("life").orchestratorId();
        String path = "/api/v1/controller/orchestrator-instances/" + id;

        assertThat(api.put(path, ApiClient.ADMIN, "{\"name\":\"Renamed\",\"features\":{\"cache\":{\"enabled\":true}}}")
                .body().path("desiredVersion").asLong()).isEqualTo(2);
        String rotated = api.post(path + "/credentials", ApiClient.ADMIN, null).body().path("token").asString();
        assertThat(api.put("/api/v1/internal/orchestrators/" + id + "/independence", ApiClient.ADMIN,
                "{\"is_independent\":true,\"privacy_mode\":true}").body().path("version").asLong()).isEqualTo(4);
        assertThat(api.delete(path, ApiClient.ADMIN).status()).isEqualTo(204);
        assertThat(api.get(path, ApiClient.ADMIN).status()).isEqualTo(404);

        desired.await(id, value -> value == null);
        var versions = desired.values(id).stream().map(value -> value == null ? -1L : value.version()).toList();
        assertThat(versions).containsExactly(1L, 2L, 3L, 4L, -1L);
        DesiredState independent = desired.values(id).get(3);
        assertThat(independent.independent()).isTrue();
        assertThat(independent.privacyMode()).isTrue();
        assertThat(independent.credentialHash()).isEqualTo(Credentials.hash(rotated));
        assertThat(independent.features().path("cache").path("enabled").asBoolean()).isTrue();

        activity.await(id, entry -> entry.action().equals("orchestrator.deleted"));
        assertThat(activity.values(id)).filteredOn(entry -> entry.targetType().equals("orchestrator"))
                .extracting(ActivityEntry::action).containsExactly("orchestrator.created",
                "orchestrator.updated", "orchestrator.credentials.rotated", "orchestrator.independence.set",
                "orchestrator.deleted");
    }

    @Test
    void allowsTokenlessSessionsForAnOrchestratorThatHoldsATokenOnlyWhenTheAdminConfirmsIt() {
        String id = api.createOrchestrator("tokenless").orchestratorId();
        String path = "/api/v1/controller/orchestrator-instances/" + id;
        assertThat(api.get(path, ApiClient.VIEWER).body().path("tokenlessAllowed").asBoolean()).as("off by default").isFalse();

        var refused = api.put(path + "/tokenless", ApiClient.ADMIN, "{\"allowed\":true}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("detail").asString()).contains("holds a token").contains("evenWithToken");
        assertThat(api.put(path + "/tokenless", ApiClient.VIEWER, "{\"allowed\":true,\"evenWithToken\":true}").status())
                .isEqualTo(403);
        assertThat(api.put(path + "/tokenless", ApiClient.ADMIN, "{}").status()).isEqualTo(400);
        assertThat(api.get(path, ApiClient.VIEWER).body().path("desiredVersion").asLong()).isEqualTo(1);

        var allowed = api.put(path + "/tokenless", ApiClient.ADMIN, "{\"allowed\":true,\"evenWithToken\":true}");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body().path("tokenlessAllowed").asBoolean()).isTrue();
        assertThat(allowed.body().path("desiredVersion").asLong()).isEqualTo(2);
        assertThat(desired.await(id, value -> value != null && value.version() == 2).tokenlessAllowed()).isTrue();
        ActivityEntry entry = activity.await(id, candidate -> candidate.action().equals("orchestrator.tokenless.set"));
        assertThat(entry.actor()).isEqualTo("token:dev");
        assertThat(entry.details().path("allowed").asBoolean()).isTrue();
        assertThat(entry.details().path("holdsToken").asBoolean()).isTrue();
    }

    @Test
    void allowsTokenlessSessionsForAnOrchestratorWithoutATokenAndWithdrawsThem() {
        String id = api.createOrchestrator("notoken").orchestratorId();
        jdbc.sql("UPDATE orchestrator_instances SET credential_hash = NULL WHERE orchestrator_id = :id").param("id", id)
                .update();
        String path = "/api/v1/controller/orchestrator-instances/" + id + "/tokenless";

        assertThat(api.put(path, ApiClient.ADMIN, "{\"allowed\":true}").body().path("tokenlessAllowed").asBoolean())
                .isTrue();
        assertThat(api.put(path, ApiClient.ADMIN, "{\"allowed\":false}").body().path("tokenlessAllowed").asBoolean())
                .isFalse();

        desired.await(id, value -> value != null && value.version() == 3);
        assertThat(desired.values(id)).extracting(DesiredState::tokenlessAllowed).containsExactly(false, true, false);
        activity.await(id, entry -> entry.action().equals("orchestrator.tokenless.set")
                && !entry.details().path("allowed").asBoolean());
        assertThat(api.put("/api/v1/controller/orchestrator-instances/nobody/tokenless", ApiClient.ADMIN,
                "{\"allowed\":false}").status()).isEqualTo(404);
    }

    @Test
    void aRotationWithdrawsTokenlessSessions() {
        String id = api.createOrchestrator("rotless").orchestratorId();
        String path = "/api/v1/controller/orchestrator-instances/" + id;
        api.put(path + "/tokenless", ApiClient.ADMIN, "{\"allowed\":true,\"evenWithToken\":true}");

        var rotated = api.post(path + "/credentials", ApiClient.ADMIN, null);

        assertThat(rotated.body().path("instance").path("tokenlessAllowed").asBoolean()).isFalse();
        DesiredState state = desired.await(id, value -> value != null && value.version() == 3);
        assertThat(state.tokenlessAllowed()).isFalse();
        assertThat(state.credentialHash()).isEqualTo(Credentials.hash(rotated.body().path("token").asString()));
    }

    @Test
    void readsIndependenceWithItsHandshakeProgress() {
        String id = api.createOrchestrator("free").orchestratorId();
        var set = api.put("/api/v1/internal/orchestrators/" + id + "/independence", ApiClient.ADMIN,
                "{\"isIndependent\":true}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body().path("orchestrator_id").asString()).isEqualTo(id);
        assertThat(set.body().path("is_independent").asBoolean()).isTrue();
        assertThat(set.body().path("privacy_mode").asBoolean()).isFalse();
        assertThat(set.body().path("acknowledged").asBoolean()).isFalse();

        var read = api.get("/api/v1/internal/orchestrators/" + id + "/independence", ApiClient.VIEWER);
        assertThat(read.body().path("version").asLong()).isEqualTo(2);
        assertThat(api.put("/api/v1/internal/orchestrators/" + id + "/independence", ApiClient.ADMIN, "{}").status())
                .isEqualTo(400);
        assertThat(api.put("/api/v1/internal/orchestrators/nobody/independence", ApiClient.ADMIN,
                "{\"is_independent\":true}").status()).isEqualTo(404);
    }

    @Test
    void pagesTheFleetInNaturalIdOrderWithATotalAndFiltersByConnectionAndIndependence() {
        String organization = "paging-" + UUID.randomUUID().toString().substring(0, 8);
        api.admin().createOrganization(new OrganizationRequest(organization, organization, null, null, null));
        for (String number : List.of("117", "9", "1161", "10", "1170")) {
            api.admin().createInstance(new InstanceRequest(organization + "-" + number, organization, null, null, null));
        }
        jdbc.sql("UPDATE orchestrator_instances SET connected = true, last_seen = now() - make_interval(secs => length(orchestrator_id)) "
                + "WHERE orchestrator_id IN (:ids)").param("ids", List.of(organization + "-9", organization + "-1161")).update();
        api.put("/api/v1/internal/orchestrators/" + organization + "-10/independence", ApiClient.ADMIN,
                "{\"is_independent\":true}");
        String list = "/api/v1/controller/orchestrator-instances?organizationId=" + organization;

        var first = api.get(list + "&size=2", ApiClient.VIEWER).body();
        var third = api.get(list + "&size=2&page=2", ApiClient.VIEWER).body();
        assertThat(first.path("total").asLong()).isEqualTo(5);
        assertThat(ids(first)).containsExactly(organization + "-9", organization + "-10");
        assertThat(ids(api.get(list + "&size=2&page=1", ApiClient.VIEWER).body()))
                .containsExactly(organization + "-117", organization + "-1161");
        assertThat(ids(third)).containsExactly(organization + "-1170");
        assertThat(ids(api.get(list + "&sort=orchestratorId,desc&size=1", ApiClient.VIEWER).body()))
                .containsExactly(organization + "-1170");

        var connected = api.get(list + "&connected=true&sort=lastSeen,desc", ApiClient.VIEWER).body();
        assertThat(connected.path("total").asLong()).isEqualTo(2);
        assertThat(ids(connected)).as("the most recently seen first").containsExactly(organization + "-9",
                organization + "-1161");
        assertThat(ids(api.get(list + "&independent=true", ApiClient.VIEWER).body())).containsExactly(organization + "-10");
        assertThat(api.get(list + "&independent=false", ApiClient.VIEWER).body().path("total").asLong()).isEqualTo(4);
        assertThat(api.get(list + "&connected=maybe", ApiClient.VIEWER).status()).isEqualTo(400);
        assertThat(api.get(list + "&sort=secret", ApiClient.VIEWER).status()).isEqualTo(400);

        var summary = api.get("/api/v1/controller/orchestrators/summary", ApiClient.VIEWER).body();
        assertThat(summary.path("counts").path("PENDING").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(summary.has("orchestrators")).as("no list in the summary").isFalse();
        assertThat(summary.path("changes").path("withinSeconds").asInt()).isEqualTo(60);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("orchestratorId").asString()));
        return ids;
    }

    @Test
    void listsFilteredByStatusAndOrganization() {
        String id = api.createOrchestrator("filter").orchestratorId();
        String organization = api.get("/api/v1/controller/orchestrator-instances/" + id, ApiClient.ADMIN)
                .body().path("organizationId").asString();

        var mine = api.get("/api/v1/controller/orchestrator-instances?organizationId=" + organization + "&status=PENDING",
                ApiClient.VIEWER);
        assertThat(mine.body().path("total").asLong()).isEqualTo(1);
        assertThat(mine.body().path("items").get(0).path("orchestratorId").asString()).isEqualTo(id);
        assertThat(api.get("/api/v1/controller/orchestrator-instances?organizationId=" + organization + "&status=ACTIVE",
                ApiClient.VIEWER).body().path("total").asLong()).isZero();
        assertThat(api.get("/api/v1/controller/orchestrator-instances?q=" + id, ApiClient.VIEWER)
                .body().path("total").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/controller/orchestrator-instances?status=ALIVE", ApiClient.VIEWER).status()).isEqualTo(400);

        var live = api.get("/api/v1/controller/orchestrators/live", ApiClient.VIEWER);
        assertThat(live.body().path("counts").path("PENDING").asLong()).isPositive();
        assertThat(live.body().path("orchestrators").isArray()).isTrue();
    }

    @Test
    void refusesBadInput() {
        String id = api.createOrchestrator("bad").orchestratorId();
        String organization = api.get("/api/v1/controller/orchestrator-instances/" + id, ApiClient.ADMIN)
                .body().path("organizationId").asString();

        assertThat(api.post("/api/v1/controller/orchestrator-instances", ApiClient.ADMIN,
                "{\"organizationId\":\"" + organization + "\"}").status()).as("the same id again").isEqualTo(409);
        assertThat(api.post("/api/v1/controller/orchestrator-instances", ApiClient.ADMIN,
                "{\"organizationId\":\"no-such-org\"}").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/controller/orchestrator-instances", ApiClient.ADMIN, "{}").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/controller/orchestrator-instances", ApiClient.ADMIN,
                "{\"organizationId\":\"" + organization + "\",\"orchestratorId\":\"x2\",\"features\":\"on\"}").status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/controller/orchestrator-instances/nobody/credentials", ApiClient.ADMIN, null)
                .status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/controller/orchestrator-instances/nobody", ApiClient.ADMIN).status()).isEqualTo(404);
    }

    /**
     * control-api accepts no desired state the edge could not read back: features nested one level
     * deeper than the deepest accepted are refused with 400, and the deepest accepted reaches the
     * topic as a record its serde reads. Text PostgreSQL cannot hold is refused the same way.
     */
    @Test
    void refusesDesiredStateTheEdgeCouldNotRead() {
        String organization = api.get("/api/v1/controller/orchestrator-instances/" + api.createOrchestrator("deep").orchestratorId(),
                ApiClient.ADMIN).body().path("organizationId").asString();
        String probe = "probe-" + System.nanoTime();
        int depth = 1;
        while (create(organization, probe, nested(depth + 1)).status() == 201) {
            api.delete("/api/v1/controller/orchestrator-instances/" + probe, ApiClient.ADMIN);
            depth++;
        }
        String id = "deep-" + System.nanoTime();
        ApiClient.Response tooDeep = create(organization, id, nested(depth + 1));
        assertThat(tooDeep.status()).isEqualTo(400);
        assertThat(tooDeep.body().path("detail").asString()).contains("features", "nested");
        assertThat(depth).as("deepest accepted features").isBetween(20, 31);

        assertThat(create(organization, id, nested(depth)).status()).isEqualTo(201);
        DesiredState state = desired.await(id, value -> value != null);
        assertThat(state.features().toString()).isEqualTo(nested(depth));
        assertThat(FrameCodec.decodeOutbound(FrameCodec.encode(new Provisioning(new Provisioning.Data(id, null, null,
                state.features(), null))))).as("the agent reads its provisioning").isInstanceOf(Decoded.Ok.class);

        ApiClient.Response nul = api.post("/api/v1/controller/orchestrator-instances", ApiClient.ADMIN,
                "{\"organizationId\":\"" + organization + "\",\"orchestratorId\":\"nul-" + System.nanoTime()
                        + "\",\"name\":\"a\\u0000b\"}");
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.body().path("detail").asString()).contains("name", "U+0000");
        assertThat(api.put("/api/v1/controller/orchestrator-instances/" + id, ApiClient.ADMIN,
                "{\"features\":{\"flag\":\"\\ud800\"}}").status()).isEqualTo(400);
    }

    private ApiClient.Response create(String organization, String id, String features) {
        return api.post("/api/v1/controller/orchestrator-instances", ApiClient.ADMIN, "{\"organizationId\":\""
                + organization + "\",\"orchestratorId\":\"" + id + "\",\"features\":" + features + "}");
    }

    /** A features object nested this many levels deep: {"f":{"f":…{"on":true}…}}. */
    private static String nested(int depth) {
        return "{\"f\":".repeat(depth - 1) + "{\"on\":true}" + "}".repeat(depth - 1);
    }
}
