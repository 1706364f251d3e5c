package ai.moolai.ingest.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TcpProxy;
import ai.moolai.testsupport.TestDatabase;
import ai.moolai.testsupport.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * report-ingest on the embedded broker and real PostgreSQL, reached through a proxy the tests can
 * cut to take the database away.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.connection-timeout=1000")
@ActiveProfiles("test")
@DirtiesContext
class ReportIngestorTest {

    private static final TcpProxy DATABASE = proxy();

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcClient jdbc;

    private final JdbcClient direct = JdbcClient.create(new DriverManagerDataSource(TestDatabase.perRun().jdbcUrl(),
            TestDatabase.perRun().username(), TestDatabase.perRun().password()));

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase database = TestDatabase.perRun();
        registry.add("spring.datasource.url", () -> database.jdbcUrlVia(DATABASE.port()));
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }

    @AfterAll
    static void closeProxy() throws Exception {
        DATABASE.close();
    }

    private static TcpProxy proxy() {
        try {
            return new TcpProxy(5432);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Report monitoring(String orchestrator, UUID messageId) {
        return new Report(messageId, orchestrator, "s-1", Report.Kind.MONITORING_REPORT, Instant.now(), Instant.now(),
                Json.events().readTree("{\"cpu_pct\":41.5}"));
    }

    private static Report recommendation(String orchestrator, UUID messageId, String severity) {
        return new Report(messageId, orchestrator, "s-1", Report.Kind.RECOMMENDATION, null, Instant.now(),
                Json.events().readTree("{\"title\":\"Enable cache\",\"severity\":\"" + severity + "\","
                        + "\"proposed_action\":{\"feature\":\"cache\",\"enabled\":true}}"));
    }

    private static void send(List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (var record : records) {
                producer.send(record).get();
            }
        }
    }

    private static ProducerRecord<String, byte[]> record(Report report) {
        return new ProducerRecord<>(Topics.REPORTS.name(), report.orchestratorId(),
                Topics.REPORTS.valueSerde().serializer().serialize(Topics.REPORTS.name(), report));
    }

    private static ProducerRecord<String, byte[]> raw(String key, String value) {
        return new ProducerRecord<>(Topics.REPORTS.name(), key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Rows stored for this orchestrator, read from the database directly, not through the proxy. */
    private long stored(String orchestrator) {
        return direct.sql("SELECT (SELECT count(*) FROM orchestrator_reports WHERE orchestrator_id = :o)"
                + " + (SELECT count(*) FROM recommendations WHERE orchestrator_id = :o)").param("o", orchestrator)
                .query(Long.class).single();
    }

    @Test
    void storesADuplicateOnce() throws Exception {
        String orchestrator = "dup-" + UUID.randomUUID().toString().substring(0, 8);
        Report report = monitoring(orchestrator, UUID.randomUUID());
        Report recommendation = recommendation(orchestrator, UUID.randomUUID(), "warning");
        send(List.of(record(report), record(recommendation), record(report), record(recommendation)));
        send(List.of(record(report)));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> stored(orchestrator) == 2);
        String marker = "after-" + orchestrator;
        send(List.of(record(monitoring(marker, UUID.randomUUID()))));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> stored(marker) == 1);
        assertThat(stored(orchestrator)).isEqualTo(2);
        assertThat(jdbc.sql("SELECT severity || ' ' || title || ' ' || (proposed_action->>'feature') FROM recommendations "
                + "WHERE orchestrator_id = :o").param("o", orchestrator).query(String.class).single())
                .isEqualTo("warning Enable cache cache");
        assertThat(Http.get(port, "/actuator/prometheus").body()).contains("ingest_rows_total", "ingest_batch_size");
    }

    @Test
    void deadLettersPoisonRecordsAndStoresTheRecordsAroundThem() throws Exception {
        String orchestrator = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        send(List.of(
                record(monitoring(orchestrator, UUID.randomUUID())),
                raw(orchestrator, "{not json"),
                raw(orchestrator, "{\"schemaVersion\":1,\"messageId\":\"" + UUID.randomUUID() + "\",\"orchestratorId\":\""
                        + orchestrator + "\",\"kind\":\"monitoring_report\",\"receivedAt\":\"2026-11-27T10:00:00Z\"}"),
                record(recommendation(orchestrator, UUID.randomUUID(), "apocalyptic")),
                new ProducerRecord<>(Topics.REPORTS.name(), orchestrator,
                        record(monitoring("someone-else", UUID.randomUUID())).value()),
                record(recommendation(orchestrator, UUID.randomUUID(), "critical"))));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> stored(orchestrator) == 2);
        List<ConsumerRecord<String, byte[]>> dead = deadLettersOf(orchestrator, 4);
        assertThat(dead).extracting(record -> new String(record.headers().lastHeader(DeadLetters.EXCEPTION_MESSAGE).value(),
                StandardCharsets.UTF_8)).anySatisfy(message -> assertThat(message).contains("not JSON"))
                .anySatisfy(message -> assertThat(message).contains("data"))
                .anySatisfy(message -> assertThat(message).contains("severity"))
                .anySatisfy(message -> assertThat(message).contains("orchestratorId"));
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.ORIGINAL_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.REPORTS.name());
    }

    @Test
    void losesNothingWhenTheDatabaseGoesAwayMidStream() throws Exception {
        String orchestrator = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        List<ProducerRecord<String, byte[]>> first = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> second = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(record(monitoring(orchestrator, UUID.randomUUID())));
            second.add(record(i % 10 == 0 ? recommendation(orchestrator, UUID.randomUUID(), "info")
                    : monitoring(orchestrator, UUID.randomUUID())));
        }
        send(first);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> stored(orchestrator) > 0);

        DATABASE.cut();
        send(second);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(port, "/actuator/health/readiness").statusCode() == 503);

        DATABASE.restore();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stored(orchestrator) == 600);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(port, "/actuator/health/readiness").statusCode() == 200);
        assertThat(stored(orchestrator)).isEqualTo(600);
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(String orchestrator, int expected) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.REPORTS.deadLetterName()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (orchestrator.equals(record.key())) {
                        found.add(record);
                    }
                });
                return found.size() >= expected;
            });
        }
        return found;
    }
}
