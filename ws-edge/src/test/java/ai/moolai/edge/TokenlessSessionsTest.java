package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TopicProbe;
import ai.moolai.testsupport.TestOrchestrator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The seed's tokenless client is admitted, and may poll, only as an orchestrator whose desired
 * state allows it; its session ends when an admin withdraws that or a token is issued.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "edge.id=edge-tokenless")
@ActiveProfiles("test")
class TokenlessSessionsTest {

    private static final TestOrchestrator.Close UNAUTHORIZED = new TestOrchestrator.Close(4401, "unauthorized");

    @LocalServerPort
    private int port;

    @Autowired
    private DesiredStateView view;

    private Fleet fleet;

    @BeforeEach
    void edgeIsReady() {
        fleet = new Fleet(view);
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }

    @Test
    void refusesATokenlessHandshakeAndPollByDefault() throws Exception {
        Fleet.Member member = fleet.registerWithoutToken();

        assertThat(tokenlessHandshake(member.id())).isEqualTo(UNAUTHORIZED);
        assertThat(Http.get(port, pollPath(member.id())).statusCode()).isEqualTo(401);
    }

    @Test
    void admitsATokenlessHandshakeAndPollWhenItsOrchestratorAllowsThem() throws Exception {
        Fleet.Member member = fleet.publish(fleet.registerWithoutToken().tokenless(true));

        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), null)) {
            assertThat(orchestrator.isClosed()).isFalse();
        }
        assertThat(Http.get(port, pollPath(member.id())).statusCode()).isEqualTo(200);
    }

    @Test
    void countsTheOlderKeepaliveFrameAsAHeartbeat() throws Exception {
        Fleet.Member member = fleet.publish(fleet.registerWithoutToken().tokenless(true));
        try (TopicProbe<Heartbeat> heartbeats = TopicProbe.of(Topics.HEARTBEATS);
             TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), null)) {
            orchestrator.send("{\"type\":\"keepalive\",\"timestamp\":\"2026-11-27T10:00:10Z\",\"seq\":3}");

            Heartbeat heartbeat = heartbeats.await(member.id(), beat -> Long.valueOf(3).equals(beat.seq()));
            assertThat(heartbeat.sentAt()).isEqualTo(Instant.parse("2026-11-27T10:00:10Z"));
        }
    }

    @Test
    void refusesATokenlessHandshakeAndPollForAnOrchestratorThatHoldsATokenAndIsNotAllowed() throws Exception {
        Fleet.Member member = fleet.register();

        assertThat(tokenlessHandshake(member.id())).isEqualTo(UNAUTHORIZED);
        assertThat(Http.get(port, pollPath(member.id())).statusCode()).isEqualTo(401);
    }

    @Test
    void refusesATokenlessHandshakeWithoutAnIdWith4401() {
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send("{\"type\":\"handshake\",\"data\":{}}");
            assertThat(orchestrator.awaitClose()).isEqualTo(UNAUTHORIZED);
        }
    }

    @Test
    void closesATokenlessSessionWith4401WhenTheSettingIsTurnedOff() throws Exception {
        Fleet.Member member = fleet.publish(fleet.registerWithoutToken().tokenless(true));
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), null)) {
            fleet.publish(member.tokenless(false));

            assertThat(orchestrator.awaitClose()).isEqualTo(UNAUTHORIZED);
        }
        assertThat(tokenlessHandshake(member.id())).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void closesATokenlessSessionWith4401WhenATokenIsIssued() throws Exception {
        Fleet.Member member = fleet.publish(fleet.register().tokenless(true));
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), null)) {
            fleet.publish(member.rotated());

            assertThat(orchestrator.awaitClose()).isEqualTo(UNAUTHORIZED);
        }
    }

    @Test
    void keepsATokenlessSessionThroughOtherChanges() throws Exception {
        Fleet.Member member = fleet.publish(fleet.registerWithoutToken().tokenless(true));
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), null)) {
            fleet.publish(member.tokenless(true));
            orchestrator.expect("provisioning");

            assertThat(orchestrator.isClosed()).isFalse();
        }
    }

    @Test
    void stillChecksATokenWhenOneIsGiven() throws Exception {
        Fleet.Member member = fleet.publish(fleet.register().tokenless(true));
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send(TestOrchestrator.handshake(member.id(), "mo_wrong"));
            assertThat(orchestrator.awaitClose().code()).isEqualTo(4401);
        }
    }

    private TestOrchestrator.Close tokenlessHandshake(String orchestratorId) {
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send(TestOrchestrator.handshake(orchestratorId, null));
            return orchestrator.awaitClose();
        }
    }

    private static String pollPath(String orchestratorId) {
        return "/api/v1/internal/orchestrators/" + orchestratorId + "/independence";
    }
}
