package ai.moolai.control.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import ai.moolai.control.ControlApiTest;
import ai.moolai.control.TestIssuer;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * 401 without a valid token, 403 for the wrong role; a viewer changes nothing; JWTs work only from the
 * configured issuer, for control-api's audience, unexpired, with their roles under control-api's own claim.
 */
@ControlApiTest
class SecurityTest {

    private static final String ORGANIZATIONS = "/api/v1/controller/organizations";

    @LocalServerPort
    private int port;

    private ApiClient api;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        TestIssuer.register(registry);
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void refusesAMissingOrUnknownTokenWith401() {
        var missing = api.get(ORGANIZATIONS, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(missing.body().path("status").asInt()).isEqualTo(401);
        assertThat(api.get(ORGANIZATIONS, "nope").status()).isEqualTo(401);
        assertThat(api.post(ORGANIZATIONS, null, "{\"name\":\"x\"}").status()).isEqualTo(401);
    }

    @Test
    void tellsCallersWhoTheyAre() {
        var admin = api.get("/api/v1/controller/me", ApiClient.ADMIN).body();
        assertThat(admin.path("role").asString()).isEqualTo("ADMIN");
        assertThat(admin.path("subject").asString()).isEqualTo("token:dev");
        var viewer = api.get("/api/v1/controller/me", ApiClient.VIEWER).body();
        assertThat(viewer.path("role").asString()).isEqualTo("VIEWER");
        assertThat(viewer.path("subject").asString()).isEqualTo("token:viewer");
        var jwt = api.get("/api/v1/controller/me", TestIssuer.sign(TestIssuer.claims("dev", "viewer"))).body();
        assertThat(jwt.path("subject").asString()).as("a JWT subject 'dev' is not the static token").isEqualTo("jwt:dev");
        assertThat(api.get("/api/v1/controller/me", "nope").status()).isEqualTo(401);
    }

    @Test
    void aViewerReadsEverythingAndChangesNothing() {
        String id = api.createOrchestrator("viewer").orchestratorId();
        String instance = "/api/v1/controller/orchestrator-instances/" + id;
        assertThat(api.get(instance, ApiClient.VIEWER).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/controller/activity", ApiClient.VIEWER).status()).isEqualTo(200);

        List<ApiClient.Response> attempts = List.of(
                api.post(ORGANIZATIONS, ApiClient.VIEWER, "{\"name\":\"Viewer Org\"}"),
                api.put(instance, ApiClient.VIEWER, "{\"name\":\"x\"}"),
                api.delete(instance, ApiClient.VIEWER),
                api.post(instance + "/credentials", ApiClient.VIEWER, null),
                api.put("/api/v1/internal/orchestrators/" + id + "/independence", ApiClient.VIEWER, "{\"is_independent\":true}"),
                api.post("/api/v1/controller/recommendations/1/decision", ApiClient.VIEWER, "{\"decision\":\"ACCEPTED\"}"));
        assertThat(attempts).extracting(ApiClient.Response::status).containsOnly(403);
        assertThat(api.get(instance, ApiClient.VIEWER).body().path("desiredVersion").asLong()).isEqualTo(1);
    }

    @Test
    void acceptsJwtsWithTheirRolesAndLogsThemAsJwtSubjects() {
        String viewer = TestIssuer.sign(TestIssuer.claims("carol", "viewer"));
        String admin = TestIssuer.sign(TestIssuer.claims("alice", "admin"));

        assertThat(api.get(ORGANIZATIONS, viewer).status()).isEqualTo(200);
        assertThat(api.post(ORGANIZATIONS, viewer, "{\"name\":\"JWT Viewer Org\"}").status()).isEqualTo(403);
        var created = api.post(ORGANIZATIONS, admin, "{\"name\":\"JWT Admin Org " + System.nanoTime() + "\"}");
        assertThat(created.status()).isEqualTo(201);
        var log = api.get("/api/v1/controller/activity?targetId=" + created.body().path("organizationId").asString(), viewer);
        assertThat(log.body().path("items").get(0).path("actor").asString()).isEqualTo("jwt:alice");
        assertThat(log.body().path("items").get(0).path("actorRole").asString()).isEqualTo("admin");
        assertThat(api.get(ORGANIZATIONS, TestIssuer.sign(TestIssuer.claims("mallory", "root"))).status()).isEqualTo(403);
    }

    @Test
    void refusesJwtsForAnotherAudienceFromAnotherIssuerExpiredOrWithoutSubjectWith401() {
        List<String> refused = List.of(
                TestIssuer.sign(TestIssuer.claims("alice", "admin").audience("another-application")),
                TestIssuer.sign(TestIssuer.claims("alice", "admin").audience((String) null)),
                TestIssuer.sign(TestIssuer.claims("alice", "admin").issuer("https://another-issuer.test")),
                TestIssuer.sign(TestIssuer.claims("alice", "admin").issuer(null)),
                TestIssuer.sign(TestIssuer.claims("alice", "admin")
                        .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5))))),
                TestIssuer.sign(TestIssuer.claims(null, "admin")));
        assertThat(refused).extracting(token -> api.get(ORGANIZATIONS, token).status()).containsOnly(401);
        assertThat(api.get(ORGANIZATIONS, TestIssuer.sign(TestIssuer.claims("alice", "admin")
                .audience(List.of("another-application", TestIssuer.AUDIENCE)))).status())
                .as("one of several audiences").isEqualTo(200);
    }

    /**
     * The token is authentic and meant for control-api, so its holder is known (not 401); the generic
     * {@code roles} claim is simply not where control-api reads roles, so they may do nothing (403).
     */
    @Test
    void readsRolesOnlyFromItsOwnClaimNotTheGenericRolesClaim() {
        String genericRoles = TestIssuer.sign(TestIssuer.claims("alice", "admin")
                .claim("mooli_roles", null).claim("roles", List.of("admin")));
        assertThat(api.get(ORGANIZATIONS, genericRoles).status()).isEqualTo(403);
        assertThat(api.post(ORGANIZATIONS, genericRoles, "{\"name\":\"Generic Roles Org\"}").status()).isEqualTo(403);
    }
}
