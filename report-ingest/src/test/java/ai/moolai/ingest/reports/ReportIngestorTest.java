package ai.moolai.ingest.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.Decoded;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.InboundFrame;
import ai.moolai.protocol.ws.MonitoringReport;
import ai.moolai.service.consumer.ConsumerProgress;
import ai.moolai.service.consumer.ConsumerWatch;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TcpProxy;
import ai.moolai.testsupport.TestDatabase;
import ai.moolai.testsupport.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
import org.springframework.boot.test.web.server.LocalManagementPort;
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

    @LocalManagementPort
    private int managementPort;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private ConsumerWatch consumers;

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
        assertThat(Http.get(managementPort, "/actuator/prometheus", Http.MANAGEMENT_TOKEN).body())
                .contains("ingest_rows_total", "ingest_batch_size");
    }

    @Test
    void storesEveryColumnAsItWasSent() throws Exception {
        String orchestrator = "cols-" + UUID.randomUUID().toString().substring(0, 8);
        Instant produced = Instant.parse("2026-12-06T10:15:30.123456789Z");
        Instant received = Instant.parse("1999-12-31T23:59:59.999999Z");
        Report snapshot = new Report(UUID.randomUUID(), orchestrator, "s-1", Report.Kind.CONFIG_SNAPSHOT, produced,
                received, Json.events().readTree("{\"env\":{\"MODE\":\"é ✓\",\"list\":[1,2.5,null,\"a\\\"b\"]}}"));
        Report bare = new Report(UUID.randomUUID(), orchestrator, "s-1", Report.Kind.RECOMMENDATION, null, received,
                Json.events().readTree("{\"title\":\"Bare\",\"description\":null,\"proposed_action\":null}"));
        Report full = new Report(UUID.randomUUID(), orchestrator, "s-1", Report.Kind.RECOMMENDATION, produced, received,
                Json.events().readTree("{\"title\":\"Full\",\"description\":\"why\",\"severity\":\"critical\","
                        + "\"category\":\"cost\",\"proposed_action\":{\"scale\":2}}"));
        send(List.of(record(snapshot), record(bare), record(full)));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> stored(orchestrator) == 3);
        assertThat(direct.sql("SELECT message_id, kind, produced_at, received_at, data::text FROM orchestrator_reports "
                        + "WHERE orchestrator_id = :o").param("o", orchestrator)
                .query((row, n) -> List.of(row.getObject(1), row.getString(2), row.getTimestamp(3).toInstant(),
                        row.getTimestamp(4).toInstant(), Json.events().readTree(row.getString(5))))
                .single())
                .containsExactly(snapshot.messageId(), "config_snapshot", Instant.parse("2026-12-06T10:15:30.123457Z"),
                        received, snapshot.data());
        assertThat(direct.sql("""
                        SELECT title, description, severity, category, proposed_action::text, produced_at IS NULL,
                               data::text, received_at = :received
                        FROM recommendations WHERE orchestrator_id = :o ORDER BY title""")
                .param("o", orchestrator).param("received", Timestamp.from(received))
                .query((row, n) -> Arrays.asList(row.getString(1), row.getString(2), row.getString(3),
                        row.getString(4), row.getString(5), row.getBoolean(6),
                        Json.events().readTree(row.getString(7)), row.getBoolean(8)))
                .list())
                .containsExactly(
                        Arrays.asList("Bare", null, "info", null, null, true, bare.data(), true),
                        Arrays.asList("Full", "why", "critical", "cost", "{\"scale\": 2}", false, full.data(),
                                true));
    }

    @Test
    void answersHealthAndMetricsOnItsManagementPortOnly() throws Exception {
        assertThat(Http.get(port, "/actuator/health/readiness").statusCode()).isEqualTo(404);
        assertThat(Http.get(port, "/actuator/prometheus", Http.MANAGEMENT_TOKEN).statusCode()).isEqualTo(404);

        assertThat(Http.get(managementPort, "/actuator/health/readiness").body()).as("its status only")
                .matches("\\{\"status\":\"[A-Z_]+\"}");
        assertThat(Http.get(managementPort, "/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(Http.get(managementPort, "/actuator/health/readiness", Http.MANAGEMENT_TOKEN).body()).contains("\"db\"");
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
                Http.get(managementPort, "/actuator/health/readiness").statusCode() == 503);

        DATABASE.restore();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stored(orchestrator) == 600);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(managementPort, "/actuator/health/readiness").statusCode() == 200);
        assertThat(stored(orchestrator)).isEqualTo(600);
    }

    /**
     * The database gets a rule the code does not know (a check constraint refusing reports marked
     * {@code refuse_me}), and the refused reports stand at the start, the middle and the end of each
     * partition's run. The database is away while the batch arrives, so the whole run is one batch
     * when it comes back: every valid report is stored once, every refused one is on the dead-letter
     * topic with the database's reason, the group's offsets are past all of them, health is UP.
     */
    @Test
    void isolatesWhatTheDatabaseRefusesAndStoresEveryOtherRecordOfTheBatch() throws Exception {
        String prefix = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        direct.sql("ALTER TABLE orchestrator_reports ADD CONSTRAINT refuses_marked_reports CHECK (data -> 'refuse_me' IS NULL)")
                .update();
        try {
            int partitions = partitionsOf(Topics.REPORTS.name());
            List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
            List<UUID> valid = new ArrayList<>();
            List<UUID> refused = new ArrayList<>();
            for (int partition = 0; partition < partitions; partition++) {
                String orchestrator = prefix + "-" + partition;
                for (int i = 0; i < 9; i++) {
                    boolean refuse = i == 0 || i == 4 || i == 8;
                    UUID messageId = UUID.randomUUID();
                    (refuse ? refused : valid).add(messageId);
                    Report report = new Report(messageId, orchestrator, "s-1", Report.Kind.MONITORING_REPORT, null,
                            Instant.now(), Json.events().readTree(refuse ? "{\"refuse_me\":true}" : "{\"cpu_pct\":" + i + "}"));
                    batch.add(new ProducerRecord<>(Topics.REPORTS.name(), partition, orchestrator,
                            Topics.REPORTS.valueSerde().serializer().serialize(Topics.REPORTS.name(), report)));
                }
            }
            ConsumerProgress progress = consumers.progress(ReportIngestor.CONSUMER);
            DATABASE.cut();
            sendTogether(batch);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> progress.busyFor().isPresent());
            DATABASE.restore();

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> storedMessages(prefix).size() == valid.size());
            List<ConsumerRecord<String, byte[]>> dead = deadLettersOf(record -> record.key().startsWith(prefix),
                    refused.size());
            assertThat(dead).extracting(record -> Topics.REPORTS.valueSerde().deserializer()
                    .deserialize(Topics.REPORTS.name(), record.value()).messageId())
                    .containsExactlyInAnyOrderElementsOf(refused);
            assertThat(dead).allSatisfy(record -> assertThat(header(record, DeadLetters.EXCEPTION_MESSAGE))
                    .contains("refused by the store", "refuses_marked_reports"));
            assertThat(storedMessages(prefix)).containsExactlyInAnyOrderElementsOf(valid);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> committedToTheEnd(ReportIngestor.CONSUMER,
                    Topics.REPORTS.name()));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    Http.get(managementPort, "/actuator/health/readiness").statusCode() == 200);
            assertThat(progress.busyFor()).isEmpty();
            assertThat(Http.get(managementPort, "/actuator/prometheus", Http.MANAGEMENT_TOKEN).body())
                    .contains("mooli_dead_lettered_total{topic=\"orchestrator.reports.v1\"}",
                            "mooli_consumer_oldest_unprocessed_age_seconds{consumer=\"report-ingest\"}");
        } finally {
            direct.sql("ALTER TABLE orchestrator_reports DROP CONSTRAINT refuses_marked_reports").update();
        }
    }

    /**
     * A property over arbitrary report data (see {@link ArbitraryJson}): each value goes through
     * the codec as a frame, and what the edge would accept goes on as the edge publishes it; each
     * value also goes straight onto the topic, as a producer other than the edge could write it. All
     * of it travels in one burst with a marker report after it. Every report accepted at the door
     * is stored; every record on the topic ends stored or dead-lettered, never both and never
     * neither; the marker proves ingestion went on.
     */
    @Test
    void everyArbitraryReportEndsStoredOrDeadLetteredAndIngestionNeverStops() throws Exception {
        long seed = 20261129L;
        String prefix = "arbitrary-" + UUID.randomUUID().toString().substring(0, 8);
        ArbitraryJson arbitrary = new ArbitraryJson(seed);
        List<ProducerRecord<String, byte[]>> burst = new ArrayList<>();
        List<String> acceptedAtTheDoor = new ArrayList<>();
        List<String> onTheTopic = new ArrayList<>();
        int refusedAtTheDoor = 0;
        for (int i = 0; i < 150; i++) {
            String data = arbitrary.object(Json.MAX_DEPTH + 2);
            String viaEdge = prefix + "-edge-" + i;
            Decoded<InboundFrame> frame = FrameCodec.decodeInbound("{\"type\":\"monitoring_report\",\"message_id\":\""
                    + UUID.randomUUID() + "\",\"data\":" + data + "}");
            if (frame instanceof Decoded.Ok<InboundFrame> ok) {
                MonitoringReport report = (MonitoringReport) ok.frame();
                burst.add(record(new Report(report.messageId(), viaEdge, "s-1", Report.Kind.MONITORING_REPORT, null,
                        Instant.now(), report.data())));
                acceptedAtTheDoor.add(viaEdge);
                onTheTopic.add(viaEdge);
            } else {
                refusedAtTheDoor++;
            }
            String direct = prefix + "-direct-" + i;
            burst.add(raw(direct, "{\"schemaVersion\":1,\"messageId\":\"" + UUID.randomUUID() + "\",\"orchestratorId\":\"" + direct
                    + "\",\"kind\":\"monitoring_report\",\"receivedAt\":\"2026-11-29T10:00:00Z\",\"data\":" + data + "}"));
            onTheTopic.add(direct);
        }
        String marker = prefix + "-marker";
        burst.add(record(monitoring(marker, UUID.randomUUID())));
        sendTogether(burst);

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stored(marker) == 1);
        Set<String> dead = new HashSet<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            TestKafka.deadLetters(Topics.REPORTS).stream().map(ConsumerRecord::key)
                    .filter(key -> key != null && key.startsWith(prefix)).forEach(dead::add);
            return onTheTopic.stream().allMatch(key -> dead.contains(key) || stored(key) == 1);
        });
        for (String key : onTheTopic) {
            assertThat(stored(key) + (dead.contains(key) ? 1 : 0)).as("%s (seed %d)", key, seed).isEqualTo(1);
        }
        assertThat(acceptedAtTheDoor).as("accepted at the door, seed %d", seed).allSatisfy(key ->
                assertThat(stored(key)).as(key).isEqualTo(1));
        assertThat(refusedAtTheDoor).as("the generator reaches what the door refuses").isPositive();
        assertThat(acceptedAtTheDoor).as("and what it accepts").isNotEmpty();
        assertThat(dead).as("some records sent straight to the topic are dead-lettered").isNotEmpty();
        assertThat(onTheTopic.stream().filter(key -> key.contains("-direct-")).filter(key -> stored(key) == 1))
                .as("and some of them are stored").isNotEmpty();
        assertThat(TestKafka.deadLetters(Topics.REPORTS).stream().filter(record -> record.key() != null
                        && record.key().startsWith(prefix)).map(record -> new String(record.headers()
                        .lastHeader(DeadLetters.EXCEPTION_MESSAGE).value(), StandardCharsets.UTF_8)))
                .as("refused for what they hold, not for their shape").noneMatch(reason -> reason.contains("required property"));
    }

    private List<UUID> storedMessages(String prefix) {
        return direct.sql("SELECT message_id FROM orchestrator_reports WHERE orchestrator_id LIKE :p")
                .param("p", prefix + "-%").query(UUID.class).list();
    }

    /** Sends every record in one go, so they reach the broker, and the consumer, together. */
    private static void sendTogether(List<ProducerRecord<String, byte[]>> records) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 50), new StringSerializer(),
                new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    private static int partitionsOf(String topic) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            return consumer.partitionsFor(topic).size();
        }
    }

    /** Whether the group has committed, on every partition of the topic, the log end offset. */
    private static boolean committedToTheEnd(String group, String topic) throws Exception {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
             var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     TestKafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList());
            return end.entrySet().stream().allMatch(partition -> committed.get(partition.getKey()) != null
                    && committed.get(partition.getKey()).offset() == partition.getValue());
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(String orchestrator, int expected) {
        return deadLettersOf(record -> orchestrator.equals(record.key()), expected);
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(Predicate<ConsumerRecord<String, byte[]>> matching,
                                                                      int expected) {
        return TestKafka.awaitDeadLetters(Topics.REPORTS, matching, expected);
    }
}
