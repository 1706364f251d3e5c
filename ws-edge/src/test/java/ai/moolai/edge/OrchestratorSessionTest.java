package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TestKafka;
import ai.moolai.testsupport.TopicProbe;
import ai.moolai.testsupport.TestOrchestrator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** The protocol end to end: a real WebSocket client against the edge on a random port, the embedded broker behind it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"edge.id=edge-under-test", "edge.independent-close-grace=1s", "edge.handshake-timeout=2s"})
@ActiveProfiles("test")
class OrchestratorSessionTest {

    private static TopicProbe<Heartbeat> heartbeats;
    private static TopicProbe<Report> reports;
    private static TopicProbe<SessionEvent> sessionEvents;

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Autowired
    private DesiredStateView view;

    private Fleet fleet;

    @BeforeAll
    static void probes() throws InterruptedException {
        heartbeats = TopicProbe.of(Topics.HEARTBEATS);
        reports = TopicProbe.of(Topics.REPORTS);
        sessionEvents = TopicProbe.of(Topics.SESSION_EVENTS);
    }

    @AfterAll
    static void closeProbes() throws InterruptedException {
        heartbeats.close();
        reports.close();
        sessionEvents.close();
    }

    @BeforeEach
    void fleet() {
        fleet = new Fleet(view);
    }

    @Test
    void answersTheSeedClientsFramesInTheOrderItExpects() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send(TestOrchestrator.handshake(member.id(), member.token()));

            JsonNode ack = orchestrator.next();
            assertThat(ack.path("type").asString()).isEqualTo("handshake_ack");
            assertThat(ack.path("orch_id").asString()).isEqualTo(member.id());
            assertThat(ack.path("heartbeat_ttl_sec").asInt()).isEqualTo(30);
            String sessionId = ack.path("session_id").asString();
            JsonNode provisioning = orchestrator.next();
            assertThat(provisioning.path("type").asString()).isEqualTo("provisioning");
            assertThat(provisioning.path("data").path("orchestrator_id").asString()).isEqualTo(member.id());
            assertThat(provisioning.path("data").path("features").path("cache").path("enabled").asBoolean(true)).isFalse();

            SessionEvent connected = sessionEvents.await(member.id(), event -> event.kind() == SessionEvent.Kind.CONNECTED);
            assertThat(connected.sessionId()).isEqualTo(sessionId);
            assertThat(connected.edgeId()).isEqualTo("edge-under-test");
            assertThat(connected.client().hostname()).isEqualTo("h");

            orchestrator.send("{\"type\":\"i_am_alive\",\"timestamp\":\"2026-11-27T10:00:10.000+00:00\",\"seq\":1}");
            Heartbeat heartbeat = heartbeats.await(member.id(), beat -> Long.valueOf(1).equals(beat.seq()));
            assertThat(heartbeat.sessionId()).isEqualTo(sessionId);
            assertThat(heartbeat.sentAt()).isEqualTo(Instant.parse("2026-11-27T10:00:10Z"));

