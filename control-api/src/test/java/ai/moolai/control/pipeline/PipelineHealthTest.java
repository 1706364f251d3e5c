package ai.moolai.control.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ai.moolai.control.ControlApiTest;
import ai.moolai.protocol.kafka.EdgeBeacon;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TestKafka;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The pipeline health page's figures, gathered from the real broker, database and services: a
 * service that does not answer, a consumer group behind with an old record, dead letters, an edge's
 * sessions, each said, and degraded for what is wrong.
 */
@ControlApiTest
class PipelineHealthTest {

    /** A service instance whose management port says it is ready. */
    private static final HttpServer READY = ready();
    private static final int NOBODY = freePort();

    @LocalServerPort
    private int port;

    private ApiClient api;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("controller.pipeline.services", () -> "ws-edge=http://127.0.0.1:" + READY.getAddress().getPort()
                + ",report-ingest=http://127.0.0.1:" + NOBODY);
    }

    @AfterAll
    static void stop() {
        READY.stop(0);
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void saysWhatEachPartOfThePipelineIsDoingAndWhatMakesItDegraded() throws Exception {
        String topic = "pipeline-" + UUID.randomUUID();
        String group = "pipeline-group-" + UUID.randomUUID();
        String edge = "edge-" + UUID.randomUUID().toString().substring(0, 8);
        // Gathered a second or so after start: 503 until then.
        Awaitility.await().until(() -> api.get("/api/v1/controller/pipeline", ApiClient.VIEWER).status() == 200);
        long deadLettersBefore = deadLetters(api.get("/api/v1/controller/pipeline", ApiClient.VIEWER).body());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
             var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     TestKafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            long old = Instant.now().minusSeconds(120).toEpochMilli();
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, 0, old + i, null, new byte[] {(byte) i})).get();
            }
            producer.send(new ProducerRecord<>(Topics.REPORTS.deadLetterName(), "a".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(Topics.REPORTS.deadLetterName(), "b".getBytes(StandardCharsets.UTF_8))).get();
        }
        // The group read the first record and committed: two are left, the oldest two minutes old.
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, group), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));
        }
        // An edge beacons to every partition; the page reads the first.
        try (var beacons = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), Topics.EDGE_BEACONS.keySerde().serializer(),
                Topics.EDGE_BEACONS.valueSerde().serializer())) {
            beacons.send(new ProducerRecord<>(Topics.EDGE_BEACONS.name(), 0, edge,
                    new EdgeBeacon(edge, Instant.now(), 7, true, false))).get();
        }

        Awaitility.await().untilAsserted(() -> {
            JsonNode pipeline = api.get("/api/v1/controller/pipeline", ApiClient.VIEWER).body();
            assertThat(pipeline.path("status").asString()).isEqualTo("degraded");
            assertThat(pipeline.path("services").toString())
                    .contains("{\"service\":\"control-api\",\"instance\":\"this instance\",\"status\":\"UP\"}")
                    .contains("{\"service\":\"ws-edge\",\"instance\":\"#1\",\"status\":\"UP\"}")
                    .contains("{\"service\":\"report-ingest\",\"instance\":\"#1\",\"status\":\"UNREACHABLE\"}")
                    .as("where the services listen is not told").doesNotContain("127.0.0.1");
            JsonNode behind = find(pipeline.path("consumers"), "group", group);
            assertThat(behind.path("topic").asString()).isEqualTo(topic);
            assertThat(behind.path("lag").asLong()).isEqualTo(2);
            assertThat(behind.path("oldestAgeSeconds").asDouble()).isBetween(110.0, 300.0);
            assertThat(deadLetters(pipeline)).isEqualTo(deadLettersBefore + 2);
            JsonNode heard = find(pipeline.path("edges"), "edgeId", edge);
            assertThat(heard.path("sessions").asInt()).isEqualTo(7);
            assertThat(heard.path("publishing").asBoolean()).isTrue();
            assertThat(pipeline.path("outbox").has("backlog")).isTrue();
            assertThat(pipeline.path("problems").toString())
                    .contains("report-ingest #1 is UNREACHABLE")
                    .contains(group + " is 2 records behind on " + topic + ", the oldest");
        });
        assertThat(api.get("/api/v1/controller/pipeline", null).status()).isEqualTo(401);
    }

    private static long deadLetters(JsonNode pipeline) {
        return find(pipeline.path("deadLetters"), "topic", Topics.REPORTS.deadLetterName()).path("records").asLong();
    }

    private static JsonNode find(JsonNode items, String field, String value) {
        for (JsonNode item : items) {
            if (item.path(field).asString().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + items);
    }

    private static HttpServer ready() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/actuator/health/readiness", exchange -> {
                byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
