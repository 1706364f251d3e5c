package ai.moolai.control.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import ai.moolai.control.ControlApiTest;
import ai.moolai.control.ListenerBatches;
import ai.moolai.control.SseClient;
import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.LivenessTransition;
import ai.moolai.protocol.kafka.LivenessWindow;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.ConsumerWatch;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import tools.jackson.databind.JsonNode;

/** Liveness, transitions and windows on their topics become the API's view, and status changes reach SSE clients. */
@ControlApiTest
class LivenessMaterializationTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @LocalServerPort
    private int port;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @Autowired
    private ConsumerWatch consumers;

    @Autowired
    private ConsumerFactory<String, byte[]> consumerFactory;

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
        String id = api.createOrchestrator("live").orchestratorId();
        try (SseClient sse = SseClient.open(port, ApiClient.VIEWER).ready()) {
            TestKafka.send(Topics.LIVENESS, id, new Liveness(id, LivenessStatus.ACTIVE, LivenessReason.CONNECTED, T0, T0.plusSeconds(5),
                    true, "s-1", "edge-1", null, null, T0.plusSeconds(5)));

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> liveness(id).path("status").asString().equals("ACTIVE"));
            assertThat(liveness(id).path("connected").asBoolean()).isTrue();
            assertThat(liveness(id).path("lastSeen").asString()).isEqualTo("2026-11-27T10:00:05Z");
            SseClient.Event change = sse.awaitEvent(event -> "fleet".equals(event.name()) && event.data().contains(id));
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
    void aReplicaStartedAfterTheHeartbeatsKnowsTheLatestOfThem() {
        String id = "replayed-" + UUID.randomUUID();
        Instant earlier = Instant.now().minusSeconds(20);
        Instant latest = Instant.now().minusSeconds(10);
        TestKafka.send(Topics.HEARTBEATS, id, new Heartbeat(id, "s-1", "edge-1", null, null, earlier));
        TestKafka.send(Topics.HEARTBEATS, id, new Heartbeat(id, "s-1", "edge-1", null, null, latest));

        LastSeen started = new LastSeen(consumerFactory, new SimpleMeterRegistry(), Duration.ofMinutes(2));
        started.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> latest.equals(started.of(id, null)));
            assertThat(started.of(id, latest.plusSeconds(1))).as("a later stored one wins").isEqualTo(latest.plusSeconds(1));
            assertThat(started.drain()).containsEntry(id, latest);
        } finally {
            started.stop();
        }
    }

    @Test
    void materializesAnOrchestratorWhoseEdgeCouldNotBeHeardAsUnknown() {
        String id = api.createOrchestrator("unheard").orchestratorId();
        TestKafka.send(Topics.LIVENESS, id, new Liveness(id, LivenessStatus.UNKNOWN, LivenessReason.EDGE_LOST,
                T0.plusSeconds(35), T0.plusSeconds(5), true, "s-1", "edge-1", null, null, T0.plusSeconds(36)));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> liveness(id).path("status").asString().equals("UNKNOWN"));
        assertThat(liveness(id).path("reason").asString()).isEqualTo("edge_lost");
        var unknown = api.get("/api/v1/controller/orchestrator-instances?status=UNKNOWN&size=200", ApiClient.VIEWER).body();
        assertThat(unknown.path("items").valueStream().map(o -> o.path("orchestratorId").asString())).contains(id);
        var live = api.get("/api/v1/controller/orchestrators/live", ApiClient.VIEWER).body();
        assertThat(live.path("counts").path("UNKNOWN").asLong()).isPositive();
    }

    @Test
    void recordsTransitionsOnceAndWindowsByTheirLatestRecord() throws Exception {
        String id = api.createOrchestrator("history").orchestratorId();
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

    /**
     * An unreadable liveness record between two readable ones, all three in one batch (the
     * container is paused while they arrive): the records before and after it are materialized,
     * it is on the dead-letter topic, and the group's offsets move past all three.
     */
    @Test
    void deadLettersAnUnreadableRecordInTheMiddleOfABatchAndMaterializesTheRest() throws Exception {
        String before = api.createOrchestrator("before").orchestratorId();
        String poisoned = api.createOrchestrator("poison").orchestratorId();
        String after = api.createOrchestrator("after").orchestratorId();
        ListenerBatches.inOneBatch(listeners, LivenessMaterializer.STATE, List.of(
                value(Topics.LIVENESS, before, active(before)),
                new ProducerRecord<>(Topics.LIVENESS.name(), poisoned, "{\"status\":\"SLEEPY\"}".getBytes(StandardCharsets.UTF_8)),
                value(Topics.LIVENESS, after, active(after))));

        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> liveness(after).path("status").asString().equals("ACTIVE"));
        assertThat(liveness(before).path("status").asString()).isEqualTo("ACTIVE");
        assertThat(liveness(poisoned).path("status").asString()).isNotEqualTo("ACTIVE");
        ConsumerRecord<String, byte[]> dead = deadLetter(Topics.LIVENESS, poisoned);
        assertThat(header(dead, DeadLetters.EXCEPTION_MESSAGE)).contains("unreadable", "SLEEPY");
        assertThat(header(dead, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.LIVENESS.name());
        assertThat(consumers.progress(LivenessMaterializer.STATE).busyFor()).isEmpty();
    }

    /**
     * A window the database refuses (its end not after its start, which the table's check forbids)
     * between two it takes, in one batch: the batch is split until the refused record stands alone,
     * it is dead-lettered with the database's reason, and both others are stored.
     */
    @Test
    void isolatesAWindowTheDatabaseRefusesAndStoresTheOthersOfItsBatch() throws Exception {
        String id = api.createOrchestrator("windows").orchestratorId();
        ListenerBatches.inOneBatch(listeners, LivenessMaterializer.WINDOWS, List.of(
                value(Topics.LIVENESS_WINDOWS, id, new LivenessWindow(id, T0, T0.plusSeconds(60), 3, 20)),
                value(Topics.LIVENESS_WINDOWS, id, new LivenessWindow(id, T0.plusSeconds(60), T0.plusSeconds(60), 1, 1)),
                value(Topics.LIVENESS_WINDOWS, id, new LivenessWindow(id, T0.plusSeconds(120), T0.plusSeconds(180), 6, 30))));

        String windows = "/api/v1/controller/orchestrator-instances/" + id + "/windows?from=2026-11-27T09:00:00Z&to=2026-11-27T11:00:00Z";
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> api.get(windows, ApiClient.VIEWER).body().size() == 2);
        assertThat(api.get(windows, ApiClient.VIEWER).body().valueStream().map(w -> w.path("heartbeats").asLong()))
                .containsExactly(3L, 6L);
        ConsumerRecord<String, byte[]> dead = deadLetter(Topics.LIVENESS_WINDOWS, id);
        assertThat(header(dead, DeadLetters.EXCEPTION_MESSAGE)).contains("refused by the store", "check constraint");
        assertThat(Topics.LIVENESS_WINDOWS.valueSerde().deserializer().deserialize(Topics.LIVENESS_WINDOWS.name(), dead.value())
                .windowStart()).isEqualTo(T0.plusSeconds(60));
    }

    private static Liveness active(String id) {
        return new Liveness(id, LivenessStatus.ACTIVE, LivenessReason.HEARTBEAT, T0, T0, true, "s-1", "edge-1", null, null, T0);
    }

    private static <V> ProducerRecord<String, byte[]> value(Topic<V> topic, String key, V value) {
        return new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** Publishes the records while the listener is paused, so that its next poll hands them over as one batch. */
    private static ConsumerRecord<String, byte[]> deadLetter(Topic<?> topic, String key) {
        return TestKafka.awaitDeadLetters(topic, record -> key.equals(record.key()), 1).get(0);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
