package ai.moolai.control.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.moolai.control.ControlApiTest;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.tracing.Traces;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.Traced;
import io.opentelemetry.api.trace.SpanKind;
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
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An admin's command is one trace from its HTTP request to the record the relay publishes: the
 * outbox row keeps the request's trace, and the record carries it in its {@code traceparent}
 * header, whichever thread (or replica) relays it. Spans are caught by an in-memory exporter.
 */
@ControlApiTest
@Traced
class OutboxTraceTest {

    @Autowired
    private InMemorySpanExporter spans;

    @LocalServerPort
    private int port;

    @Value("${spring.kafka.bootstrap-servers}")
    private String brokers;

    @Test
    void anAdminsCommandIsOneTraceFromItsRequestToItsRecord() {
        ApiClient api = new ApiClient(port);
        String id = api.createOrchestrator("traced").orchestratorId();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DESIRED_STATE.name()).stream()
                    .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            assertThat(api.put("/api/v1/internal/orchestrators/" + id + "/independence", ApiClient.ADMIN,
                    "{\"is_independent\":true}").status()).isEqualTo(200);

            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (id.equals(record.key())) {
                        records.add(record);
                    }
                });
                return !records.isEmpty();
            });
            Header header = records.get(0).headers().lastHeader(Traces.TRACEPARENT);
            assertThat(header).as("the record's traceparent").isNotNull();
            String traceparent = new String(header.value(), StandardCharsets.UTF_8);
            assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            String traceId = traceparent.split("-")[1];

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                    .as("the request's span is the trace's")
                    .anySatisfy(span -> {
                        assertThat(span.getTraceId()).isEqualTo(traceId);
                        assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
                        assertThat(span.getName()).containsIgnoringCase("put");
                    }));
        }
    }
}
