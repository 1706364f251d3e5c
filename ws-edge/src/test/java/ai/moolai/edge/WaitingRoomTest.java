package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.edge.desiredstate.EnrolmentRefusals;
import ai.moolai.edge.desiredstate.EnrolmentTokens;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.Enrolment;
import ai.moolai.protocol.kafka.EnrolmentToken;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TopicProbe;
import ai.moolai.testsupport.TestOrchestrator;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Orchestrators nobody registered wait for an admin: acknowledged as {@code pending_approval}, seen
 * by the admins through {@code orchestrator.enrolments.v1}, taking nothing but heartbeats; admitted
 * in place once approved (an enrolment key handed back as the credential), closed with 4403 when
 * rejected, and held within the waiting room's limits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"edge.id=edge-waiting", "edge.waiting-room-sessions=3", "edge.waiting-room-per-address=2",
                "edge.waiting-room-max-wait=8s", "edge.waiting-room-seen-interval=500ms"})
@ActiveProfiles("test")
class WaitingRoomTest {

    private static TopicProbe<Enrolment> enrolments;
    private static TopicProbe<Heartbeat> heartbeats;
    private static TopicProbe<Report> reports;

    @LocalServerPort
    private int port;

    @Autowired
    private DesiredStateView view;

    @Autowired
    private EnrolmentRefusals refusals;

    @Autowired
    private EnrolmentTokens tokens;

    @Autowired
    private MeterRegistry meters;

    private Fleet fleet;
    private final List<TestOrchestrator> opened = new ArrayList<>();

    @BeforeAll
    static void probes() throws InterruptedException {
        enrolments = TopicProbe.of(Topics.ENROLMENTS);
        heartbeats = TopicProbe.of(Topics.HEARTBEATS);
        reports = TopicProbe.of(Topics.REPORTS);
    }

    @AfterAll
    static void closeProbes() throws InterruptedException {
        enrolments.close();
        heartbeats.close();
        reports.close();
    }

