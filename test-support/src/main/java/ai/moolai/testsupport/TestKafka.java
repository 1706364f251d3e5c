package ai.moolai.testsupport;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import ai.moolai.protocol.kafka.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

    /** The broker's bootstrap servers. */
    public static String bootstrapServers() {
        String brokers = System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        if (brokers == null) {
            throw new IllegalStateException("no embedded broker: set spring.kafka.global.embedded.enabled=true "
                    + "in src/test/resources/junit-platform.properties");
        }
        return brokers;
    }
}
