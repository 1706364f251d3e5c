package ai.moolai.edge.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import ai.moolai.edge.config.EdgeProperties;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.util.TestSocketUtils;

/**
 * With no broker to talk to, publishing fails fast and visibly instead of blocking the caller, and
 * the edge no longer says it publishes.
 */
class EdgePublisherTest {

    @Test
    void failsInsteadOfBlockingWhenNoBrokerAnswers() {
        var producers = new DefaultKafkaProducerFactory<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + TestSocketUtils.findAvailableTcpPort(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        EdgeProperties edge = new EdgeProperties("edge", 8765, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(20),
                Duration.ofSeconds(5), 65536, 8192, 1024, 2000, 20, 100, 20, 8388608, 262144, 20, Duration.ofSeconds(10), 1,
                Duration.ofSeconds(10), 1000, 20, Duration.ofHours(1), Duration.ofSeconds(15));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EdgePublisher publisher = new EdgePublisher(new KafkaTemplate<>(producers), edge, meters);

        List<CompletableFuture<Void>> sent = IntStream.range(0, 3)
                .mapToObj(i -> publisher.publish(Topics.HEARTBEATS, "orch-1",
                        new Heartbeat("orch-1", "s", "edge", (long) i, null, Instant.now())))
                .toList();

        assertThat(sent).as("the queue holds one; the rest are refused at once")
                .anySatisfy(future -> assertThat(future).isCompletedExceptionally());
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> sent.stream().allMatch(CompletableFuture::isCompletedExceptionally));
        assertThat(meters.get("edge.publish.failures").tag("topic", Topics.HEARTBEATS.name()).counter().count())
                .isEqualTo(3);
        assertThat(publisher.publishing(0)).as("what it sends does not reach Kafka").isFalse();
        producers.destroy();
    }
}