    @BeforeEach
    void fleet() {
        fleet = new Fleet(view);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(TestOrchestrator::close);
        fleet.close();
        // Each test starts with an empty waiting room.
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("edge.waiting_room.sessions").gauge().value() == 0);
    }

    @Test
    void holdsAnUnknownTokenlessClientUntilApprovedThenAdmitsItInPlace() throws Exception {
        String id = newId();
        TestOrchestrator original = waiting("127.0.0.1", id, null);

        Enrolment waiting = enrolments.await(id, enrolment -> enrolment.kind() == Enrolment.Kind.WAITING);
        assertThat(waiting.client().hostname()).isEqualTo("h");
        assertThat(waiting.client().version()).isEqualTo("1.0.0");
        assertThat(waiting.name()).isEqualTo("Acme");
        assertThat(waiting.location()).isEqualTo("eu-1");
        assertThat(waiting.features().path("cache").path("enabled").asBoolean(true)).isFalse();
        assertThat(waiting.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(waiting.keyHash()).isNull();
        assertThat(waiting.edgeId()).isEqualTo("edge-waiting");

        UUID refusedReport = UUID.randomUUID();
        original.send(report(refusedReport));
        JsonNode error = original.nextOfType("error");
        assertThat(error.path("code").asString()).isEqualTo("pending_approval");
        assertThat(error.path("ref").asString()).isEqualTo(refusedReport.toString());

        // Heartbeats refresh "last seen" once per interval (here 500 ms) at most.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            original.send("{\"type\":\"keepalive\"}");
            return enrolments.values(id).stream().anyMatch(enrolment -> enrolment.kind() == Enrolment.Kind.SEEN);
        });
        Enrolment seen = enrolments.await(id, enrolment -> enrolment.kind() == Enrolment.Kind.SEEN);
        assertThat(seen.sessionId()).isEqualTo(waiting.sessionId());
        assertThat(Http.get(port, "/api/v1/internal/orchestrators/" + id + "/independence").statusCode()).isEqualTo(401);

        fleet.approve(id, null);

        JsonNode ack = original.nextOfType("handshake_ack");
        assertThat(ack.has("status")).as("admitted: no longer pending").isFalse();
        assertThat(ack.path("orch_id").asString()).isEqualTo(id);
        assertThat(original.nextOfType("provisioning").path("data").has("credential")).isFalse();
        original.send("{\"type\":\"i_am_alive\",\"seq\":41}");
        assertThat(heartbeats.await(id, beat -> Long.valueOf(41).equals(beat.seq())).sessionId())
                .isEqualTo(ack.path("session_id").asString());
        UUID acceptedReport = UUID.randomUUID();
        original.send(report(acceptedReport));
        assertThat(original.nextOfType("report_ack").path("message_id").asString()).isEqualTo(acceptedReport.toString());
        reports.await(id, report -> report.messageId().equals(acceptedReport));
        assertThat(reports.valuesNow(id)).extracting(Report::messageId).containsExactly(acceptedReport);
        assertThat(heartbeats.valuesNow(id)).extracting(Heartbeat::seq).containsExactly(41L);
    }

    @Test
    void handsAnApprovedEnrolmentKeyBackAsTheCredentialAndTakesItAsTheToken() throws Exception {
        String id = newId();
        String key = Credentials.newToken();
        TestOrchestrator agent = waiting("127.0.0.1", id, key);
        Enrolment waiting = enrolments.await(id, enrolment -> enrolment.kind() == Enrolment.Kind.WAITING);
        assertThat(waiting.keyHash()).isEqualTo(Credentials.hash(key));

        fleet.approve(id, key);

        agent.nextOfType("handshake_ack");
        assertThat(agent.nextOfType("provisioning").path("data").path("credential").path("token").asString())
                .isEqualTo(key);
        agent.close();
        try (TestOrchestrator withToken = TestOrchestrator.connect(port, "/ws", key)) {
            withToken.send(TestOrchestrator.handshake(id, null));
            assertThat(withToken.nextOfType("handshake_ack").has("status")).isFalse();
            assertThat(withToken.nextOfType("provisioning").path("data").has("credential")).isFalse();
        }
        assertThat(enrolments.valuesNow(id)).extracting(Enrolment::kind).doesNotContain(Enrolment.Kind.LEFT);
    }

    @Test
    void notesTheOrganizationsEnrolmentTokenAndRefusesOneThatIsUnknownExpiredOrRevoked() throws Exception {
        String token = Credentials.newToken();
        String tokenId = "et-" + UUID.randomUUID().toString().substring(0, 8);
        fleet.issue(new EnrolmentToken(tokenId, "acme", Credentials.hash(token), Instant.now().plusSeconds(3600), false,
                true, Instant.now()));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> tokens.valid(token, Instant.now()).isPresent());

        String id = newId();
        waiting("127.0.0.1", id, Credentials.newToken(), token);
        assertThat(enrolments.await(id, enrolment -> enrolment.kind() == Enrolment.Kind.WAITING).enrolmentTokenId())
                .isEqualTo(tokenId);

        TestOrchestrator.Close unauthorized = new TestOrchestrator.Close(4401, "unauthorized");
        assertThat(refusedWaiting(newId(), Credentials.newToken())).as("an unknown token").isEqualTo(unauthorized);
        String expired = Credentials.newToken();
        fleet.issue(new EnrolmentToken("et-expired", "acme", Credentials.hash(expired), Instant.now().minusSeconds(1),
                false, true, Instant.now()));
        fleet.issue(new EnrolmentToken(tokenId, "acme", Credentials.hash(token), Instant.now().plusSeconds(3600), true,
                true, Instant.now()));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> tokens.valid(token, Instant.now()).isEmpty());
        assertThat(refusedWaiting(newId(), token)).as("a revoked token").isEqualTo(unauthorized);
        assertThat(refusedWaiting(newId(), expired)).as("an expired token").isEqualTo(unauthorized);
        assertThat(meters.get("edge.waiting_room.refused").tag("reason", "bad_enrolment_token").counter().count())
                .isEqualTo(3);
    }

    @Test
    void refusesAnotherKeyOrNoKeyForAnIdRegisteredMeanwhile() throws Exception {
        String id = newId();
        TestOrchestrator tokenless = waiting("127.0.0.1", id, null);

        fleet.approve(id, Credentials.newToken());

        assertThat(tokenless.awaitClose()).isEqualTo(new TestOrchestrator.Close(4401, "unauthorized"));
    }

    @Test
    void closesARejectedEnrolmentWith4403AndRefusesItWhileTheRefusalHolds() throws Exception {
        String id = newId();
        TestOrchestrator stranger = waiting("127.0.0.1", id, null);
        enrolments.await(id, enrolment -> enrolment.kind() == Enrolment.Kind.WAITING);

        fleet.reject(id, Instant.now().plus(Duration.ofHours(1)), refusals);

        TestOrchestrator.Close rejected = new TestOrchestrator.Close(4403, "enrolment_rejected");
        assertThat(stranger.awaitClose()).isEqualTo(rejected);
        enrolments.await(id, enrolment -> enrolment.kind() == Enrolment.Kind.LEFT);
        try (TestOrchestrator again = TestOrchestrator.connect(port)) {
            again.send(TestOrchestrator.handshake(id, null));
            assertThat(again.awaitClose()).isEqualTo(rejected);
        }
    }

    @Test
    void holdsNoMoreThanItsLimitsPerAddressAndInAll() throws Exception {
        waiting("127.0.0.1", newId(), null);
        waiting("127.0.0.1", newId(), null);
        TestOrchestrator.Close tryAgain = new TestOrchestrator.Close(1013, "try_again_later");
        assertThat(refusedWaiting("127.0.0.1")).as("a third from one address").isEqualTo(tryAgain);

        waiting("[::1]", newId(), null);
        assertThat(refusedWaiting("[::1]")).as("a fourth in all").isEqualTo(tryAgain);

        assertThat(meters.get("edge.waiting_room.refused").tag("reason", "address_full").counter().count()).isEqualTo(1);
        assertThat(meters.get("edge.waiting_room.refused").tag("reason", "full").counter().count()).isEqualTo(1);
    }

    @Test
    void aNewerWaitingSessionReplacesTheOlderAndNoneWaitsPastTheLimit() throws Exception {
        String id = newId();
        TestOrchestrator older = waiting("127.0.0.1", id, null);
        TestOrchestrator newer = waiting("127.0.0.1", id, null);

        assertThat(older.awaitClose()).isEqualTo(new TestOrchestrator.Close(4409, "session_replaced"));
        // The newer took the older's place: the address (two places) still has one for another id.
        waiting("127.0.0.1", newId(), null);
        assertThat(meters.get("edge.waiting_room.sessions").gauge().value()).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(newer::isClosed);
        assertThat(newer.awaitClose()).isEqualTo(new TestOrchestrator.Close(1001, "waiting_timeout"));
    }

    /** Connects from this host, handshakes as an unregistered id (with an enrolment key, or none) and reads the ack. */
    private TestOrchestrator waiting(String host, String id, String enrolmentKey) throws InterruptedException {
        return waiting(host, id, enrolmentKey, null);
    }

    private TestOrchestrator waiting(String host, String id, String enrolmentKey, String enrolmentToken)
            throws InterruptedException {
        TestOrchestrator orchestrator = TestOrchestrator.connect(host, port, "/ws", null);
        opened.add(orchestrator);
        orchestrator.send(enrolmentKey == null ? TestOrchestrator.handshake(id, null) : enrolling(id, enrolmentKey, enrolmentToken));
        JsonNode ack = orchestrator.expect("handshake_ack");
        assertThat(ack.path("status").asString()).isEqualTo("pending_approval");
        assertThat(ack.path("orch_id").asString()).isEqualTo(id);
        return orchestrator;
    }

    private TestOrchestrator.Close refusedWaiting(String host) {
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(host, port, "/ws", null)) {
            orchestrator.send(TestOrchestrator.handshake(newId(), null));
            return orchestrator.awaitClose();
        }
    }

    private TestOrchestrator.Close refusedWaiting(String id, String enrolmentToken) {
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send(enrolling(id, Credentials.newToken(), enrolmentToken));
            return orchestrator.awaitClose();
        }
    }

    private static String enrolling(String id, String enrolmentKey, String enrolmentToken) {
        return """
                {"type":"handshake","data":{"orchestrator_id":"%s","metadata":{"hostname":"agent-host"},
                 "enrolment":{"key":"%s"%s}}}""".formatted(id, enrolmentKey,
                enrolmentToken == null ? "" : ",\"token\":\"" + enrolmentToken + "\"");
    }

    private static String report(UUID messageId) {
        return """
                {"type":"monitoring_report","message_id":"%s","data":{"cpu_pct":1}}""".formatted(messageId);
    }

    private static String newId() {
        return "new-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