            orchestrator.send("{\"type\":\"provisioning_request\"}");
            assertThat(orchestrator.nextOfType("provisioning").path("data").path("name").asString()).isEqualTo(member.state().name());
        }
    }

    @Test
    void acknowledgesAReportOnlyOnceItIsOnItsTopic() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            UUID monitoring = UUID.randomUUID();
            UUID recommendation = UUID.randomUUID();
            UUID snapshot = UUID.randomUUID();
            orchestrator.send("""
                    {"type":"monitoring_report","message_id":"%s","timestamp":"2026-11-27T10:01:00Z",
                     "data":{"cpu_pct":41.5,"mem_pct":63.0,"requests_per_min":1200,"error_rate":0.002}}""".formatted(monitoring));
            assertThat(orchestrator.nextOfType("report_ack").path("message_id").asString()).isEqualTo(monitoring.toString());
            assertThat(reports.valuesNow(member.id())).as("on the topic when acknowledged")
                    .anySatisfy(report -> assertThat(report.messageId()).isEqualTo(monitoring));

            orchestrator.send("""
                    {"type":"recommendation","message_id":"%s","data":{"title":"Enable response cache","severity":"warning",
                     "category":"performance","proposed_action":{"feature":"cache","enabled":true}}}""".formatted(recommendation));
            assertThat(orchestrator.nextOfType("report_ack").path("message_id").asString()).isEqualTo(recommendation.toString());
            Report published = reports.valuesNow(member.id()).stream()
                    .filter(report -> report.messageId().equals(recommendation)).findFirst().orElseThrow();
            assertThat(published.kind()).isEqualTo(Report.Kind.RECOMMENDATION);
            assertThat(published.data().path("proposed_action").path("feature").asString()).isEqualTo("cache");
            assertThat(published.orchestratorId()).isEqualTo(member.id());

            orchestrator.send("{\"type\":\"o_config_snapshot\",\"message_id\":\"%s\",\"data\":{\"workers\":4}}".formatted(snapshot));
            assertThat(orchestrator.nextOfType("report_ack").path("message_id").asString()).isEqualTo(snapshot.toString());
            assertThat(reports.valuesNow(member.id())).anySatisfy(report -> {
                assertThat(report.kind()).isEqualTo(Report.Kind.CONFIG_SNAPSHOT);
                assertThat(report.data().path("workers").asInt()).isEqualTo(4);
            });
        }
    }

    @Test
    void authenticatesByTheUpgradeHeaderToo() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port, "/", member.token())) {
            orchestrator.send("{\"type\":\"handshake\",\"data\":{}}");
            assertThat(orchestrator.expect("handshake_ack").path("orch_id").asString()).isEqualTo(member.id());
        }
    }

    @Test
    void rejectsAMissingTokenWith4401() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send(TestOrchestrator.handshake(member.id(), null));
            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(4401, "unauthorized"));
        }
    }

    @Test
    void rejectsAWrongTokenWith4401() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send(TestOrchestrator.handshake(member.id(), "mo_not-the-token"));
            assertThat(orchestrator.awaitClose().code()).isEqualTo(4401);
        }
    }

    @Test
    void rejectsHandshakeWithForeignToken() throws Exception {
        Fleet.Member victim = fleet.register();
        Fleet.Member intruder = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send(TestOrchestrator.handshake(victim.id(), intruder.token()));
            assertThat(orchestrator.awaitClose().code()).isEqualTo(4401);
        }
        assertThat(sessionEvents.values(victim.id())).isEmpty();
    }

    @Test
    void aSecondSessionReplacesTheFirst() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator first = TestOrchestrator.handshaken(port, member.id(), member.token());
             TestOrchestrator second = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            assertThat(first.awaitClose()).isEqualTo(new TestOrchestrator.Close(4409, "session_replaced"));
            second.send("{\"type\":\"i_am_alive\",\"seq\":77}");
            heartbeats.await(member.id(), beat -> Long.valueOf(77).equals(beat.seq()));
            assertThat(second.isClosed()).isFalse();
        }
        SessionEvent replaced = sessionEvents.await(member.id(), event -> event.kind() == SessionEvent.Kind.DISCONNECTED);
        assertThat(replaced.closedBy()).isEqualTo(SessionEvent.ClosedBy.EDGE);
        assertThat(replaced.closeCode()).isEqualTo(4409);
    }

    @Test
    void aNewerSessionOnAnotherEdgeReplacesThisOne() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            TestKafka.send(Topics.SESSION_EVENTS, member.id(),
                    SessionEvent.connected(member.id(), "elsewhere", "other-edge", Instant.now(), null));
            assertThat(orchestrator.awaitClose().code()).isEqualTo(4409);
        }
    }

    @Test
    void pushesIndependenceLiveAndPublishesTheAcknowledgement() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            Fleet.Member independent = fleet.publish(member.with(true, true));

            JsonNode update = orchestrator.nextOfType("independence_update").path("data");
            assertThat(update.path("is_independent").asBoolean()).isTrue();
            assertThat(update.path("privacy_mode").asBoolean()).isTrue();
            assertThat(update.path("version").asLong()).isEqualTo(independent.state().version());

            orchestrator.send("{\"type\":\"independence_ack\",\"data\":{\"is_independent\":true,\"version\":%d,\"env_file_updated\":true}}"
                    .formatted(independent.state().version()));
            SessionEvent acked = sessionEvents.await(member.id(), event -> event.kind() == SessionEvent.Kind.INDEPENDENCE_ACKED);
            assertThat(acked.independent()).isTrue();
            assertThat(acked.independenceVersion()).isEqualTo(independent.state().version());

            orchestrator.closeNormally("independent");
            SessionEvent closed = sessionEvents.await(member.id(), event -> event.kind() == SessionEvent.Kind.DISCONNECTED);
            assertThat(closed.closedBy()).isEqualTo(SessionEvent.ClosedBy.ORCHESTRATOR);
            assertThat(closed.closeCode()).isEqualTo(1000);
        }
    }

    @Test
    void tellsAnIndependentOrchestratorRightAfterItsHandshakeAndClosesIfItStays() throws Exception {
        Fleet.Member member = fleet.register(true);
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send(TestOrchestrator.handshake(member.id(), member.token()));
            orchestrator.expect("handshake_ack");
            orchestrator.expect("provisioning");
            assertThat(orchestrator.expect("independence_update").path("data").path("is_independent").asBoolean()).isTrue();

            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(4410, "independent"));
        }
    }

    @Test
    void answersMalformedFramesWithAnErrorAndKeepsTheSession() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            orchestrator.send("{not json");
            assertThat(orchestrator.nextOfType("error").path("code").asString()).isEqualTo("invalid_json");
            orchestrator.send("{\"type\":\"self_destruct\"}");
            assertThat(orchestrator.nextOfType("error").path("code").asString()).isEqualTo("unknown_type");
            orchestrator.send("{\"type\":\"monitoring_report\",\"data\":{}}");
            assertThat(orchestrator.nextOfType("error").path("code").asString()).isEqualTo("invalid_message");
            orchestrator.sendBinary(new byte[] {1, 2, 3}, true);
            assertThat(orchestrator.nextOfType("error").path("code").asString()).isEqualTo("binary_not_supported");
            orchestrator.send("{\"type\":\"handshake\",\"data\":{}}");
            assertThat(orchestrator.nextOfType("error").path("code").asString()).isEqualTo("unexpected_message");

            orchestrator.send("{\"type\":\"i_am_alive\",\"seq\":5}");
            heartbeats.await(member.id(), beat -> Long.valueOf(5).equals(beat.seq()));
            assertThat(orchestrator.isClosed()).isFalse();
        }
    }

    @Test
    void acceptsAFrameOfSixtyFourKibibytesAndClosesOnALargerOneWith1009() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            UUID id = UUID.randomUUID();
            String prefix = "{\"type\":\"monitoring_report\",\"message_id\":\"" + id + "\",\"data\":{\"blob\":\"";
            String suffix = "\"}}";
            orchestrator.send(prefix + "x".repeat(65536 - prefix.length() - suffix.length()) + suffix);
            assertThat(orchestrator.nextOfType("report_ack").path("message_id").asString()).isEqualTo(id.toString());

            orchestrator.send(prefix + "x".repeat(65536) + suffix);
            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(1009, "message_too_big"));
        }
    }

    @Test
    void warnsThenClosesASessionThatExceedsTheMessageRate() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            int sent = 0;
            while (sent < 200 && orchestrator.sendUnlessClosed("{\"type\":\"i_am_alive\",\"seq\":" + sent + "}")) {
                sent++;
            }
            assertThat(orchestrator.nextOfType("error").path("code").asString()).isEqualTo("rate_limited");
            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(4429, "rate_limited"));
        }
    }

    @Test
    void closesTheSessionOfADeletedOrchestratorWith4403() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            fleet.delete(member);
            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(4403, "unknown_orchestrator"));
        }
    }

    @Test
    void closesTheSessionOfARotatedTokenWith4401AndAcceptsTheNewOne() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            Fleet.Member rotated = fleet.publish(member.rotated());
            assertThat(orchestrator.awaitClose().code()).isEqualTo(4401);

            try (TestOrchestrator again = TestOrchestrator.handshaken(port, member.id(), rotated.token())) {
                assertThat(again.isClosed()).isFalse();
            }
        }
    }

    @Test
    void anOrchestratorsCleanCloseIsRecordedAsItsOwn() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            orchestrator.closeNormally("shutting down");
        }
        SessionEvent closed = sessionEvents.await(member.id(), event -> event.kind() == SessionEvent.Kind.DISCONNECTED);
        assertThat(closed.closedBy()).isEqualTo(SessionEvent.ClosedBy.ORCHESTRATOR);
        assertThat(closed.reason()).isEqualTo("shutting down");
    }

    @Test
    void aDroppedConnectionIsRecordedAsTheNetworks() throws Exception {
        Fleet.Member member = fleet.register();
        TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token());
        orchestrator.close();
        SessionEvent closed = sessionEvents.await(member.id(), event -> event.kind() == SessionEvent.Kind.DISCONNECTED);
        assertThat(closed.closedBy()).isEqualTo(SessionEvent.ClosedBy.NETWORK);
    }

    @Test
    void asksForTheHandshakeFirst() throws Exception {
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            orchestrator.send("{\"type\":\"i_am_alive\"}");
            assertThat(orchestrator.expect("error").path("code").asString()).isEqualTo("unexpected_message");
            orchestrator.send("{\"type\":\"handshake\"}");
            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(1008, "invalid_handshake"));
        }
    }

    @Test
    void closesAConnectionThatNeverHandshakesWith1008AtTheHandshakeTimeout() {
        long upgrading = System.nanoTime();
        try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(1008, "handshake_timeout"));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - upgrading)).as("edge.handshake-timeout=2s, not the 5 s default")
                .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    /**
     * A rotation or a deletion racing the handshake: whichever lands first, the session ends
     * (refused, or closed once admitted) and the old token admits nobody after.
     */
    @Test
    void noSessionOutlivesItsCredentialWhenARotationOrDeletionRacesItsHandshake() throws Exception {
        ExecutorService admin = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 50; i++) {
                Fleet.Member member = fleet.register();
                boolean deleted = i % 2 == 1;
                try (TestOrchestrator orchestrator = TestOrchestrator.connect(port)) {
                    Future<?> revoked = admin.submit(() -> {
                        if (deleted) {
                            fleet.delete(member);
                        } else {
                            fleet.publish(member.rotated());
                        }
                        return null;
                    });
                    orchestrator.send(TestOrchestrator.handshake(member.id(), member.token()));
                    revoked.get();
                    assertThat(view.findByToken(member.token())).as("the view applied the change").isEmpty();
                    assertThat(orchestrator.awaitClose().code()).as("iteration %d, %s", i, deleted ? "deleted" : "rotated")
                            .isIn(4401, 4403);
                }
                try (TestOrchestrator late = TestOrchestrator.connect(port)) {
                    late.send(TestOrchestrator.handshake(member.id(), member.token()));
                    assertThat(late.awaitClose().code()).isEqualTo(4401);
                }
            }
        } finally {
            admin.shutdownNow();
        }
    }

    @Test
    void exposesSessionFrameAndRejectionMetrics() throws Exception {
        Fleet.Member member = fleet.register();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token());
             TestOrchestrator stranger = TestOrchestrator.connect(port)) {
            stranger.send(TestOrchestrator.handshake(member.id(), "mo_wrong"));
            stranger.awaitClose();

            String metrics = Http.get(managementPort, "/actuator/prometheus", Http.MANAGEMENT_TOKEN).body();
            assertThat(metrics).contains("edge_sessions_open", "edge_sessions_authenticated",
                    "edge_frames_in_total{type=\"handshake\"}", "edge_frames_out_total{type=\"handshake_ack\"}",
                    "edge_handshakes_rejected_total{reason=\"unauthorized\"}", "edge_publish_latency_seconds");
        }
    }
}
