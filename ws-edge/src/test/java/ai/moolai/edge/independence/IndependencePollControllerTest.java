package ai.moolai.edge.independence;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** The independence poll answers an orchestrator about itself only, from the edge's view. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class IndependencePollControllerTest {

    @LocalServerPort
    private int port;

    @Autowired
    private DesiredStateView view;

    private String id;
    private String token;

    @BeforeEach
    void registerAnIndependentOrchestrator() throws Exception {
        id = "poll-" + UUID.randomUUID().toString().substring(0, 8);
        token = Credentials.newToken();
        DesiredState state = new DesiredState(id, "acme", "Acme", "eu-1", null, true, true, 4, Credentials.hash(token),
                false, Instant.now());
        TestKafka.send(Topics.DESIRED_STATE, id, state);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> view.find(id).isPresent());
    }

    private HttpResponse<String> poll(String orchestratorId, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/internal/orchestrators/" + orchestratorId + "/independence"));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAnOrchestratorAboutItself() throws Exception {
        HttpResponse<String> response = poll(id, token);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.frames().readTree(response.body());
        assertThat(body.path("orchestrator_id").asString()).isEqualTo(id);
        assertThat(body.path("is_independent").asBoolean()).isTrue();
        assertThat(body.path("privacy_mode").asBoolean()).isTrue();
        assertThat(body.path("version").asLong()).isEqualTo(4);
    }

    @Test
    void refusesAnotherOrchestratorsRecordWith403() throws Exception {
        HttpResponse<String> response = poll("someone-else", token);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
    }

    @Test
    void refusesAMissingOrWrongTokenWith401() throws Exception {
        assertThat(poll(id, null).statusCode()).isEqualTo(401);
        assertThat(poll(id, "mo_wrong").statusCode()).isEqualTo(401);
        assertThat(poll(id, null).headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }
}
