package ai.moolai.protocol.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import ai.moolai.protocol.Samples;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/** Every topic's values survive a produce/consume round trip on a real (embedded KRaft) broker. */
class TopicsRoundTripTest {

    /** The run's embedded KRaft broker (junit-platform.properties starts it). */
    private static final String BROKERS = System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);

    @BeforeAll
    static void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKERS))) {
            Topics.createMissing(admin, TopicLayout.forCluster(TopicLayout.DEFAULT_PARTITIONS, 1));
        }
    }

    @Test
    void topicsAreCreatedWithTheirCleanupPolicyAndRetention() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKERS))) {
            ConfigResource desired = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DESIRED_STATE.name());
            ConfigResource heartbeats = new ConfigResource(ConfigResource.Type.TOPIC, Topics.HEARTBEATS.name());
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(desired, heartbeats)).all().get();

            assertThat(configs.get(desired).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            assertThat(configs.get(heartbeats).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("delete");
            assertThat(configs.get(heartbeats).get(TopicConfig.RETENTION_MS_CONFIG).value())
                    .isEqualTo(Long.toString(Duration.ofDays(1).toMillis()));
            assertThat(admin.listTopics().names().get()).contains("orchestrator.reports.v1.dlt");
        }
    }

    @Test
    void everyTopicValueSurvivesARoundTrip() {
        for (Topic<?> topic : Topics.ALL) {
            assertRoundTrip(topic, Samples.topicValues().get(topic));
        }
    }

    @Test
    void aTombstoneStaysATombstone() {
        List<Object> tombstone = new ArrayList<>();
        tombstone.add(null);
        assertRoundTrip(Topics.DESIRED_STATE, tombstone);
    }

    @SuppressWarnings("unchecked")
    private static <V> void assertRoundTrip(Topic<V> topic, List<Object> values) {
        String key = "orch-" + UUID.randomUUID();
        try (var producer = new KafkaProducer<>(producerConfig(), topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            for (Object value : values) {
                producer.send(new ProducerRecord<>(topic.name(), key, (V) value));
            }
            producer.flush();
        }
        List<V> received = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(consumerConfig(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < values.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(key)) {
                        received.add(record.value());
                    }
                }
            }
        }
        assertThat(received).as(topic.name()).containsExactlyElementsOf((List<V>) values);
    }

    private static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKERS);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    private static Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKERS);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "round-trip-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }
}
