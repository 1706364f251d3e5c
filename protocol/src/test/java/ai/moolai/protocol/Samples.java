package ai.moolai.protocol;

import static java.util.Map.entry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ai.moolai.protocol.kafka.ActivityEntry;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.EdgeBeacon;
import ai.moolai.protocol.kafka.Enrolment;
import ai.moolai.protocol.kafka.EnrolmentRefusal;
import ai.moolai.protocol.kafka.EnrolmentToken;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.LivenessTransition;
import ai.moolai.protocol.kafka.LivenessWindow;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.ControllerHeartbeat;
import ai.moolai.protocol.ws.ErrorCode;
import ai.moolai.protocol.ws.ErrorFrame;
import ai.moolai.protocol.ws.HandshakeAck;
import ai.moolai.protocol.ws.IndependenceUpdate;
import ai.moolai.protocol.ws.OutboundFrame;
import ai.moolai.protocol.ws.Provisioning;
import ai.moolai.protocol.ws.ReportAck;
import tools.jackson.databind.JsonNode;

/** One realistic value of every topic and every controller frame, for contract tests. */
public final class Samples {

    public static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    public static final UUID MESSAGE_ID = UUID.fromString("6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f");

    private Samples() {
    }

    public static JsonNode json(String text) {
        return Json.events().readTree(text);
    }

    /** Every topic with values that exercise its optional fields. */
    public static Map<Topic<?>, List<Object>> topicValues() {
        return Map.ofEntries(
                entry(Topics.HEARTBEATS, List.of(
                        new Heartbeat("orch-001", "s-1", "edge-1", 7L, T0, T0.plusMillis(4)),
                        new Heartbeat("orch-001", "s-1", "edge-1", null, null, T0))),
                entry(Topics.SESSION_EVENTS, List.of(
                        SessionEvent.connected("orch-001", "s-1", "edge-1", T0,
                                new SessionEvent.Client("1.0.0", "h", "10.0.0.5")),
                        SessionEvent.disconnected("orch-001", "s-1", "edge-1", T0, 1000,
                                SessionEvent.ClosedBy.ORCHESTRATOR, "shutdown"),
                        SessionEvent.independenceAcked("orch-001", "s-1", "edge-1", T0, true, 3))),
                entry(Topics.REPORTS, List.of(
                        new Report(MESSAGE_ID, "orch-001", "s-1", Report.Kind.MONITORING_REPORT, T0, T0,
                                json("{\"cpu_pct\":41.5,\"mem_pct\":63.0}")),
                        new Report(UUID.randomUUID(), "orch-001", "s-1", Report.Kind.RECOMMENDATION, null, T0,
                                json("{\"title\":\"Enable response cache\",\"severity\":\"info\"}")))),
                entry(Topics.DESIRED_STATE, List.of(
                        new DesiredState("orch-001", "acme", "Acme", "eu-1", json("{\"cache\":{\"enabled\":false}}"),
                                true, false, 3, "sha256:" + "ab".repeat(32), false, T0))),
                entry(Topics.LIVENESS, List.of(
                        new Liveness("orch-001", LivenessStatus.ACTIVE, LivenessReason.HEARTBEAT, T0, T0, true,
                                "s-1", "edge-1", null, null, T0),
                        new Liveness("orch-002", LivenessStatus.INDEPENDENT, LivenessReason.INDEPENDENCE_CONFIRMED,
                                T0, null, false, null, null, 3L, 3L, T0),
                        new Liveness("orch-003", LivenessStatus.UNKNOWN, LivenessReason.EDGE_LOST, T0, T0, true,
                                "s-3", "edge-1", null, null, T0))),
                entry(Topics.LIVENESS_RESTORE, List.of(
                        new Liveness("orch-001", LivenessStatus.ACTIVE, LivenessReason.HEARTBEAT, T0, T0, true,
                                "s-1", "edge-1", null, null, T0))),
                entry(Topics.LIVENESS_TRANSITIONS, List.of(
                        new LivenessTransition("orch-001", LivenessStatus.ACTIVE, LivenessStatus.INACTIVE,
                                LivenessReason.HEARTBEAT_TIMEOUT, T0.plusSeconds(30),
                                new LivenessTransition.Evidence(T0, "s-1", "edge-1", null, null)),
                        new LivenessTransition("orch-001", null, LivenessStatus.PENDING, LivenessReason.REGISTERED,
                                T0, new LivenessTransition.Evidence(null, null, null, null, 1L)))),
                entry(Topics.LIVENESS_WINDOWS, List.of(
                        new LivenessWindow("orch-001", T0, T0.plusSeconds(60), 6, 60))),
                entry(Topics.EDGE_BEACONS, List.of(
                        new EdgeBeacon("edge-1", T0, 1200, true, false),
                        new EdgeBeacon("edge-1", T0, 0, false, true))),
                entry(Topics.ENROLMENTS, List.of(
                        new Enrolment("orch-new", Enrolment.Kind.WAITING, "s-9", "edge-1", T0,
                                new SessionEvent.Client("1.1.0", "h2", "10.0.0.9"), "Acme staging", "eu-1",
                                json("{\"cache\":{\"enabled\":false}}"), "203.0.113.7",
                                "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "et-7d3f9a"),
                        new Enrolment("orch-legacy", Enrolment.Kind.LEFT, "s-10", "edge-2", T0, null, null, null, null,
                                "198.51.100.4", null, null))),
                entry(Topics.ENROLMENT_REFUSALS, List.of(
                        new EnrolmentRefusal("orch-stranger", T0.plusSeconds(86_400), T0))),
                entry(Topics.ENROLMENT_TOKENS, List.of(
                        new EnrolmentToken("et-7d3f9a", "acme",
                                "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                                T0.plusSeconds(86_400), false, true, T0))),
                entry(Topics.ACTIVITY, List.of(
                        new ActivityEntry(42, T0, "admin", "orchestrator.independence.set", "orchestrator", "orch-001",
                                json("{\"independent\":true}")))));
    }

    /** Every frame the controller sends. */
    public static List<OutboundFrame> outboundFrames() {
        return List.of(
                new HandshakeAck("orch-001", T0.toString(), "s-1", 30),
                new HandshakeAck("orch-new", T0.toString(), "s-2", 30, HandshakeAck.PENDING_APPROVAL),
                new Provisioning(new Provisioning.Data("orch-001", "Acme", "eu-1",
                        json("{\"cache\":{\"enabled\":false}}"), json("{}"))),
                new Provisioning(new Provisioning.Data("orch-new", null, null, json("{}"), json("{}"),
                        new Provisioning.Credential("mo_6Jq0Yt3nC8v2LrQ1xW9eZb4KsH7dPf5a"))),
                new ErrorFrame(ErrorCode.PENDING_APPROVAL, "waiting for an admin's approval; only heartbeats are taken", null),
                new ControllerHeartbeat("orch-001", T0.toString()),
                new IndependenceUpdate(new IndependenceUpdate.Data(true, false, 3)),
                new ReportAck(MESSAGE_ID),
                new ErrorFrame(ErrorCode.INVALID_MESSAGE, "monitoring_report: message_id is required", null));
    }
}
