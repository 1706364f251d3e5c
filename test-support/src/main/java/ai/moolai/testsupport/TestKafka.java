package ai.moolai.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.TopicLayout;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * The run's embedded KRaft broker, started once per test JVM by spring-kafka-test's global
 * embedded broker ({@code spring.kafka.global.embedded.enabled=true} in the module's
 * {@code junit-platform.properties}).
 */
public final class TestKafka {

    private TestKafka() {
    }

    /** Publishes one value (a tombstone when {@code null}) to a topic of the contract and waits for the broker's ack. */
    public static <V> void send(Topic<V> topic, String key, V value) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing to " + topic.name() + " failed", e.getCause());
        }
    }

    /** Everything on this topic's dead-letter topic now: read from the beginning to the end offsets of this call. */
    public static List<ConsumerRecord<String, byte[]>> deadLetters(Topic<?> topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = rawConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.deadLetterName()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The dead letters of this topic that match, once there are at least {@code count} of them (20 s at most). */
    public static List<ConsumerRecord<String, byte[]>> awaitDeadLetters(Topic<?> topic,
                                                                        Predicate<ConsumerRecord<String, byte[]>> matching,
                                                                        int count) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            found.clear();
            deadLetters(topic).stream().filter(record -> record.key() != null && matching.test(record)).forEach(found::add);
            return found.size() >= count;
        });
        return found;
    }

    private static KafkaConsumer<String, byte[]> rawConsumer() {
        return new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The layout the services give the contract's topics on this one-broker cluster. */
    public static final TopicLayout LAYOUT = TopicLayout.forCluster(TopicLayout.DEFAULT_PARTITIONS, 1);

    private static volatile boolean topicsCreated;

    /**
     * The broker's bootstrap servers. The first call creates the contract's topics as the services
     * do, so that a test writing to one before any service started does not have the broker create
     * it with its own defaults (which the services would refuse).
     */
    public static String bootstrapServers() {
        String brokers = System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        if (brokers == null) {
            throw new IllegalStateException("no embedded broker: set spring.kafka.global.embedded.enabled=true "
                    + "in src/test/resources/junit-platform.properties");
        }
        if (!topicsCreated) {
            createTopics(brokers);
        }
        return brokers;
    }

    private static synchronized void createTopics(String brokers) {
        if (topicsCreated) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Topics.createMissing(admin, LAYOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("creating the contract's topics failed", e.getCause());
        }
        topicsCreated = true;
    }
}
