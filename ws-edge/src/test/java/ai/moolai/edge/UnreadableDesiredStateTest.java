package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TestOrchestrator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A desired-state record the edge cannot read refuses its orchestrator until a readable one
 * arrives, for it may be the very record that rotated or revoked a token; and it concerns that
 * orchestrator only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class UnreadableDesiredStateTest {

    private static final TestOrchestrator.Close UNAUTHORIZED = new TestOrchestrator.Close(4401, "unauthorized");
    private static final TestOrchestrator.Close TRY_AGAIN_LATER = new TestOrchestrator.Close(1013, "try_again_later");

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Autowired
    private DesiredStateView view;

    private Fleet fleet;

    @BeforeEach
    void fleet() {
        fleet = new Fleet(view);
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }

    @Test
    void aTokenRotatedRightBeforeAnUnreadableRecordIsNotAccepted() throws Exception {
        Fleet.Member first = fleet.register();
        Fleet.Member rotated = fleet.publish(first.rotated());

        fleet.publishUnreadable(first.id(), "{\"orchestratorId\":");

        assertThat(handshake(first.id(), first.token())).as("the token before the rotation").isEqualTo(TRY_AGAIN_LATER);
        assertThat(handshakeWithoutClaim(first.token())).as("revoked by a readable record").isEqualTo(UNAUTHORIZED);
        assertThat(handshake(first.id(), rotated.token())).as("the rotated token").isEqualTo(TRY_AGAIN_LATER);
        assertThat(handshakeWithoutClaim(rotated.token())).as("the rotated token, naming no id").isEqualTo(TRY_AGAIN_LATER);
        assertThat(independencePoll(first.id(), rotated.token())).as("the poll says: later").isEqualTo(503);
        assertThat(independencePoll(first.id(), first.token())).isEqualTo(401);

        Fleet.Member readableAgain = fleet.publish(rotated.with(false, false));
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, first.id(), readableAgain.token())) {
            assertThat(orchestrator.isClosed()).isFalse();
        }
        assertThat(handshake(first.id(), first.token())).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void closesTheOpenSessionOfAnOrchestratorWhoseDesiredStateBecameUnreadable() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            fleet.publishUnreadable(member.id(), "{\"orchestratorId\":\"" + member.id() + "\",\"version\":\"two\"}");

            assertThat(orchestrator.awaitClose()).isEqualTo(TRY_AGAIN_LATER);
        }
    }

    @Test
    void anUnreadableRecordOfAnotherOrchestratorLeavesThisOneAlone() throws Exception {
        Fleet.Member member = fleet.register();
        Fleet.Member other = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            fleet.publishUnreadable(other.id(), "{\"orchestratorId\":\"" + other.id() + "\",\"features\":"
                    + "[".repeat(40) + "]".repeat(40) + "}");
            assertThat(handshake(other.id(), other.token())).isEqualTo(TRY_AGAIN_LATER);

            orchestrator.send("{\"type\":\"provisioning_request\"}");
            assertThat(orchestrator.nextOfType("provisioning").path("data").path("orchestrator_id").asString())
                    .isEqualTo(member.id());

            Fleet.Member rotated = fleet.publish(member.rotated());
            assertThat(orchestrator.awaitClose()).as("changes after the unreadable record still apply").isEqualTo(UNAUTHORIZED);
            try (TestOrchestrator again = TestOrchestrator.handshaken(port, member.id(), rotated.token())) {
                assertThat(again.isClosed()).isFalse();
            }
        }
    }

    @Test
    void aRecordKeyedForOneOrchestratorButSpeakingForAnotherIsUnreadable() throws Exception {
        Fleet.Member member = fleet.register();
        Fleet.Member impostor = fleet.register();

        fleet.publishUnreadable(member.id(), "{\"orchestratorId\":\"" + impostor.id() + "\",\"credentialHash\":\""
                + impostor.state().credentialHash() + "\"}");

        assertThat(handshake(member.id(), member.token())).isEqualTo(TRY_AGAIN_LATER);
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, impostor.id(), impostor.token())) {
            assertThat(orchestrator.isClosed()).isFalse();
        }
    }

    @Test
    void countsUnreadableRecordsAndExportsEachFollowersProgress() throws Exception {
        Fleet.Member member = fleet.register();
        fleet.publishUnreadable(member.id(), "not json");

        String metrics = Http.get(managementPort, "/actuator/prometheus", Http.MANAGEMENT_TOKEN).body();
        assertThat(metrics).contains("edge_records_unreadable_total{topic=\"orchestrator.desired-state.v1\"}",
                "edge_desired_state_unreadable ",
                "mooli_consumer_oldest_unprocessed_age_seconds{consumer=\"desired-state\"}",
                "mooli_consumer_oldest_unprocessed_age_seconds{consumer=\"other-edges-sessions\"}");
        assertThat(Http.get(managementPort, "/actuator/health", Http.MANAGEMENT_TOKEN).body()).contains("\"unreadableOrchestrators\"", "\"consumers\"");
    }

    /** How the edge ends a session that handshakes with this token for this orchestrator. */
    private int independencePoll(String orchestratorId, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/v1/internal/orchestrators/" + orchestratorId + "/independence"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A handshake that names no orchestrator id: the token alone says who it is. */
    private TestOrchestrator.Close handshakeWithoutClaim(String token) {
        return handshake("", token);
    }

    private TestOrchestrator.Close handshake(String orchestratorId, String token) {
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send(TestOrchestrator.handshake(orchestratorId, token));
            return orchestrator.awaitClose();
        }
    }
}
