package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.testsupport.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** With legacy mode on, the seed's tokenless client is admitted for registered ids, and only for those. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "edge.legacy-tokenless=true")
@ActiveProfiles("test")
class LegacyModeTest {

    @LocalServerPort
    private int port;

    @Autowired
    private DesiredStateView view;

    @BeforeEach
    void edgeIsReady() {
        Fleet.awaitEdgeTakesUpgrades(view);
    }

    @Test
    void admitsATokenlessHandshakeForARegisteredId() throws Exception {
        try (Fleet fleet = new Fleet(view)) {
            Fleet.Member member = fleet.register();
            try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), null)) {
                assertThat(orchestrator.isClosed()).isFalse();
            }
            assertThat(Http.get(port, "/api/v1/internal/orchestrators/" + member.id() + "/independence").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void refusesAnUnregisteredIdWith4403() {
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send(TestOrchestrator.handshake("never-registered", null));
            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(4403, "unknown_orchestrator"));
        }
    }

    @Test
    void refusesAHandshakeWithoutAnIdWith1008() {
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send("{\"type\":\"handshake\",\"data\":{}}");
            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(1008, "missing_orchestrator_id"));
        }
    }

    @Test
    void stillChecksATokenWhenOneIsGiven() throws Exception {
        try (Fleet fleet = new Fleet(view)) {
            Fleet.Member member = fleet.register();
            try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
                orchestrator.send(TestOrchestrator.handshake(member.id(), "mo_wrong"));
                assertThat(orchestrator.awaitClose().code()).isEqualTo(4401);
            }
        }
    }
}
