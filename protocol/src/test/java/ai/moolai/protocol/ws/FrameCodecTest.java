package ai.moolai.protocol.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import ai.moolai.protocol.Samples;
import ai.moolai.protocol.Timestamps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameCodecTest {

    private static InboundFrame accepted(String text) {
        Decoded<InboundFrame> decoded = FrameCodec.decodeInbound(text);
        assertThat(decoded).isInstanceOf(Decoded.Ok.class);
        return ((Decoded.Ok<InboundFrame>) decoded).frame();
    }

    private static Decoded.Rejected<InboundFrame> rejected(String text) {
        Decoded<InboundFrame> decoded = FrameCodec.decodeInbound(text);
        assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
        return (Decoded.Rejected<InboundFrame>) decoded;
    }

    @Test
    void acceptsTheSeedHandshakeExactly() {
        Handshake handshake = (Handshake) accepted("""
                {"type":"handshake","service":"orchestrator",
                 "data":{"orchestrator_id":"orch-001","token":"<optional>",
                         "metadata":{"version":"1.0.0","hostname":"h","ip":"10.0.0.5","ssl_enabled":false,
                                     "name":"Acme","location":"eu-1","features":{"cache":{"enabled":false}}}},
                 "timestamp":"2026-11-27T10:00:00.000+00:00"}""");

        assertThat(handshake.orchestratorId()).isEqualTo("orch-001");
        assertThat(handshake.data().token()).isEqualTo("<optional>");
        assertThat(handshake.data().metadata().sslEnabled()).isFalse();
        assertThat(handshake.data().metadata().features().path("cache").path("enabled").asBoolean(true)).isFalse();
        assertThat(Timestamps.parse(handshake.timestamp())).contains(Instant.parse("2026-11-27T10:00:00Z"));
    }

    @Test
    void acceptsTheSeedHeartbeatWithAndWithoutSeq() {
        assertThat(accepted("{\"type\":\"i_am_alive\",\"timestamp\":\"2026-11-27T10:00:10.000+00:00\",\"seq\":1}"))
                .isEqualTo(new IAmAlive("2026-11-27T10:00:10.000+00:00", 1L));
        assertThat(accepted("{\"type\":\"i_am_alive\",\"timestamp\":\"2026-11-27T10:00:10.123456\"}"))
                .isEqualTo(new IAmAlive("2026-11-27T10:00:10.123456", null));
    }

    @Test
    void acceptsTheOlderKeepaliveAsAHeartbeat() {
        Keepalive keepalive = (Keepalive) accepted("{\"type\":\"keepalive\",\"timestamp\":\"2026-11-27T10:00:10Z\"}");
        assertThat(keepalive.asIAmAlive()).isEqualTo(new IAmAlive("2026-11-27T10:00:10Z", null));
        assertThat(FrameCodec.typeOf(keepalive)).isEqualTo("keepalive");
    }

    @Test
    void acceptsReportsAsProtocolShowsThem() {
        MonitoringReport report = (MonitoringReport) accepted("""
                {"type":"monitoring_report","message_id":"6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f","timestamp":"2026-11-27T10:01:00Z",
                 "data":{"cpu_pct":41.5,"mem_pct":63.0,"requests_per_min":1200,"error_rate":0.002,"extra":{"a":[1,2]}}}""");
        assertThat(report.messageId()).isEqualTo(Samples.MESSAGE_ID);
        assertThat(report.data().path("requests_per_min").asInt()).isEqualTo(1200);

        Recommendation recommendation = (Recommendation) accepted("""
                {"type":"recommendation","message_id":"9a2e4b6c-1d3f-4a5b-8c7d-0e1f2a3b4c5d","timestamp":"2026-11-27T10:02:00Z",
                 "data":{"title":"Enable response cache","description":"Hit rate would be 38%.","severity":"warning",
                         "category":"performance","proposed_action":{"feature":"cache","enabled":true}}}""");
        assertThat(recommendation.data().severity()).isEqualTo("warning");
        assertThat(recommendation.data().proposedAction().path("feature").asString()).isEqualTo("cache");
    }

    @Test
    void acceptsTheRemainingSeedFrames() {
        assertThat(accepted("{\"type\":\"independence_ack\",\"data\":{\"is_independent\":true,\"version\":3,\"env_file_updated\":true}}"))
                .isEqualTo(new IndependenceAck(new IndependenceAck.Data(true, 3L, true)));
        assertThat(accepted("{\"type\":\"provisioning_request\"}")).isEqualTo(new ProvisioningRequest());
        ConfigSnapshot snapshot = (ConfigSnapshot) accepted(
                "{\"type\":\"o_config_snapshot\",\"timestamp\":\"2026-11-27T10:03:00Z\",\"data\":{\"workers\":4}}");
        assertThat(snapshot.messageId()).isNull();
        assertThat(snapshot.data().path("workers").asInt()).isEqualTo(4);
    }

    @Test
    void ignoresUnknownFields() {
        assertThat(accepted("{\"type\":\"i_am_alive\",\"seq\":2,\"orchestrator_id\":\"someone-else\",\"x\":{\"y\":1}}"))
                .isEqualTo(new IAmAlive(null, 2L));
    }

    @Test
    void recommendationSeverityDefaultsToInfo() {
        Recommendation recommendation = (Recommendation) accepted(
                "{\"type\":\"recommendation\",\"message_id\":\"" + UUID.randomUUID() + "\",\"data\":{\"title\":\"t\"}}");
        assertThat(recommendation.data().severity()).isEqualTo("info");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                    | {\"type\":                                              | invalid_json",
            "an array                    | [1,2]                                                   | invalid_json",
            "a string                    | \"i_am_alive\"                                          | invalid_json",
            "no type                     | {\"seq\":1}                                             | invalid_message",
            "type not a string           | {\"type\":7}                                            | invalid_message",
            "unknown type                | {\"type\":\"launch_missiles\"}                          | unknown_type",
            "seq of the wrong type       | {\"type\":\"i_am_alive\",\"seq\":\"abc\"}               | invalid_message",
            "report without message_id   | {\"type\":\"monitoring_report\",\"data\":{}}            | invalid_message",
            "report with a bad uuid      | {\"type\":\"monitoring_report\",\"message_id\":\"x\",\"data\":{}} | invalid_message",
            "report data not an object   | {\"type\":\"monitoring_report\",\"message_id\":\"6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f\",\"data\":[1]} | invalid_message",
            "bad severity                | {\"type\":\"recommendation\",\"message_id\":\"6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f\",\"data\":{\"title\":\"t\",\"severity\":\"meh\"}} | invalid_message",
            "recommendation without title| {\"type\":\"recommendation\",\"message_id\":\"6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f\",\"data\":{}} | invalid_message",
            "handshake without data      | {\"type\":\"handshake\"}                                | invalid_message",
            "ack without version         | {\"type\":\"independence_ack\",\"data\":{\"is_independent\":true}} | invalid_message",
            "outbound type sent inbound  | {\"type\":\"handshake_ack\"}                            | unknown_type"})
    void turnsMalformedInputIntoATypedRejection(String why, String text, String code) {
        Decoded.Rejected<InboundFrame> rejected = rejected(text);

        assertThat(rejected.code().wireName()).isEqualTo(code);
        assertThat(rejected.message()).isNotBlank();
        assertThat(rejected.toErrorFrame().code()).isEqualTo(code);
    }

    @Test
    void namesTheTypeOfAKnownFrameItRejects() {
        assertThat(rejected("{\"type\":\"handshake\"}").type()).isEqualTo("handshake");
        assertThat(rejected("{\"type\":\"nope\"}").type()).isNull();
    }

    @Test
    void refusesNestingDeeperThanThirtyTwo() {
        String deep = "{\"type\":\"monitoring_report\",\"message_id\":\"6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f\",\"data\":"
                + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}";
        assertThat(rejected(deep).code()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(rejected(deep).message()).contains("32");

        String fine = "{\"type\":\"monitoring_report\",\"message_id\":\"6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f\",\"data\":"
                + "{\"a\":".repeat(20) + "1" + "}".repeat(20) + "}";
        assertThat(accepted(fine)).isInstanceOf(MonitoringReport.class);
    }

    @Test
    void namesTheMessageIdOfARejectedReport() {
        assertThat(rejected("{\"type\":\"recommendation\",\"message_id\":\"9a2e4b6c-1d3f-4a5b-8c7d-0e1f2a3b4c5d\",\"data\":{}}").ref())
                .isEqualTo("9a2e4b6c-1d3f-4a5b-8c7d-0e1f2a3b4c5d");
    }

    @Test
    void encodesControllerFramesInTheShapeTheSeedClientExpects() {
        assertThat(FrameCodec.encode(new HandshakeAck("orch-001", "2026-11-27T10:00:00Z", "s-1", 30)))
                .isEqualTo("{\"type\":\"handshake_ack\",\"orch_id\":\"orch-001\",\"ts\":\"2026-11-27T10:00:00Z\","
                        + "\"session_id\":\"s-1\",\"heartbeat_ttl_sec\":30}");
        assertThat(FrameCodec.encode(new IndependenceUpdate(new IndependenceUpdate.Data(true, false, 3))))
                .isEqualTo("{\"type\":\"independence_update\",\"data\":{\"is_independent\":true,\"privacy_mode\":false,\"version\":3}}");
        assertThat(FrameCodec.encode(new ReportAck(Samples.MESSAGE_ID)))
                .isEqualTo("{\"type\":\"report_ack\",\"message_id\":\"6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f\"}");
    }

    @Test
    void namesTheWireTypeOfAFrame() {
        assertThat(FrameCodec.typeOf(new IAmAlive(null, null))).isEqualTo("i_am_alive");
        assertThat(FrameCodec.typeOf(new ErrorFrame("x", "y", null))).isEqualTo("error");
    }

    @Test
    void controllerFramesSurviveARoundTrip() {
        for (OutboundFrame frame : Samples.outboundFrames()) {
            assertThat(FrameCodec.decodeOutbound(FrameCodec.encode(frame))).isEqualTo(new Decoded.Ok<>(frame));
        }
    }

    @Test
    void orchestratorFramesSurviveARoundTrip() {
        IAmAlive alive = new IAmAlive("2026-11-27T10:00:10Z", 9L);
        assertThat(FrameCodec.decodeInbound(FrameCodec.encode(alive))).isEqualTo(new Decoded.Ok<>(alive));
    }

    /** What PostgreSQL could not store is refused at the door, naming the field, never acknowledged. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"cpu\":\"a\\u0000b\"}                     | data.cpu: text may not contain U+0000",
            "{\"k\\u0000\":1}                             | data key: text may not contain U+0000",
            "{\"deep\":[{\"x\":\"\\ud800\"}]}          | data.deep[0].x: text may not contain an unpaired UTF-16 surrogate",
            "{\"big\":1e400}                               | data.big: a number too large to store",
            "{\"ok\":\"\\ud83d\\ude00\",\"big\":-1e999} | data.big: a number too large to store"})
    void refusesReportDataTheDatabaseCannotStore(String data, String problem) {
        for (String type : new String[] {"monitoring_report", "o_config_snapshot"}) {
            Decoded.Rejected<InboundFrame> refused = rejected("{\"type\":\"" + type + "\",\"message_id\":\""
                    + Samples.MESSAGE_ID + "\",\"data\":" + data + "}");
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
            assertThat(refused.message()).isEqualTo(type + ": " + problem);
            assertThat(refused.ref()).isEqualTo(Samples.MESSAGE_ID.toString());
        }
    }

    @Test
    void refusesATimestampTheDatabaseCannotStoreButNotAnUnreadableOne() {
        String report = "{\"type\":\"monitoring_report\",\"message_id\":\"" + Samples.MESSAGE_ID
                + "\",\"data\":{},\"timestamp\":\"%s\"}";
        assertThat(rejected(report.formatted("+10000-01-01T00:00:00Z")).message())
                .isEqualTo("monitoring_report: timestamp: a time outside the years 0001 to 9999");
        assertThat(rejected(report.formatted("-0001-12-31T00:00:00Z")).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(accepted(report.formatted("9999-12-31T23:59:59Z"))).isInstanceOf(MonitoringReport.class);
        assertThat(accepted(report.formatted("yesterday-ish"))).as("a clock is evidence").isInstanceOf(MonitoringReport.class);
    }

    @Test
    void refusesARecommendationAndAHandshakeCarryingUnstorableText() {
        assertThat(rejected("{\"type\":\"recommendation\",\"message_id\":\"" + Samples.MESSAGE_ID
                + "\",\"data\":{\"title\":\"ok\",\"description\":\"x\\u0000\"}}").message())
                .isEqualTo("recommendation: data.description: text may not contain U+0000");
        Decoded.Rejected<InboundFrame> handshake = rejected("{\"type\":\"handshake\",\"data\":{\"orchestrator_id\":\"o\","
                + "\"metadata\":{\"hostname\":\"h\\u0000\"}}}");
        assertThat(handshake.type()).isEqualTo("handshake");
        assertThat(handshake.message()).contains("data.metadata.hostname");
    }
}
