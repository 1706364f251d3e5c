package ai.moolai.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.LivenessTransition;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TestKafka;
import ai.moolai.testsupport.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application end to end on the embedded broker: inputs in, liveness and transitions out. The
 * context closes after the class, so Streams stops while the run's broker is still there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"liveness.heartbeat-ttl=2s", "spring.kafka.streams.application-id=liveness-it"})
@ActiveProfiles("test")
@DirtiesContext
class LivenessStreamIntegrationTest {

    @TempDir
    static Path stateDir;

    private static TopicProbe<Liveness> liveness;
    private static TopicProbe<LivenessTransition> transitions;

    @LocalManagementPort
    private int managementPort;

    @DynamicPropertySource
    static void stateDir(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.streams.state-dir", stateDir::toString);
    }

    @BeforeAll
    static void probes() {
        liveness = TopicProbe.of(Topics.LIVENESS);
        transitions = TopicProbe.of(Topics.LIVENESS_TRANSITIONS);
    }

    @AfterAll
    static void closeProbes() throws InterruptedException {
        liveness.close();
        transitions.close();
    }

    @Test
    void becomesReadyOnceTheTopologyRuns() {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> Http.get(managementPort, "/actuator/health/readiness").statusCode() == 200);
    }

    @Test
    void derivesActiveThenInactiveFromRealTopics() throws Exception {
        String id = "it-" + UUID.randomUUID().toString().substring(0, 8);
        TestKafka.send(Topics.DESIRED_STATE, id, new DesiredState(id, "acme", "Acme", "eu-1", null, false, false, 1, null, false, Instant.now()));
        TestKafka.send(Topics.SESSION_EVENTS, id, SessionEvent.connected(id, "s-1", "edge-1", Instant.now(), null));
        TestKafka.send(Topics.HEARTBEATS, id, new Heartbeat(id, "s-1", "edge-1", 1L, null, Instant.now()));

        Liveness active = liveness.await(id, record -> record != null && record.status() == LivenessStatus.ACTIVE);
        assertThat(active.connected()).isTrue();

        LivenessTransition timeout = transitions.await(id, transition -> transition.to() == LivenessStatus.INACTIVE);
        assertThat(timeout.reason()).isEqualTo(LivenessReason.HEARTBEAT_TIMEOUT);
        assertThat(transitions.values(id)).extracting(LivenessTransition::to)
                .containsExactly(LivenessStatus.PENDING, LivenessStatus.ACTIVE, LivenessStatus.INACTIVE);

        String metrics = Http.get(managementPort, "/actuator/prometheus", Http.MANAGEMENT_TOKEN).body();
        assertThat(metrics).contains("liveness_orchestrators{status=\"INACTIVE\"}", "liveness_transitions_total",
                "liveness_punctuation_seconds", "liveness_flaps_total",
                "mooli_consumer_oldest_unprocessed_age_seconds{consumer=\"liveness-stream\"}");
        assertThat(metrics).as("the Streams clients' own metrics, the stream thread's consumer lag among them")
                .containsPattern("kafka_consumer_fetch_manager_records_lag_max\\{client_id=\"[^\"]*StreamThread-1-consumer\"");
    }

    @Test
    void anUnreadableHeartbeatAmongValidOnesGoesToItsDeadLetterTopicAndLivenessCarriesOn() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String before = "before-" + suffix;
        String poison = "poison-" + suffix;
        String after = "after-" + suffix;
        long poisonOffset;
        // One partition, so the poison sits between the two valid heartbeats.
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.HEARTBEATS.name(), 0, before, heartbeat(before))).get();
            poisonOffset = producer.send(new ProducerRecord<>(Topics.HEARTBEATS.name(), 0, poison,
                    "{\"receivedAt\":\"soon\"}".getBytes(StandardCharsets.UTF_8))).get().offset();
            producer.send(new ProducerRecord<>(Topics.HEARTBEATS.name(), 0, after, heartbeat(after))).get();
        }

        liveness.await(before, record -> record != null && record.status() == LivenessStatus.ACTIVE);
        liveness.await(after, record -> record != null && record.status() == LivenessStatus.ACTIVE);
        ConsumerRecord<String, byte[]> dead = deadLetter(poison);
        assertThat(dead.value()).asString(StandardCharsets.UTF_8).isEqualTo("{\"receivedAt\":\"soon\"}");
        assertThat(header(dead, DeadLetters.EXCEPTION_MESSAGE)).asString(StandardCharsets.UTF_8)
                .startsWith("unreadable orchestrator.heartbeats.v1 record: not a valid Heartbeat");
        assertThat(header(dead, DeadLetters.ORIGINAL_TOPIC)).asString(StandardCharsets.UTF_8).isEqualTo(Topics.HEARTBEATS.name());
        assertThat(ByteBuffer.wrap(header(dead, DeadLetters.ORIGINAL_PARTITION)).getInt()).isZero();
        assertThat(ByteBuffer.wrap(header(dead, DeadLetters.ORIGINAL_OFFSET)).getLong()).isEqualTo(poisonOffset);
        assertThat(Http.get(managementPort, "/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(Http.get(managementPort, "/actuator/prometheus", Http.MANAGEMENT_TOKEN).body())
                .contains("mooli_dead_lettered_total{topic=\"orchestrator.heartbeats.v1\"}");
    }

    private static byte[] heartbeat(String id) {
        return Topics.HEARTBEATS.valueSerde().serializer()
                .serialize(Topics.HEARTBEATS.name(), new Heartbeat(id, "s-1", "edge-1", 1L, null, Instant.now()));
    }

    private static byte[] header(ConsumerRecord<String, byte[]> record, String name) {
        return record.headers().lastHeader(name).value();
    }

    /** The record under this key on the heartbeats' dead-letter topic, once it is there. */
    private static ConsumerRecord<String, byte[]> deadLetter(String key) {
        return TestKafka.awaitDeadLetters(Topics.HEARTBEATS, record -> key.equals(record.key()), 1).get(0);
    }
}
