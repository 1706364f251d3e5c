package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.tracing.Traces;
import ai.moolai.testsupport.TestOrchestrator;
import ai.moolai.testsupport.Traced;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The traces that pass through the edge, caught by an in-memory exporter: a report starts its
 * trace here (the edge's span lasts until the broker has the record, which carries it on to
 * report-ingest), heartbeats carry none (a trace per heartbeat would cost more than it tells), and
 * an admin's command arrives in its desired-state record's trace, goes to the orchestrator in its
 * {@code independence_update}, and comes back in the {@code independence_ack} that ends it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Traced
class EdgeTracesTest {

    @Autowired
    private InMemorySpanExporter spans;

    @Autowired
    private DesiredStateView view;

    @LocalServerPort
    private int port;

    @Value("${spring.kafka.bootstrap-servers}")
    private String brokers;

    @Test
    void aReportsRecordCarriesTheTraceTheEdgeStartedAndAHeartbeatsNone() throws Exception {
        UUID messageId = UUID.randomUUID();
        try (Fleet fleet = new Fleet(view)) {
            Fleet.Member member = fleet.register();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                    new StringDeserializer(), new ByteArrayDeserializer());
                 TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(Topics.REPORTS.name(), Topics.HEARTBEATS.name())) {
                    consumer.partitionsFor(topic).forEach(partition -> partitions.add(new TopicPartition(topic, partition.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);

                orchestrator.send("{\"type\":\"i_am_alive\",\"seq\":1}");
                orchestrator.send("""
                        {"type":"monitoring_report","message_id":"%s","data":{"cpu_pct":12.5}}""".formatted(messageId));
                assertThat(orchestrator.nextOfType("report_ack").path("message_id").asString()).isEqualTo(messageId.toString());

                Map<String, ConsumerRecord<String, byte[]>> byTopic = new HashMap<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                        if (member.id().equals(record.key())) {
                            byTopic.put(record.topic(), record);
                        }
                    });
                    return byTopic.size() == 2;
                });
                assertThat(byTopic.get(Topics.HEARTBEATS.name()).headers().lastHeader(Traces.TRACEPARENT)).isNull();
                Header header = byTopic.get(Topics.REPORTS.name()).headers().lastHeader(Traces.TRACEPARENT);
                assertThat(header).as("the report's traceparent").isNotNull();
                String traceId = new String(header.value(), StandardCharsets.UTF_8).split("-")[1];

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                        .anySatisfy(span -> {
                            assertThat(span.getTraceId()).isEqualTo(traceId);
                            assertThat(span.getName()).isEqualTo("report received");
                            assertThat(span.getAttributes().asMap().toString()).contains(member.id(), messageId.toString());
                        }));
            }
        }
    }

    @Test
    void anAdminsCommandReachesTheOrchestratorInItsTraceAndItsAcknowledgementEndsIt() throws Exception {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String adminSpan = "b7ad6b7169203331";
        try (Fleet fleet = new Fleet(view)) {
            Fleet.Member member = fleet.register();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                    new StringDeserializer(), new ByteArrayDeserializer());
                 TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.SESSION_EVENTS.name()).stream()
                        .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);

                fleet.publish(member.with(true, false), "00-" + traceId + "-" + adminSpan + "-01");
                JsonNode update = orchestrator.nextOfType("independence_update");
                String trace = update.path("trace").asString();
                assertThat(trace).as("the update's trace").matches("00-" + traceId + "-[0-9a-f]{16}-01")
                        .doesNotContain(adminSpan);
                orchestrator.send("{\"type\":\"independence_ack\",\"data\":{\"is_independent\":true,\"version\":"
                        + update.path("data").path("version").asLong() + "},\"trace\":\"" + trace + "\"}");

                List<ConsumerRecord<String, byte[]>> acked = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                        if (member.id().equals(record.key()) && Topics.SESSION_EVENTS.valueSerde().deserializer()
                                .deserialize(record.topic(), record.value()).kind() == SessionEvent.Kind.INDEPENDENCE_ACKED) {
                            acked.add(record);
                        }
                    });
                    return !acked.isEmpty();
                });
                Header header = acked.get(0).headers().lastHeader(Traces.TRACEPARENT);
                assertThat(header).as("the acknowledgement's record carries the trace").isNotNull();
                assertThat(new String(header.value(), StandardCharsets.UTF_8)).contains(traceId);

                // A trace the edge did not send is not the client's to join.
                String forged = "4bf92f3577b34da6a3ce929d0e0e4736";
                orchestrator.send("{\"type\":\"independence_ack\",\"data\":{\"is_independent\":true,\"version\":"
                        + update.path("data").path("version").asLong() + "},\"trace\":\"00-" + forged + "-00f067aa0ba902b7-01\"}");
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                        if (member.id().equals(record.key()) && Topics.SESSION_EVENTS.valueSerde().deserializer()
                                .deserialize(record.topic(), record.value()).kind() == SessionEvent.Kind.INDEPENDENCE_ACKED) {
                            acked.add(record);
                        }
                    });
                    return acked.size() > 1;
                });
                assertThat(new String(acked.get(1).headers().lastHeader(Traces.TRACEPARENT).value(), StandardCharsets.UTF_8))
                        .doesNotContain(forged).doesNotContain(traceId);

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                        .filteredOn(span -> span.getTraceId().equals(traceId))
                        .extracting(span -> span.getName())
                        .contains("independence pushed", "independence acknowledged"));
            }
        }
    }
}
