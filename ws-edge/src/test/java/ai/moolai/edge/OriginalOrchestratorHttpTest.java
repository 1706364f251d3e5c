package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Enrolment;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.OriginalFixtures;
import ai.moolai.testsupport.TopicProbe;
import ai.moolai.testsupport.TestOrchestrator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The original orchestrator's HTTP calls, its exact bodies, against the edge: answered in the
 * original's shapes, authenticated as its WebSocket is, and the connection strings it sends never
 * kept, passed on or logged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "edge.id=edge-original")
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class OriginalOrchestratorHttpTest {

    private static final String ORCHESTRATORS = "/api/v1/internal/orchestrators";

    private static TopicProbe<Heartbeat> heartbeats;
    private static TopicProbe<Enrolment> enrolments;
    private static TopicProbe<SessionEvent> sessionEvents;

    @LocalServerPort
    private int port;

    @Autowired
    private DesiredStateView view;

    private Fleet fleet;

    @BeforeAll
    static void probes() {
        heartbeats = TopicProbe.of(Topics.HEARTBEATS);
        enrolments = TopicProbe.of(Topics.ENROLMENTS);
        sessionEvents = TopicProbe.of(Topics.SESSION_EVENTS);
    }

    @AfterAll
    static void closeProbes() throws InterruptedException {
        heartbeats.close();
        enrolments.close();
        sessionEvents.close();
    }

    @BeforeEach
    void fleet() {
        fleet = new Fleet(view);
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }

    @Test
    void answersTheInternalHealthInTheOriginalShape() throws Exception {
        JsonNode health = Json.frames().readTree(Http.get(port, "/api/v1/internal/health").body());

        assertThat(health.path("success").asBoolean()).isTrue();
        assertThat(health.path("message").asString()).isEqualTo("Internal API healthy");
        assertThat(health.path("service").asString()).isEqualTo("controller-internal-api");
        assertThat(Instant.parse(health.path("timestamp").asString())).isNotNull();
        assertThat(health.path("ws").path("status").asString()).isEqualTo("ok");
        assertThat(health.path("ws").path("active_connections").isInt()).isTrue();
    }

    @Test
    void registersAnApprovedOrchestratorInTheOriginalShapeChangingNothing(CapturedOutput output) throws Exception {
        Fleet.Member member = fleet.approve(newId(), null);

        HttpResponse<String> response = post("/register", OriginalFixtures.of("register.json", member.id()), null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode registered = Json.frames().readTree(response.body());
        assertThat(registered.path("success").asBoolean()).isTrue();
        assertThat(registered.path("orchestrator_id").asString()).isEqualTo(member.id());
        assertThat(registered.path("organization_name").asString()).isEqualTo("acme");
        assertThat(registered.path("status").asString()).isEqualTo("active");
        assertThat(registered.path("independence_support").path("is_independent").asBoolean(true)).isFalse();
        assertThat(registered.path("controller_endpoints").path("deregister").asString())
                .isEqualTo(ORCHESTRATORS + "/" + member.id() + "/deregister");
        assertThat(registered.has("note")).isTrue();
        assertThat(enrolments.valuesNow(member.id())).isEmpty();
        assertThat(output.getAll()).doesNotContain(OriginalFixtures.SECRET_MARK);
    }

    @Test
    void showsAnUnknownOrchestratorToTheAdminsWithoutItsConnectionStrings(CapturedOutput output) throws Exception {
        String id = newId();

        HttpResponse<String> response = post("/register", OriginalFixtures.of("register.json", id), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.frames().readTree(response.body()).path("status").asString()).isEqualTo("pending_approval");
        Enrolment asked = enrolments.await(id, enrolment -> enrolment.kind() == Enrolment.Kind.ASKED);
        assertThat(asked.name()).isEqualTo("Original orchestrator");
        assertThat(asked.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(asked.keyHash()).isNull();
        assertThat(Json.events().writeValueAsString(asked)).doesNotContain(OriginalFixtures.SECRET_MARK);
        assertThat(output.getAll()).doesNotContain(OriginalFixtures.SECRET_MARK);
    }

    @Test
    void takesAHeartbeatAuthenticatedAsItsWebSocketIs() throws Exception {
        Fleet.Member tokenless = fleet.approve(newId(), null);
        Fleet.Member withToken = fleet.register();

        HttpResponse<String> stored = post("/heartbeat", OriginalFixtures.of("heartbeat.json", tokenless.id()), null);
        assertThat(stored.statusCode()).isEqualTo(200);
        JsonNode answer = Json.frames().readTree(stored.body());
        assertThat(answer.path("message").asString()).isEqualTo("Heartbeat stored");
        assertThat(answer.path("orchestrator_id").asString()).isEqualTo(tokenless.id());
        assertThat(heartbeats.await(tokenless.id(), beat -> true).edgeId()).isEqualTo("edge-original");

        assertThat(post("/heartbeat", OriginalFixtures.of("heartbeat.json", withToken.id()), withToken.token())
                .statusCode()).isEqualTo(200);
        heartbeats.await(withToken.id(), beat -> true);
        assertThat(post("/heartbeat", OriginalFixtures.of("heartbeat.json", withToken.id()), null).statusCode())
                .as("a token holder without its token").isEqualTo(401);
        assertThat(post("/heartbeat", OriginalFixtures.of("heartbeat.json", tokenless.id()), withToken.token())
                .statusCode()).as("another's token").isEqualTo(401);
        String unknown = newId();
        assertThat(post("/heartbeat", OriginalFixtures.of("heartbeat.json", unknown), null).statusCode()).isEqualTo(401);
        assertThat(heartbeats.valuesNow(unknown)).isEmpty();
    }

    @Test
    void deregisteringClosesItsSessionAsItsOwnGoodbye() throws Exception {
        Fleet.Member member = fleet.approve(newId(), null);
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), null)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + ORCHESTRATORS + "/" + member.id() + "/deregister"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = Json.frames().readTree(response.body());
            assertThat(answer.path("message").asString()).isEqualTo("Orchestrator deregistered");
            assertThat(answer.path("status").asString()).isEqualTo("inactive");
            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(1000, "deregistered"));
            assertThat(sessionEvents.await(member.id(), event -> event.kind() == SessionEvent.Kind.DISCONNECTED).closedBy())
                    .isEqualTo(SessionEvent.ClosedBy.ORCHESTRATOR);
        }
    }

    @Test
    void refusesABodyTooLargeOrMalformed() throws Exception {
        String huge = "{\"orchestrator_id\":\"" + newId() + "\",\"name\":\"" + "x".repeat(70_000) + "\"}";
        assertThat(post("/register", huge, null).statusCode()).isEqualTo(413);
        HttpResponse<String> otherSpelling = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/%69nternal/orchestrators/register"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(huge)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(otherSpelling.statusCode()).as("whatever the path's spelling").isEqualTo(413);
        assertThat(post("/register", "{not json", null).statusCode()).isEqualTo(400);
        assertThat(post("/register", "{\"orchestrator_id\":\"" + newId() + "\",\"name\":\"a\\u0000b\"}", null).statusCode())
                .isEqualTo(400);
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + ORCHESTRATORS + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String newId() {
        return "original-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
