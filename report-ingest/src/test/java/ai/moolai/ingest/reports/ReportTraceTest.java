package ai.moolai.ingest.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.tracing.Traces;
import ai.moolai.testsupport.TestDatabase;
import ai.moolai.testsupport.TestKafka;
import ai.moolai.testsupport.Traced;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A report's trace ends at its row: the record's {@code traceparent} (the edge's span) is the
 * parent of a span that lasts until the row is committed. A record without one starts no trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Traced
@DirtiesContext
class ReportTraceTest {

    @Autowired
    private InMemorySpanExporter spans;

    @Autowired
    private JdbcClient jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.perRun().register(registry);
    }

    @Test
    void aReportsTraceEndsWithTheSpanOfItsRowsCommit() throws Exception {
        String orchestrator = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        UUID traced = UUID.randomUUID();
        UUID untraced = UUID.randomUUID();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String edgeSpan = "00f067aa0ba902b7";
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(record(orchestrator, untraced)).get();
            ProducerRecord<String, byte[]> withTrace = record(orchestrator, traced);
            withTrace.headers().add(Traces.TRACEPARENT, ("00-" + traceId + "-" + edgeSpan + "-01").getBytes(StandardCharsets.UTF_8));
            producer.send(withTrace).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT count(*) FROM orchestrator_reports WHERE orchestrator_id = :o").param("o", orchestrator)
                .query(Long.class).single() == 2);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .filteredOn(span -> span.getName().equals("report stored"))
                .anySatisfy(span -> {
                    assertThat(span.getTraceId()).isEqualTo(traceId);
                    assertThat(span.getParentSpanId()).isEqualTo(edgeSpan);
                    assertThat(span.getAttributes().asMap().toString()).contains(orchestrator, traced.toString());
                }));
        assertThat(spans.getFinishedSpanItems()).as("the record without a trace starts none")
                .noneMatch(span -> span.getAttributes().asMap().toString().contains(untraced.toString()));
    }

    private static ProducerRecord<String, byte[]> record(String orchestrator, UUID messageId) {
        Report report = new Report(messageId, orchestrator, "s-1", Report.Kind.MONITORING_REPORT, Instant.now(),
                Instant.now(), Json.events().readTree("{\"cpu_pct\":41.5}"));
        return new ProducerRecord<>(Topics.REPORTS.name(), orchestrator, Topics.REPORTS.valueSerde().serializer()
                .serialize(Topics.REPORTS.name(), report));
    }
}
