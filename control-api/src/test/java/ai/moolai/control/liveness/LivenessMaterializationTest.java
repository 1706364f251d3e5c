package ai.moolai.control.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import ai.moolai.control.ControlApiTest;
import ai.moolai.control.SseClient;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.LivenessTransition;
import ai.moolai.protocol.kafka.LivenessWindow;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Liveness, transitions and windows on their topics become the API's view, and status changes reach SSE clients. */
@ControlApiTest
class LivenessMaterializationTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @LocalServerPort
    private int port;

    private ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    private JsonNode liveness(String id) {
        return api.get("/api/v1/controller/orchestrator-instances/" + id, ApiClient.VIEWER).body().path("liveness");
    }

    @Test
    void materializesTheCurrentStateAndStreamsTheChange() throws Exception {
        String id = api.createOrchestrator("live")[0];
        try (SseClient sse = new SseClient(port, ApiClient.VIEWER).ready()) {
            TestKafka.send(Topics.LIVENESS, id, new Liveness(id, LivenessStatus.ACTIVE, LivenessReason.CONNECTED, T0, T0.plusSeconds(5),
                    true, "s-1", "edge-1", null, null, T0.plusSeconds(5)));

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> liveness(id).path("status").asString().equals("ACTIVE"));
            assertThat(liveness(id).path("connected").asBoolean()).isTrue();
            assertThat(liveness(id).path("lastSeen").asString()).isEqualTo("2026-11-27T10:00:05Z");
            SseClient.Event change = sse.awaitEvent(event -> "liveness".equals(event.name()) && event.data().contains(id));
            assertThat(change.data()).contains("\"status\":\"ACTIVE\"");
        }

        TestKafka.send(Topics.LIVENESS, id, new Liveness(id, LivenessStatus.INACTIVE, LivenessReason.HEARTBEAT_TIMEOUT, T0,
                T0, false, "s-1", "edge-1", null, null, T0.plusSeconds(1)));
        TestKafka.send(Topics.LIVENESS, id, new Liveness(id, LivenessStatus.ACTIVE, LivenessReason.HEARTBEAT, T0, T0.plusSeconds(40),
                true, "s-1", "edge-1", null, null, T0.plusSeconds(40)));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> liveness(id).path("lastSeen").asString().equals("2026-11-27T10:00:40Z"));
        assertThat(liveness(id).path("status").asString()).as("the older record did not win").isEqualTo("ACTIVE");
        var live = api.get("/api/v1/controller/orchestrators/live", ApiClient.VIEWER).body();
        assertThat(live.path("orchestrators").valueStream().map(o -> o.path("orchestratorId").asString())).contains(id);
    }

    @Test
    void recordsTransitionsOnceAndWindowsByTheirLatestRecord() throws Exception {
        String id = api.createOrchestrator("history")[0];
        LivenessTransition timeout = new LivenessTransition(id, LivenessStatus.ACTIVE, LivenessStatus.INACTIVE,
                LivenessReason.HEARTBEAT_TIMEOUT, T0.plusSeconds(30), new LivenessTransition.Evidence(T0, "s-1", "edge-1", null, null));
        TestKafka.send(Topics.LIVENESS_TRANSITIONS, id, new LivenessTransition(id, null, LivenessStatus.ACTIVE,
                LivenessReason.CONNECTED, T0, null));
        TestKafka.send(Topics.LIVENESS_TRANSITIONS, id, timeout);
        TestKafka.send(Topics.LIVENESS_TRANSITIONS, id, timeout);
        TestKafka.send(Topics.LIVENESS_WINDOWS, id, new LivenessWindow(id, T0, T0.plusSeconds(60), 3, 20));
        TestKafka.send(Topics.LIVENESS_WINDOWS, id, new LivenessWindow(id, T0, T0.plusSeconds(60), 6, 30));

        String transitions = "/api/v1/controller/orchestrator-instances/" + id + "/transitions";
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get(transitions, ApiClient.VIEWER).body().path("total").asLong() == 2);
        var history = api.get(transitions, ApiClient.VIEWER).body().path("items");
        assertThat(history.get(0).path("to").asString()).isEqualTo("INACTIVE");
        assertThat(history.get(0).path("reason").asString()).isEqualTo("heartbeat_timeout");
        assertThat(history.get(0).path("evidence").path("lastSeen").asString()).isEqualTo("2026-11-27T10:00:00Z");

        String windows = "/api/v1/controller/orchestrator-instances/" + id + "/windows?from=2026-11-27T09:00:00Z&to=2026-11-27T11:00:00Z";
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get(windows, ApiClient.VIEWER).body().path(0).path("heartbeats").asLong() == 6);
        assertThat(api.get(windows, ApiClient.VIEWER).body().size()).isEqualTo(1);
        assertThat(api.get(windows.replace("2026-11-27T09", "2026-11-17T09"), ApiClient.VIEWER).status())
                .as("more than 7 days").isEqualTo(400);
    }

    @Test
    void deadLettersAnUnreadableRecordAndMaterializesTheRest() throws Exception {
        String id = api.createOrchestrator("poison")[0];
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.LIVENESS.name(), id, "{\"status\":\"SLEEPY\"}")).get();
        }
        TestKafka.send(Topics.LIVENESS, id, new Liveness(id, LivenessStatus.ACTIVE, LivenessReason.HEARTBEAT, T0, T0, true,
                "s-1", "edge-1", null, null, T0));

        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> liveness(id).path("status").asString().equals("ACTIVE"));
    }

    @Test
    void refusesAnEventStreamWithoutAToken() {
        try (SseClient anonymous = new SseClient(port, "wrong")) {
            assertThat(anonymous.status()).isEqualTo(401);
        }
    }
}
